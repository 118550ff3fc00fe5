"""Case pages. Every case comes from strom.access (a case outside the user's scope is a
404); every change goes through cases.actions; every read of a case is audited."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from strom import access
from strom.audit import AuditEvent
from strom.forms import add_errors_from

from . import actions, documents, once
from .choices import OPEN_NEED_STATUSES
from .filters import CaseFilter
from .forms import (
    AssignForm,
    CaseOpenForm,
    CloseForm,
    ConsentForm,
    ExploitationForm,
    IdentificationForm,
    NeedForm,
    NeedStatusForm,
    NoteForm,
    PersonForm,
    WithdrawConsentForm,
)
from .models import Assignment
from .reads import viewed as _viewed

PAGE_SIZE = 25


def _case(request, reference):
    return access.get_or_404(access.cases_for(request.user), reference=reference)


def _coordinated_case(request, reference):
    return access.get_or_404(access.coordinated_cases(request.user), reference=reference)


def _case_page(case):
    return reverse("case_detail", args=[case.reference])


def _run(form, action, **kwargs):
    """Call an action for a valid form; its ValidationError lands on the form."""
    try:
        return action(**kwargs)
    except ValidationError as error:
        add_errors_from(form, error)
        return None


# List and registration -------------------------------------------------------------


def case_list(request):
    if not access.can_register_cases(request.user):
        raise Http404
    cases = (
        access.cases_for(request.user)
        .annotate(open_needs=Count("needs", filter=Q(needs__status__in=OPEN_NEED_STATUSES)))
        .order_by("-created_at", "-id")
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=Assignment.objects.filter(ended_at__isnull=True).select_related("user"),
                to_attr="current_assignments",
            ),
            "exploitation_forms",
        )
    )
    filterset = CaseFilter(request.GET, queryset=cases, request=request)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "cases/case_list.html",
        {
            "filter": filterset,
            "page": page,
            "can_see_retention": access.has_role(request.user, "coordinator"),
        },
    )


@once.shows_spent
def case_create(request):
    if not access.can_register_cases(request.user):
        raise Http404
    data = request.POST or None
    case_form = CaseOpenForm(data, user=request.user)
    person_form = PersonForm(data, prefix="person")
    exploitation_form = ExploitationForm(data, prefix="exploitation")
    forms_ = (case_form, person_form, exploitation_form)
    if request.method == "POST" and all(form.is_valid() for form in forms_):
        cleaned = case_form.cleaned_data
        case = _run(
            case_form,
            once.wrap(request, actions.open_case, url=_case_page),
            by=request.user,
            request=request,
            municipality=cleaned["municipality"],
            first_contact_on=cleaned["first_contact_on"],
            identification=cleaned["identification"],
            person=person_form.save(commit=False),
            exploitation=exploitation_form.save(commit=False),
            forms=exploitation_form.cleaned_data["forms_of_exploitation"],
            needs=[(category, cleaned["needs_urgency"]) for category in cleaned["needs"]],
        )
        if case:
            messages.success(request, _("Case %(reference)s registered.") % {"reference": case})
            return redirect("case_detail", reference=case.reference)
    return render(
        request,
        "cases/case_create.html",
        {
            "case_form": case_form,
            "person_form": person_form,
            "exploitation_form": exploitation_form,
            "forms": forms_,
            "once": once.token(request),
        },
    )


# The case ------------------------------------------------------------------------


def case_detail(request, reference):
    case = _case(request, reference)
    _viewed(request, case)
    can_coordinate = access.coordinated_cases(request.user).filter(pk=case.pk).exists()
    context = {
        "case": case,
        "person": case.person,
        "exploitation": case.exploitation,
        "forms_of_exploitation": [r.get_form_display() for r in case.exploitation_forms.all()],
        "history": case.identification_changes.select_related("deciding_actor", "recorded_by"),
        "needs": case.needs.select_related("service"),
        "consents": case.consents.select_related("recipient"),
        "notes": case.notes.select_related("author"),
        "assignments": case.assignments.filter(ended_at__isnull=True).select_related("user"),
        "can_edit": not case.is_closed,
        "can_coordinate": can_coordinate,
        "need_status_form": NeedStatusForm(),
        "referral_count": case.referrals.count(),
        "documents": documents.documents_for(request.user, case),
        "documents_editable": documents.accepts_changes(case),
    }
    if can_coordinate:
        context["access_log"] = AuditEvent.objects.filter(
            object_type="cases.case", object_id=str(case.pk)
        ).select_related("user")[:50]
    if case.anonymised_at is not None:
        # Nothing personal is left: the page says when and why (cases/retention.py).
        return render(request, "cases/case_anonymised.html", context)
    return render(request, "cases/case_detail.html", context)


@once.shows_spent
def _form_page(request, case, form, title, on_valid, success, *, create=False):
    """The shape of every small case form: show, validate, act, go back to the case. A form
    that creates something carries a one-time token: sent twice, it creates it once."""
    if create:
        on_valid = once.wrap(request, on_valid, url=lambda _result: _case_page(case))
    if request.method == "POST" and form.is_valid() and _run(form, on_valid) is not None:
        messages.success(request, success)
        return redirect("case_detail", reference=case.reference)
    _viewed(request, case)
    return render(
        request,
        "cases/case_form.html",
        {"case": case, "form": form, "title": title, "once": create and once.token(request)},
    )


def person_edit(request, reference):
    case = _case(request, reference)
    form = PersonForm(request.POST or None, instance=case.person)

    def save():
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        return actions.update_person(by=request.user, request=request, case=case, **data)

    return _form_page(request, case, form, _("Person"), save, _("Person details saved."))


def exploitation_edit(request, reference):
    case = _case(request, reference)
    form = ExploitationForm(request.POST or None, instance=case.exploitation)

    def save():
        data = {
            name: form.cleaned_data[name]
            for name in form.Meta.fields
            if name != "forms_of_exploitation"
        }
        return actions.update_exploitation(
            by=request.user,
            request=request,
            case=case,
            forms=form.cleaned_data["forms_of_exploitation"],
            **data,
        )

    return _form_page(request, case, form, _("Exploitation"), save, _("Exploitation saved."))


def need_add(request, reference):
    case = _case(request, reference)
    form = NeedForm(request.POST or None, case=case)

    def save():
        return actions.save_need(by=request.user, request=request, case=case, **form.cleaned_data)

    return _form_page(request, case, form, _("Add a need"), save, _("Need recorded."), create=True)


def need_edit(request, reference, pk):
    case = _case(request, reference)
    need = access.get_or_404(case.needs.all(), pk=pk)
    form = NeedForm(request.POST or None, instance=need, case=case)

    def save():
        data = dict(form.cleaned_data, category=need.category)
        return actions.save_need(by=request.user, request=request, case=case, need=need, **data)

    return _form_page(request, case, form, need.get_category_display(), save, _("Need saved."))


@require_POST
def need_status(request, reference, pk):
    """The quick status change on the case page (HTMX swaps the needs section)."""
    case = _case(request, reference)
    need = access.get_or_404(case.needs.all(), pk=pk)
    form = NeedStatusForm(request.POST, instance=case.needs.get(pk=need.pk))
    if form.is_valid():
        _run(
            form,
            actions.save_need,
            by=request.user,
            request=request,
            case=case,
            need=need,
            category=need.category,
            urgency=need.urgency,
            status=form.cleaned_data["status"],
            tailoring=need.tailoring,
        )
    if request.headers.get("HX-Request"):
        _viewed(request, case, "needs")
        return render(
            request,
            "cases/_needs.html",
            {
                "case": case,
                "needs": case.needs.select_related("service"),
                "can_edit": not case.is_closed,
                "need_status_form": NeedStatusForm(),
                "status_errors": form.errors,
            },
        )
    if form.errors:
        messages.error(request, _("The need's status was not changed."))
    return redirect("case_detail", reference=case.reference)


def consent_add(request, reference):
    case = _case(request, reference)
    form = ConsentForm(request.POST or None, case=case, user=request.user)

    def save():
        return actions.record_consent(
            by=request.user, request=request, case=case, consent=form.save(commit=False)
        )

    title, success = _("Record consent to share"), _("Consent recorded.")
    return _form_page(request, case, form, title, save, success, create=True)


def consent_withdraw(request, reference, pk):
    case = _case(request, reference)
    consent = access.get_or_404(case.consents.filter(withdrawn_at__isnull=True), pk=pk)
    form = WithdrawConsentForm(request.POST or None)

    def save():
        return actions.withdraw_consent(
            by=request.user,
            request=request,
            consent=consent,
            reason=form.cleaned_data["reason"],
        )

    title = _("Withdraw consent to share with %(recipient)s") % {
        "recipient": consent.recipient_label
    }
    return _form_page(
        request, case, form, title, save, _("Consent withdrawn. It no longer allows any sharing.")
    )


def identification_change(request, reference):
    case = _coordinated_case(request, reference)
    form = IdentificationForm(request.POST or None, user=request.user)

    def save():
        return actions.change_identification(
            by=request.user, request=request, case=case, **form.cleaned_data
        )

    title, success = _("Identification status"), _("Identification status recorded.")
    return _form_page(request, case, form, title, save, success, create=True)


def assign(request, reference):
    case = _coordinated_case(request, reference)
    form = AssignForm(request.POST or None, case=case)

    def save():
        return actions.assign_worker(
            by=request.user, request=request, case=case, **form.cleaned_data
        )

    title, success = _("Assign a case worker"), _("Case worker assigned.")
    return _form_page(request, case, form, title, save, success, create=True)


def assignment_end(request, reference, pk):
    """Removing a case worker: a page that asks first (the primary worker is not offered),
    then the removal on POST."""
    case = _coordinated_case(request, reference)
    assignment = access.get_or_404(
        case.assignments.filter(ended_at__isnull=True).select_related("user"), pk=pk
    )
    if request.method == "POST":
        try:
            actions.end_assignment(by=request.user, request=request, assignment=assignment)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Case worker removed from the case."))
        return redirect("case_detail", reference=case.reference)
    _viewed(request, case)
    return render(request, "cases/assignment_end.html", {"case": case, "assignment": assignment})


def note_add(request, reference):
    case = _case(request, reference)
    form = NoteForm(request.POST or None)

    def save():
        return actions.add_note(by=request.user, request=request, case=case, **form.cleaned_data)

    return _form_page(request, case, form, _("Add a note"), save, _("Note added."), create=True)


def close(request, reference):
    case = _coordinated_case(request, reference)
    form = CloseForm(request.POST or None)

    def save():
        return actions.close_case(by=request.user, request=request, case=case, **form.cleaned_data)

    return _form_page(request, case, form, _("Close the case"), save, _("Case closed."))


@require_POST
def reopen(request, reference):
    case = _coordinated_case(request, reference)
    try:
        actions.reopen_case(by=request.user, request=request, case=case)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("case_detail", reference=case.reference)
    messages.success(request, _("Case reopened."))
    return redirect("case_detail", reference=case.reference)


def find_services(request, reference):
    """For each open need, the services that fit, best first, with the reasons."""
    from services.matching import matches_for_case

    case = _case(request, reference)
    may_see = access.address_reader(request.user)
    results = [
        (need, [(match, may_see(match.service)) for match in matches])
        for need, matches in matches_for_case(case, access.services_for(request.user))
    ]
    _viewed(request, case)
    return render(
        request,
        "cases/find_services.html",
        {
            "case": case,
            "results": results,
            "can_choose": not case.is_closed
            and access.coordinated_cases(request.user).filter(pk=case.pk).exists(),
        },
    )


@require_POST
def choose_service(request, reference, pk):
    case = _coordinated_case(request, reference)
    need = access.get_or_404(case.needs.all(), pk=pk)
    service = access.get_or_404(access.services_for(request.user), pk=request.POST.get("service"))
    try:
        actions.choose_service(
            by=request.user, request=request, case=case, need=need, service=service
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("case_find_services", reference=case.reference)
    messages.success(
        request,
        _("%(service)s chosen for: %(need)s.")
        % {"service": service.name, "need": need.get_category_display()},
    )
    return redirect("case_detail", reference=case.reference)
