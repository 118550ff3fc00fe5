"""The upload validator and the safe download response (strom/uploads.py)."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from strom import uploads

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(document.cookie)</script></svg>"
)
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64


def office(part="word/document.xml", extra=()):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<?xml version='1.0'?><Types/>")
        archive.writestr("_rels/.rels", "<Relationships/>")
        archive.writestr(part, "<document/>")
        for name in extra:
            archive.writestr(name, b"\x00macro")
    return buffer.getvalue()


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def refusal(name, content, kinds=uploads.CASE_DOCUMENT_KINDS):
    with pytest.raises(ValidationError) as caught:
        uploads.validate_upload(upload(name, content), kinds)
    return caught.value


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("scan.pdf", PDF, uploads.PDF),
        ("SCAN.PDF", PDF, uploads.PDF),
        ("photo.png", PNG, uploads.PNG),
        ("photo.jpg", JPEG, uploads.JPEG),
        ("photo.jpeg", JPEG, uploads.JPEG),
    ],
)
def test_pdf_png_and_jpeg_are_accepted_for_case_documents(name, content, kind):
    assert uploads.validate_upload(upload(name, content), uploads.CASE_DOCUMENT_KINDS) == kind


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("slides.pptx", office("ppt/presentation.xml"), uploads.PPTX),
        ("handout.docx", office("word/document.xml"), uploads.DOCX),
        ("figures.xlsx", office("xl/workbook.xml"), uploads.XLSX),
        ("handout.pdf", PDF, uploads.PDF),
    ],
)
def test_office_documents_are_accepted_for_training_materials(name, content, kind):
    assert uploads.validate_upload(upload(name, content), uploads.TRAINING_MATERIAL_KINDS) == kind


def test_an_opendocument_text_is_accepted_for_training_materials():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
    kind = uploads.validate_upload(
        upload("notes.odt", buffer.getvalue()), uploads.TRAINING_MATERIAL_KINDS
    )
    assert kind == uploads.ODT


@pytest.mark.parametrize("name", ["page.html", "page.htm", "report.pdf", "photo.png", "a.jpg"])
def test_an_html_file_with_a_script_is_refused_whatever_its_name(name):
    assert refusal(name, HTML).code in ("type", "mismatch")


@pytest.mark.parametrize("name", ["drawing.svg", "drawing.png", "drawing.pdf", "drawing.jpg"])
def test_an_svg_with_a_script_is_refused_whatever_its_name(name):
    assert refusal(name, SVG).code in ("type", "mismatch")


def test_svg_html_xml_and_scripts_are_refused_for_training_materials_too():
    for name, content in [
        ("x.svg", SVG),
        ("x.html", HTML),
        ("x.xml", b"<?xml version='1.0'?><a/>"),
        ("x.js", b"alert(1)"),
        ("x.docx", HTML),
    ]:
        assert refusal(name, content, uploads.TRAINING_MATERIAL_KINDS).code in (
            "type",
            "mismatch",
        )


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("photo.jpg", PDF),  # a PDF called a photo
        ("report.pdf", PNG),  # an image called a PDF
        ("report.pdf", EXE),  # a program called a PDF
        ("scan.png", JPEG),
        ("letter.pdf", b"Just some text, not a PDF."),
    ],
)
def test_a_misleading_extension_is_refused(name, content):
    error = refusal(name, content)
    assert error.code == "mismatch"
    assert "not what its name says" in error.messages[0]


@pytest.mark.parametrize(
    "name", ["setup.exe", "archive.zip", "script.js", "run.sh", "noextension", "a.pdf.exe"]
)
def test_executables_archives_and_unknown_types_are_refused(name):
    error = refusal(name, EXE)
    assert error.code == "type"
    assert "PDF, PNG, JPEG" in error.messages[0]


def test_a_plain_zip_called_docx_is_refused():
    assert refusal("handout.docx", office("notes.txt"), uploads.TRAINING_MATERIAL_KINDS).code == (
        "mismatch"
    )


def test_an_office_document_with_macros_is_refused():
    content = office("word/document.xml", extra=["word/vbaProject.bin"])
    error = refusal("handout.docx", content, uploads.TRAINING_MATERIAL_KINDS)
    assert error.code == "macros"


def test_an_image_that_carries_html_at_its_start_is_refused():
    polyglot = PNG + b"<html><script>alert(1)</script></html>"
    assert refusal("photo.png", polyglot).code == "markup"


def test_a_file_over_the_size_limit_is_refused(settings):
    settings.STROM_UPLOAD_MAX_MB = 1
    big = PDF + b"0" * (1024 * 1024)
    error = refusal("big.pdf", big)
    assert error.code == "too_large"
    assert "larger than 1 MB" in error.messages[0]
    assert uploads.validate_upload(upload("small.pdf", PDF), uploads.CASE_DOCUMENT_KINDS)


def test_an_empty_file_is_refused():
    assert refusal("empty.pdf", b"").code == "empty"


def test_validation_leaves_the_file_at_its_start():
    file = upload("scan.pdf", PDF)
    uploads.validate_upload(file, uploads.CASE_DOCUMENT_KINDS)
    assert file.read() == PDF


def test_the_upload_field_help_text_follows_the_setting(settings):
    settings.STROM_UPLOAD_MAX_MB = 3
    field = uploads.UploadField(kinds=uploads.CASE_DOCUMENT_KINDS)
    assert str(field.help_text) == "PDF, PNG, JPEG, at most 3 MB."
    assert ".pdf" in field.widget.attrs["accept"]


def test_the_upload_field_refuses_with_a_form_error():
    from django import forms

    class Form(forms.Form):
        file = uploads.UploadField(kinds=uploads.CASE_DOCUMENT_KINDS)

    form = Form(files={"file": upload("report.pdf", HTML)})
    assert not form.is_valid()
    assert "not what its name says" in form.errors["file"][0]
    form = Form(files={"file": upload("report.pdf", PDF)})
    assert form.is_valid()
    assert form.cleaned_data["file"].strom_kind == uploads.PDF


def test_file_response_is_a_download_the_browser_neither_renders_nor_sniffs():
    response = uploads.file_response(PDF, content_type="application/pdf", filename="scan.pdf")
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="scan.pdf"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ('a"b;c\r\n.pdf', "a_b_c.pdf"),
        ("page.html", "page.pdf"),
        ("", "fallback.pdf"),
        ("Pase Lāns.pdf", "Pase Lāns.pdf"),
    ],
)
def test_download_names_keep_no_path_and_end_in_the_checked_extension(name, expected):
    assert uploads.safe_filename(name, "pdf", fallback="fallback") == expected


def test_encrypted_content_round_trips_and_hides_the_plaintext():
    token = uploads.encrypt_content(PDF)
    assert b"%PDF" not in token
    assert uploads.decrypt_content(token) == PDF


def test_no_url_serves_media_files(client, settings):
    from django.urls import Resolver404, resolve

    with pytest.raises(Resolver404):
        resolve("/" + settings.MEDIA_URL + "cases/RIX/anything")


def test_uploaded_files_are_never_executable(settings):
    assert settings.FILE_UPLOAD_PERMISSIONS == 0o640
    assert settings.FILE_UPLOAD_DIRECTORY_PERMISSIONS == 0o750
