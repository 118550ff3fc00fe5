"""Uploaded files: one validator for every upload form, and one way to serve stored files.

A file is accepted only when its extension and its content (sniffed with `filetype`) name the
same allowed kind, when it is no larger than STROM_UPLOAD_MAX_MB, and when nothing in it looks
like web page code. HTML, SVG, XML, scripts, executables and archives are never an allowed
kind, so they are refused whatever they are called; office documents with macros are refused.

Stored files live under MEDIA_ROOT, which no URL serves, with permissions that make nothing
executable (FILE_UPLOAD_PERMISSIONS). `file_response` serves them as downloads only, under the
stored content type, with headers that stop a browser from rendering or sniffing them.
"""

import hashlib
import re
import unicodedata
import uuid
import zipfile
from dataclasses import dataclass

import filetype
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import crypto


@dataclass(frozen=True)
class Kind:
    label: str
    extensions: tuple
    content_type: str

    @property
    def extension(self):
        return self.extensions[0]

    @property
    def is_zipped(self):
        return self.content_type.startswith(
            ("application/vnd.openxmlformats", "application/vnd.oasis.opendocument")
        )


PDF = Kind("PDF", ("pdf",), "application/pdf")
PNG = Kind("PNG", ("png",), "image/png")
JPEG = Kind("JPEG", ("jpg", "jpeg"), "image/jpeg")
DOCX = Kind(
    "DOCX",
    ("docx",),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
)
XLSX = Kind("XLSX", ("xlsx",), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
PPTX = Kind(
    "PPTX",
    ("pptx",),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
)
ODT = Kind("ODT", ("odt",), "application/vnd.oasis.opendocument.text")
ODS = Kind("ODS", ("ods",), "application/vnd.oasis.opendocument.spreadsheet")
ODP = Kind("ODP", ("odp",), "application/vnd.oasis.opendocument.presentation")

# What each use accepts.
CASE_DOCUMENT_KINDS = (PDF, PNG, JPEG)
SIGNED_SCAN_KINDS = (PDF, PNG, JPEG)
TRAINING_MATERIAL_KINDS = (PDF, PNG, JPEG, DOCX, XLSX, PPTX, ODT, ODS, ODP)

# How far into a file the content is sniffed (filetype reads the same amount).
HEAD_BYTES = 8192
# Signs of web page code. Checked at the start of files that are not zip containers (PDF
# and images), where a browser that sniffs would look: a polyglot never gets that far.
MARKUP = re.compile(
    rb"<\s*(script|html|svg|body|iframe|object|embed|!doctype\s+html)\b", re.IGNORECASE
)
# Parts of an office document that carry macros or scripts.
MACRO_PARTS = re.compile(r"(^|/)(vbaProject\.bin|vbaData\.xml)$|^(Basic|Scripts)/", re.IGNORECASE)
FORBIDDEN_NAME_CHARACTERS = re.compile(r'[\x00-\x1f\x7f"\\/<>:|?*;]')


def max_bytes():
    return settings.STROM_UPLOAD_MAX_MB * 1024 * 1024


def _megabytes(limit):
    megabytes = limit / (1024 * 1024)
    return int(megabytes) if megabytes == int(megabytes) else round(megabytes, 1)


def allowed_labels(kinds):
    return ", ".join(kind.label for kind in kinds)


def accept_attribute(kinds):
    """For the file input's `accept`: a hint to the browser's file picker, never a check."""
    return ",".join(
        [f".{extension}" for kind in kinds for extension in kind.extensions]
        + [kind.content_type for kind in kinds]
    )


def extension_of(name):
    name = (name or "").rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def _read_head(upload):
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    return head


def _refuse_macros(upload):
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise ValidationError(
            _("The file is damaged or not a real office document."), code="damaged"
        ) from error
    finally:
        upload.seek(0)
    if any(MACRO_PARTS.search(name) for name in names):
        raise ValidationError(
            _("Documents with macros or scripts cannot be uploaded. Save it without macros."),
            code="macros",
        )


def validate_upload(upload, kinds, *, limit=None):
    """The allowed kind the upload is, or ValidationError with a message for the user.

    Reads only the start of the file (and, for office documents, the zip directory); leaves
    the file at its start."""
    limit = max_bytes() if limit is None else limit
    if upload is None or not getattr(upload, "name", ""):
        raise ValidationError(_("Choose a file."), code="required")
    if upload.size > limit:
        raise ValidationError(
            _("The file is larger than %(size)s MB.") % {"size": _megabytes(limit)},
            code="too_large",
        )
    if upload.size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    extension = extension_of(upload.name)
    by_extension = next((kind for kind in kinds if extension in kind.extensions), None)
    if by_extension is None:
        raise ValidationError(
            ngettext(
                "Files of this type cannot be uploaded. Allowed type: %(types)s.",
                "Files of this type cannot be uploaded. Allowed types: %(types)s.",
                len(kinds),
            )
            % {"types": allowed_labels(kinds)},
            code="type",
        )
    head = _read_head(upload)
    sniffed = filetype.guess(head)
    if sniffed is None or sniffed.mime != by_extension.content_type:
        raise ValidationError(
            _(
                "The file's content is not what its name says (.%(extension)s). "
                "Upload the original %(type)s file."
            )
            % {"extension": extension, "type": by_extension.label},
            code="mismatch",
        )
    if by_extension.is_zipped:
        _refuse_macros(upload)
    elif MARKUP.search(head):
        raise ValidationError(
            _("The file contains web page code and cannot be uploaded."), code="markup"
        )
    return by_extension


def kind_of_stored(head, kinds):
    """The allowed kind of stored content, sniffed from its start; None if it is none of them."""
    sniffed = filetype.guess(head) if head else None
    if sniffed is None:
        return None
    return next((kind for kind in kinds if kind.content_type == sniffed.mime), None)


def help_text(kinds):
    return _("%(types)s, at most %(size)s MB.") % {
        "types": allowed_labels(kinds),
        "size": _megabytes(max_bytes()),
    }


# Form fields are built once, at import: the help text is worked out when it is shown, in the
# user's language and with the limit of the moment.
_lazy_help_text = lazy(help_text, str)


class UploadField(forms.FileField):
    """A file field that runs `validate_upload` for the given kinds. The cleaned value is the
    upload, with `.strom_kind` set to the allowed kind it is."""

    def __init__(self, *args, kinds, **kwargs):
        self.kinds = kinds
        kwargs.setdefault("help_text", _lazy_help_text(kinds))
        kwargs.setdefault("widget", forms.ClearableFileInput)
        super().__init__(*args, **kwargs)
        self.widget.attrs.setdefault("accept", accept_attribute(kinds))

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload and upload is not initial:
            upload.strom_kind = validate_upload(upload, self.kinds)
        return upload


# Storing and serving --------------------------------------------------------------------


def random_name(extension=""):
    """A stored file name that reveals nothing: random hex, with the checked extension."""
    return uuid.uuid4().hex + (f".{extension}" if extension else "")


def read_all(upload):
    upload.seek(0)
    content = b"".join(upload.chunks())
    upload.seek(0)
    return content


def sha256(content):
    return hashlib.sha256(content).hexdigest()


def encrypt_content(content):
    """Bytes to store: a Fernet token under the newest field-encryption key."""
    return crypto.fernet().encrypt(content)


def decrypt_content(token):
    from cryptography.fernet import InvalidToken
    from django.core.exceptions import ImproperlyConfigured

    try:
        return crypto.fernet().decrypt(token)
    except InvalidToken as error:
        raise ImproperlyConfigured(
            "A stored file cannot be decrypted with STROM_FIELD_ENCRYPTION_KEYS: a key is "
            "missing (see docs/operations.md, key rotation)."
        ) from error


def safe_filename(name, extension, fallback):
    """A download name without path parts or control characters, ending in the checked
    extension."""
    name = unicodedata.normalize("NFC", (name or "").rsplit("/", 1)[-1].rsplit("\\", 1)[-1])
    stem = name.rsplit(".", 1)[0] if "." in name else name
    stem = FORBIDDEN_NAME_CHARACTERS.sub("_", stem).strip(" ._")[:100] or fallback
    return f"{stem}.{extension}"


def file_response(content, *, content_type, filename):
    """A download of stored content (bytes or a file opened in binary mode) that a browser
    neither renders nor sniffs. `content_type` is the stored, sniffed one: never a guess from
    the name."""
    if isinstance(content, bytes | bytearray):
        from io import BytesIO

        content = BytesIO(content)
    response = FileResponse(
        content, as_attachment=True, filename=filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cache-Control"] = "private, no-store"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response
