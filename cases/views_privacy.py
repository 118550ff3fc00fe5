"""A coordinator's privacy pages: the retention state of her municipality's closed cases, the
data-subject access export of one case (JSON or PDF), and erasure on a lawful request.

Only the coordinators of the case's municipality (strom.access.privacy_cases); everyone else
gets a 404. The logic is in cases/retention.py.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from strom import access
from strom.audit import AuditAction, record
from strom.forms import add_errors_from
from strom.models import Country, Role
from strom.pdf import render_pdf
from strom.ratelimits import rate_limited
from strom.reauth import recent_auth_required

from . import retention
from .choices import AnonymisedBecause
from .forms_privacy import ErasureForm, RetentionFilterForm
from .views import _viewed

PAGE_SIZE = 50


def _privacy_case(request, reference):
    return access.get_or_404(access.privacy_cases(request.user), reference=reference)


@require_GET
def retention_list(request):
    if not access.has_role(request.user, Role.COORDINATOR):
        raise Http404
    form = RetentionFilterForm(request.GET or None)
    state = form.cleaned_data["state"] if form.is_valid() else ""
    today = timezone.localdate()
    cases = retention.retention_cases(access.privacy_cases(request.user), state, today)
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(case, retention.retention_state(case, today)) for case in page]
    countries = Country.objects.filter(
        municipalities__in=access.municipality_ids(request.user, Role.COORDINATOR)
    ).distinct()
    return render(
        request,
        "cases/retention_list.html",
        {"form": form, "page": page, "rows": rows, "countries": countries},
    )


def _refuse_anonymised(request, case):
    messages.error(
        request,
        _("%(reference)s is anonymised: nothing is held about the person any more.")
        % {"reference": case.reference},
    )
    return redirect("case_detail", reference=case.reference)


@require_GET
@recent_auth_required
@rate_limited("export", "STROM_RATE_EXPORTS", every_request=True)
def subject_access_json(request, reference):
    case = _privacy_case(request, reference)
    if case.anonymised_at is not None:
        return _refuse_anonymised(request, case)
    data = retention.subject_access_data(case)
    record(
        AuditAction.EXPORT, request=request, obj=case, detail="data-subject access export (json)"
    )
    response = HttpResponse(
        retention.subject_access_json(data), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{case.reference}-access.json"'
    return response


@require_GET
@recent_auth_required
@rate_limited("export", "STROM_RATE_EXPORTS", every_request=True)
def subject_access_pdf(request, reference):
    case = _privacy_case(request, reference)
    if case.anonymised_at is not None:
        return _refuse_anonymised(request, case)
    language = request.LANGUAGE_CODE
    with translation.override(language):
        data = retention.subject_access_data(case)
    content = render_pdf(
        "pdf/subject_access.html", {"data": data, "language": language}, language=language
    )
    record(AuditAction.EXPORT, request=request, obj=case, detail="data-subject access export (pdf)")
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{case.reference}-access.pdf"'
    return response


@require_http_methods(["GET", "POST"])
@recent_auth_required
def erase(request, reference):
    case = _privacy_case(request, reference)
    if case.anonymised_at is not None:
        return _refuse_anonymised(request, case)
    form = ErasureForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        try:
            retention.anonymise(
                case,
                because=AnonymisedBecause.ERASURE,
                by=request.user,
                request=request,
                ground=form.cleaned_data["ground"],
                request_reference=form.cleaned_data["request_reference"],
            )
        except ValidationError as error:
            add_errors_from(form, error)
        else:
            messages.success(
                request,
                _("%(reference)s was erased: nothing that identifies the person is held any more.")
                % {"reference": case.reference},
            )
            return redirect("case_detail", reference=case.reference)
    _viewed(request, case)
    return render(request, "cases/erase.html", {"case": case, "form": form})
