"""Case documents: files kept with a case (scans of identity documents, decisions, letters).

The content is encrypted with the field-encryption keys before it reaches the disk, under a
random name without extension; the title and the original name are encrypted columns. Who may
read the case may add, download and delete its documents (strom.access.cases_for); a closed or
anonymised case takes no new documents.

Each action is one transaction and writes the audit log with the case's reference code and the
document's number, never a file name or title (they may name the person). A file written to
disk is removed again when the transaction does not commit, so a refusal or a database error
leaves neither a record nor an orphan file.
"""

import logging

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from strom import access, crypto, uploads
from strom.audit import AuditAction, record

from .models import Case, CaseDocument

logger = logging.getLogger(__name__)


def documents_for(user, case):
    """The case's documents, if the user may read the case; else none."""
    if not access.cases_for(user).filter(pk=case.pk).exists():
        return CaseDocument.objects.none()
    return case.documents.select_related("uploaded_by")


def _require_readable(by, case):
    access.require(access.cases_for(by).filter(pk=case.pk).exists())


def accepts_changes(case):
    """Documents are added and deleted while the case is open. (An anonymised case is
    always closed; the check says so for the reader.)"""
    return not case.is_closed and case.anonymised_at is None


def _require_open_for_documents(case):
    if case.anonymised_at is not None:
        raise ValidationError(_("The case is anonymised: it takes no documents."))
    if case.is_closed:
        raise ValidationError(_("The case is closed. Reopen it first."))


def _delete_file(storage, name):
    try:
        storage.delete(name)
    except OSError:  # pragma: no cover - a file system error: logged, nothing to undo
        logger.exception("Could not remove stored file %s", name)


def upload_document(*, by, request=None, case, upload, kind, title=""):
    """Check the file (uploads.validate_upload), encrypt it, store it, record it.

    One transaction. When it does not commit (a refusal, a database error, a failed commit),
    the stored file is removed. Call it outside any other transaction, as views do: a
    rollback of an enclosing transaction after it returned would leave the file behind."""
    written = []
    try:
        with transaction.atomic():
            return _upload(
                by=by,
                request=request,
                case=case,
                upload=upload,
                kind=kind,
                title=title,
                written=written,
            )
    except BaseException:
        for storage, name in written:
            _delete_file(storage, name)
        raise


def _upload(*, by, request, case, upload, kind, title, written):
    _require_readable(by, case)
    case = Case.objects.select_for_update().select_related("municipality").get(pk=case.pk)
    _require_open_for_documents(case)
    file_kind = uploads.validate_upload(upload, uploads.CASE_DOCUMENT_KINDS)
    content = uploads.read_all(upload)
    original_name = upload.name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1][:200]
    document = CaseDocument(
        case=case,
        kind=kind,
        title=(title or "").strip() or original_name.rsplit(".", 1)[0] or _("Document"),
        original_name=original_name,
        content_type=file_kind.content_type,
        size=len(content),
        sha256=uploads.sha256(content),
        uploaded_by=by,
    )
    document.full_clean(exclude=["file"])
    document.file.save("", ContentFile(uploads.encrypt_content(content)), save=False)
    written.append((document.file.storage, document.file.name))
    document.save()
    record(
        AuditAction.UPLOAD,
        request=request,
        user=by,
        obj=case,
        detail=f"document {document.pk} ({kind}, {file_kind.label}, {len(content)} bytes)",
    )
    return document


@transaction.atomic
def delete_document(*, by, request=None, document):
    """Remove the record; the file goes when the deletion has committed."""
    case = document.case
    _require_readable(by, case)
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.is_closed:
        raise ValidationError(_("The case is closed. Reopen it first."))
    document = CaseDocument.objects.select_for_update().get(pk=document.pk, case=case)
    storage, name, number = document.file.storage, document.file.name, document.pk
    document.delete()
    record(
        AuditAction.DELETE,
        request=request,
        user=by,
        obj=case,
        detail=f"document {number} ({document.kind})",
    )
    transaction.on_commit(lambda: _delete_file(storage, name))
    return document


def read_document(*, by, request=None, document):
    """The original bytes, decrypted; the download is audited."""
    _require_readable(by, document.case)
    with document.file.open("rb") as stored:
        content = uploads.decrypt_content(stored.read())
    record(
        AuditAction.DOWNLOAD,
        request=request,
        user=by,
        obj=document.case,
        detail=f"document {document.pk} ({document.kind})",
    )
    return content


def download_name(document):
    """The original name, ending in an extension of the checked type."""
    kind = next(
        (k for k in uploads.CASE_DOCUMENT_KINDS if k.content_type == document.content_type), None
    )
    extension = uploads.extension_of(document.original_name)
    if kind is None:
        extension = "bin"
    elif extension not in kind.extensions:
        extension = kind.extension
    return uploads.safe_filename(
        document.original_name, extension, fallback=f"{document.case.reference}-{document.pk}"
    )


def rotate_document_files(*, check=False):
    """Re-encrypt every stored document under the newest key (manage.py reencrypt_fields).

    Each file is written anew under a new name and its row switched to it in one short
    transaction; the old file is removed afterwards. Run again after an interruption: it skips
    what is already under the newest key. Returns (files, under an older key, re-encrypted)."""
    from cryptography.fernet import Fernet, InvalidToken
    from django.conf import settings

    newest = Fernet(settings.FIELD_ENCRYPTION_KEYS[0])
    total = stale = rotated = 0
    for document in CaseDocument.objects.select_related("case__municipality").iterator():
        total += 1
        with document.file.open("rb") as stored:
            token = stored.read()
        try:
            newest.decrypt(token)
            continue
        except InvalidToken:
            stale += 1
        if check:
            continue
        storage, old_name = document.file.storage, document.file.name
        new_token = crypto.fernet().rotate(token)
        written = []
        try:
            with transaction.atomic():
                locked = CaseDocument.objects.select_for_update().get(pk=document.pk)
                if locked.file.name != old_name:
                    continue  # changed meanwhile: the next run looks at it again
                locked.file.save("", ContentFile(new_token), save=False)
                written.append(locked.file.name)
                locked.save(update_fields=["file"])
        except BaseException:
            for name in written:
                _delete_file(storage, name)
            raise
        _delete_file(storage, old_name)
        rotated += 1
    return total, stale, rotated
