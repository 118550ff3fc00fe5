"""Agreement pages: thin; objects from strom.access, changes through agreements.actions."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases import once
from strom import access, uploads
from strom.audit import AuditAction, record
from strom.forms import add_errors_from
from strom.models import ActorKind
from strom.ratelimits import rate_limited

from . import actions, pdf
from .forms import (
    AgreementForm,
    ClauseForm,
    PartyForm,
    SignatureForm,
    SignedScanForm,
    TerminateForm,
)
from .models import AgreementStatus, Clause, Party


def _run(form, action, **kwargs):
    try:
        return action(**kwargs) or True
    except ValidationError as error:
        add_errors_from(form, error)
        return None


def agreement_list(request):
    agreements = access.agreements_for(request.user).order_by("municipality__name", "-created_at")
    national = access.national_country_ids(request.user)
    overview = None
    if national:
        overview = _in_force_overview(national)
    return render(
        request,
        "agreements/list.html",
        {
            "agreements": agreements,
            "can_create": access.administered_municipalities(request.user).exists(),
            "overview": overview,
            "kinds": ActorKind.choices,
        },
    )


def _in_force_overview(country_ids):
    """Municipalities × kinds of organisation: how many agreements in force each has."""
    from strom.models import Municipality

    rows = (
        Party.objects.filter(
            version__agreement__status=AgreementStatus.IN_FORCE,
            version__agreement__municipality__country_id__in=country_ids,
            version__frozen_at__isnull=False,
        )
        .values("version__agreement__municipality_id", "actor__kind")
        .annotate(count=Count("version__agreement", distinct=True))
    )
    cells = {(r["version__agreement__municipality_id"], r["actor__kind"]): r["count"] for r in rows}
    municipalities = Municipality.objects.filter(country_id__in=country_ids).order_by("name")
    used = sorted({kind for _m, kind in cells})
    return {
        "kinds": [(k, ActorKind(k).label) for k in used],
        "rows": [(m, [cells.get((m.pk, k), 0) for k in used]) for m in municipalities],
    }


@once.shows_spent
def agreement_create(request):
    if not access.administered_municipalities(request.user).exists():
        raise Http404
    form = AgreementForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        agreement = None
        try:
            # Sent twice, the form creates one draft (a one-time token).
            agreement = once.run(
                request,
                lambda: actions.create_agreement(by=request.user, request=request, **data),
                url=lambda created: created.get_absolute_url(),
            )
        except ValidationError as error:
            add_errors_from(form, error)
        if agreement:
            messages.success(request, _("Draft created from the template. Add the parties."))
            return redirect(agreement)
    return render(
        request,
        "agreements/form.html",
        {"form": form, "title": _("New agreement or MoU"), "once": once.token(request)},
    )


def _agreement(request, pk, editable=False):
    scope = access.editable_agreements if editable else access.agreements_for
    return access.get_or_404(scope(request.user), pk=pk)


def agreement_detail(request, pk):
    agreement = _agreement(request, pk)
    versions = list(agreement.versions.order_by("-number"))
    version = versions[0]
    can_edit = access.editable_agreements(request.user).filter(pk=pk).exists()
    # Parties may sign until every one has; the text changes only while nobody has signed.
    signable = can_edit and not version.is_frozen
    signed_some = signable and version.has_signatures
    draft = signable and not signed_some
    return render(
        request,
        "agreements/detail.html",
        {
            "agreement": agreement,
            "version": version,
            "versions": versions,
            "parties": version.parties.select_related("actor").prefetch_related("signature"),
            "clauses": version.clauses.all(),
            "can_edit": can_edit,
            "draft": draft,
            "signed_some": signed_some,
            "can_delete": can_edit and actions.deletable_problem(agreement) is None,
            "signature_form": SignatureForm(version=version) if signable else None,
            "terminate_form": TerminateForm() if can_edit else None,
            "scan_form": SignedScanForm() if can_edit and version.is_frozen else None,
        },
    )


def _locked(request, agreement):
    """A redirect to the agreement saying why, when the text, parties and dates of its current
    version may no longer change (a party signed it); else None."""
    version = agreement.current_version
    if version.is_frozen:
        message = _("This version is signed and cannot change. Start an amendment.")
    elif version.has_signatures:
        message = actions.signed_lock_message(version)
    else:
        return None
    messages.error(request, message)
    return redirect(agreement)


def agreement_edit(request, pk):
    agreement = _agreement(request, pk, editable=True)
    if locked := _locked(request, agreement):
        return locked
    form = AgreementForm(request.POST or None, instance=agreement, user=request.user)
    if (
        request.method == "POST"
        and form.is_valid()
        and _run(
            form,
            actions.update_agreement,
            by=request.user,
            request=request,
            agreement=agreement,
            **form.cleaned_data,
        )
    ):
        messages.success(request, _("Changes saved."))
        return redirect(agreement)
    return render(
        request,
        "agreements/form.html",
        {"form": form, "agreement": agreement, "title": _("Edit the agreement")},
    )


def party_edit(request, pk, party_pk=None):
    agreement = _agreement(request, pk, editable=True)
    if locked := _locked(request, agreement):
        return locked
    version = agreement.current_version
    party = (
        access.get_or_404(version.parties.all(), pk=party_pk)
        if party_pk
        else Party(version=version)
    )
    form = PartyForm(request.POST or None, instance=party, user=request.user)
    if (
        request.method == "POST"
        and form.is_valid()
        and _run(
            form,
            actions.save_party,
            by=request.user,
            request=request,
            party=form.save(commit=False),
        )
    ):
        messages.success(request, _("Party saved."))
        return redirect(agreement)
    return render(
        request, "agreements/form.html", {"form": form, "agreement": agreement, "title": _("Party")}
    )


@require_POST
def party_remove(request, pk, party_pk):
    agreement = _agreement(request, pk, editable=True)
    party = access.get_or_404(agreement.current_version.parties.all(), pk=party_pk)
    try:
        actions.remove_party(by=request.user, request=request, party=party)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(agreement)


@once.shows_spent
def clause_edit(request, pk, clause_pk=None):
    agreement = _agreement(request, pk, editable=True)
    if locked := _locked(request, agreement):
        return locked
    version = agreement.current_version
    clause = (
        access.get_or_404(version.clauses.all(), pk=clause_pk)
        if clause_pk
        else Clause(version=version)
    )
    form = ClauseForm(request.POST or None, instance=clause)
    create = clause_pk is None
    save = actions.save_clause
    if create:  # sent twice, the form adds one clause
        save = once.wrap(request, save, url=lambda _clause: agreement.get_absolute_url())
    if (
        request.method == "POST"
        and form.is_valid()
        and _run(
            form,
            save,
            by=request.user,
            request=request,
            clause=form.save(commit=False),
        )
    ):
        messages.success(request, _("Clause saved."))
        return redirect(agreement)
    return render(
        request,
        "agreements/form.html",
        {
            "form": form,
            "agreement": agreement,
            "title": _("Clause"),
            "once": create and once.token(request),
        },
    )


@require_POST
def clause_move(request, pk, clause_pk):
    agreement = _agreement(request, pk, editable=True)
    clause = access.get_or_404(agreement.current_version.clauses.all(), pk=clause_pk)
    direction = request.POST.get("direction")
    if direction not in ("up", "down"):
        return HttpResponse(status=400)
    try:
        actions.move_clause(by=request.user, request=request, clause=clause, direction=direction)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(agreement)


@require_POST
def clause_remove(request, pk, clause_pk):
    agreement = _agreement(request, pk, editable=True)
    clause = access.get_or_404(agreement.current_version.clauses.all(), pk=clause_pk)
    try:
        actions.remove_clause(by=request.user, request=request, clause=clause)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(agreement)


def _simple(request, pk, action, success, **kwargs):
    agreement = _agreement(request, pk, editable=True)
    try:
        action(by=request.user, request=request, agreement=agreement, **kwargs)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, success)
    return redirect(agreement)


@require_POST
def negotiate(request, pk):
    return _simple(request, pk, actions.start_negotiation, _("Sent into negotiation."))


@require_POST
def amend(request, pk):
    return _simple(
        request, pk, actions.amend, _("A new version is open for changes; the signed one is kept.")
    )


@require_POST
def terminate(request, pk):
    form = TerminateForm(request.POST)
    if not form.is_valid():
        agreement = _agreement(request, pk, editable=True)
        messages.error(request, _("Give the date of termination."))
        return redirect(agreement)
    return _simple(request, pk, actions.terminate, _("Terminated."), **form.cleaned_data)


@require_POST
def sign(request, pk):
    agreement = _agreement(request, pk, editable=True)
    version = agreement.current_version
    form = SignatureForm(request.POST, version=version)
    if not form.is_valid():
        messages.error(
            request, _("Choose a party that has not signed, and give the name and the date.")
        )
        return redirect(agreement)
    try:
        actions.record_signature(by=request.user, request=request, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Signature recorded."))
    return redirect(agreement)


def signatures_withdraw(request, pk):
    """The signatures recorded on a version not every party has signed, named (party, who
    signed, when) on a confirmation page; confirmed, they are withdrawn so that the version
    may change again, and every party signs it anew."""
    agreement = _agreement(request, pk, editable=True)
    version = agreement.current_version
    if version.is_frozen or not version.has_signatures:
        messages.error(
            request,
            _("This version is signed and cannot change. Start an amendment.")
            if version.is_frozen
            else _("No party has signed this version."),
        )
        return redirect(agreement)
    if request.method == "POST":
        try:
            actions.withdraw_signatures(
                by=request.user,
                request=request,
                agreement=agreement,
                seen=request.POST.getlist("signature"),
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(request.path)
        messages.success(
            request,
            _("Signatures withdrawn. The version can change again; every party signs it anew."),
        )
        return redirect(agreement)
    return render(
        request,
        "agreements/withdraw.html",
        {
            "agreement": agreement,
            "version": version,
            "signatures": list(actions.signatures_of(version)),
            "unsigned": version.parties.filter(signature__isnull=True).count(),
        },
    )


def agreement_delete(request, pk):
    """An administrator deletes a draft nobody signed, after a confirmation page."""
    agreement = _agreement(request, pk, editable=True)
    problem = actions.deletable_problem(agreement)
    if problem:
        messages.error(request, problem)
        return redirect(agreement)
    if request.method == "POST":
        try:
            actions.delete_agreement(by=request.user, request=request, agreement=agreement)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(agreement)
        messages.success(
            request, _("The draft %(number)s is deleted.") % {"number": agreement.number}
        )
        return redirect("agreement_list")
    return render(
        request,
        "agreements/delete.html",
        {
            "agreement": agreement,
            "parties": agreement.current_version.parties.count(),
            "clauses": agreement.current_version.clauses.count(),
        },
    )


@rate_limited("pdf", "STROM_RATE_PDF", every_request=True)
def download_pdf(request, pk, number):
    """The PDF of a version: the stored one when signed, rendered on demand for a draft."""
    agreement = _agreement(request, pk)
    version = access.get_or_404(agreement.versions.all(), number=number)
    record(AuditAction.PRINT, request=request, obj=agreement, detail=f"PDF of version {number}")
    filename = f"{agreement.number}-v{version.number}.pdf"
    if version.pdf:
        return uploads.file_response(
            version.pdf.open("rb"), content_type="application/pdf", filename=filename
        )
    try:
        content = pdf.render(version)
    except pdf.DocumentTooLarge:
        messages.error(request, _("The document is too large to print. Shorten the clauses."))
        return redirect(agreement)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_POST
def upload_scan(request, pk, number):
    """An administrator attaches the scan of the signed paper copy to a signed version."""
    agreement = _agreement(request, pk, editable=True)
    version = access.get_or_404(agreement.versions.all(), number=number)
    form = SignedScanForm(request.POST, request.FILES)
    try:
        if not form.is_valid():
            raise ValidationError([e for errors in form.errors.values() for e in errors])
        actions.attach_signed_scan(
            by=request.user, request=request, version=version, upload=form.cleaned_data["file"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The scan of the signed paper copy is attached."))
    return redirect(agreement)


def download_scan(request, pk, number):
    """The scan of the signed paper copy, for those who may read the agreement."""
    agreement = _agreement(request, pk)
    version = access.get_or_404(agreement.versions.exclude(signed_scan=""), number=number)
    record(
        AuditAction.DOWNLOAD,
        request=request,
        obj=agreement,
        detail=f"scan of the signed version {number}",
    )
    kind = next(
        (k for k in uploads.SIGNED_SCAN_KINDS if k.content_type == version.signed_scan_type),
        None,
    )
    return uploads.file_response(
        version.signed_scan.open("rb"),
        content_type=kind.content_type if kind else "application/octet-stream",
        filename=f"{agreement.number}-v{version.number}-signed.{kind.extension if kind else 'bin'}",
    )
