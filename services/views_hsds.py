"""HSDS export and import pages: for administrators of a municipality. Thin: the work is
in services.hsds."""

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from cases import once
from strom import access
from strom.audit import AuditAction, record
from strom.ratelimits import rate_limited
from strom.reauth import recent_auth_required

from . import hsds

LIST_URL = reverse_lazy("service_list")


class HsdsImportForm(forms.Form):
    municipality = forms.ModelChoiceField(
        label=gettext_lazy("Municipality"),
        queryset=None,
        help_text=gettext_lazy("The services are created in this municipality."),
    )
    file = forms.FileField(
        label=gettext_lazy("HSDS 3.0 file (JSON)"),
        help_text=gettext_lazy("At most 40 MB and 5,000 services."),
        widget=forms.ClearableFileInput(attrs={"accept": ".json,application/json"}),
    )

    def __init__(self, *args, user, too_large=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = access.administered_municipalities(user)
        if self.fields["municipality"].queryset.count() == 1:
            self.fields["municipality"].initial = self.fields["municipality"].queryset.get()
        self.too_large = too_large
        if too_large:
            # The upload was stopped on its way in: the file is missing because of its size.
            self.fields["file"].required = False

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if self.too_large or upload.size > hsds.MAX_BYTES:
            raise forms.ValidationError(
                gettext_lazy("The file is larger than %(size)s MB; split it into smaller files.")
                % {"size": hsds.MAX_BYTES // (1024 * 1024)}
            )
        return upload


def _administered(user):
    municipalities = access.administered_municipalities(user)
    if not municipalities.exists():
        raise Http404
    return municipalities


@require_GET
@never_cache
@recent_auth_required
@rate_limited("export", "STROM_RATE_EXPORTS", every_request=True)
def hsds_export(request):
    municipality = access.get_or_404(
        _administered(request.user), pk=request.GET.get("municipality")
    )
    services = access.editable_services(request.user).filter(municipality=municipality)
    document = hsds.export_document(services, may_see_address=access.address_reader(request.user))
    record(
        AuditAction.EXPORT,
        request=request,
        obj=municipality,
        municipality=municipality,
        detail=f"HSDS export: {len(document['services'])} services",
    )
    response = HttpResponse(hsds.dumps(document), content_type="application/json; charset=utf-8")
    filename = f"strom-services-{municipality.code}-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@never_cache
@once.shows_spent
def hsds_import(request):
    municipalities = _administered(request.user)
    form = HsdsImportForm(
        request.POST or None,
        request.FILES or None,
        user=request.user,
        # strom.upload_handlers stopped an upload larger than any form accepts.
        too_large=getattr(request, "upload_too_large", False),
    )
    import_errors = []
    if request.method == "POST" and form.is_valid():
        try:
            # Sent twice, the form imports the file once (a one-time token).
            created = once.wrap(request, hsds.import_document, url=lambda _created: LIST_URL)(
                text=form.cleaned_data["file"].read(),
                municipality=form.cleaned_data["municipality"],
                by=request.user,
                request=request,
            )
        except hsds.HsdsImportError as error:
            import_errors = error.errors
        else:
            count = len(created)
            messages.success(
                request,
                ngettext("%(count)s service imported.", "%(count)s services imported.", count)
                % {"count": count},
            )
            return redirect(LIST_URL)
    return render(
        request,
        "services/hsds_import.html",
        {
            "form": form,
            "import_errors": import_errors,
            "municipalities": municipalities,
            "once": once.token(request),
        },
    )
