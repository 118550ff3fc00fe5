"""Case document pages: list, upload, download, delete. The case comes from strom.access (a
case outside the user's scope is a 404); the work is in cases.documents."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from strom import access, uploads
from strom.forms import add_errors_from
from strom.ratelimits import rate_limited
from strom.reauth import recent_auth_required

from . import documents
from .choices import DocumentKind
from .views import _case, _viewed


class DocumentForm(forms.Form):
    file = uploads.UploadField(label=gettext_lazy("File"), kinds=uploads.CASE_DOCUMENT_KINDS)
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"), choices=DocumentKind.choices, initial=DocumentKind.OTHER
    )
    title = forms.CharField(
        label=gettext_lazy("Title"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("If left empty, the file name is used."),
    )


def _document(request, reference, pk):
    case = _case(request, reference)
    return access.get_or_404(documents.documents_for(request.user, case), pk=pk)


@require_GET
def document_list(request, reference):
    case = _case(request, reference)
    _viewed(request, case)
    return render(
        request,
        "cases/documents.html",
        {
            "case": case,
            "documents": documents.documents_for(request.user, case),
            "documents_editable": documents.accepts_changes(case),
        },
    )


@require_http_methods(["GET", "POST"])
def document_add(request, reference):
    case = _case(request, reference)
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            documents.upload_document(
                by=request.user,
                request=request,
                case=case,
                upload=form.cleaned_data["file"],
                kind=form.cleaned_data["kind"],
                title=form.cleaned_data["title"],
            )
        except ValidationError as error:
            add_errors_from(form, error)
        else:
            messages.success(request, _("Document added."))
            return redirect("case_detail", reference=case.reference)
    _viewed(request, case)
    return render(
        request,
        "cases/document_form.html",
        {
            "case": case,
            "form": form,
            "closed": not documents.accepts_changes(case),
        },
    )


@require_GET
@rate_limited("export", "STROM_RATE_EXPORTS", every_request=True)
@recent_auth_required
def document_download(request, reference, pk):
    document = _document(request, reference, pk)
    content = documents.read_document(by=request.user, request=request, document=document)
    return uploads.file_response(
        content,
        content_type=document.content_type,
        filename=documents.download_name(document),
    )


@require_http_methods(["GET", "POST"])
def document_delete(request, reference, pk):
    """GET asks for confirmation; POST deletes."""
    document = _document(request, reference, pk)
    case = document.case
    if request.method != "POST":
        _viewed(request, case)
        return render(request, "cases/document_delete.html", {"case": case, "document": document})
    try:
        documents.delete_document(by=request.user, request=request, document=document)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Document deleted."))
    return redirect("case_detail", reference=case.reference)
