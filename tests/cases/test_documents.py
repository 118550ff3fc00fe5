"""Case documents: encrypted at rest, for those who may open the case, audited, and nothing
half-written when an upload is refused or fails."""

import hashlib
import time

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from cases import actions, documents
from cases.models import Case, CaseDocument
from strom.audit import AuditAction, AuditEvent
from strom.reauth import AUTHENTICATED_AT
from tests.strom.test_uploads import HTML, JPEG, PDF, PNG, SVG

pytestmark = pytest.mark.django_db

REFUSED = [
    "sw.jelgava",
    "coord.jelgava",
    "admin.riga",
    "provider.riga",
    "national.lv",
]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def stored_files(root):
    return sorted(p for p in root.rglob("*") if p.is_file())


def pdf(name="passport.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def upload(demo, case, by="sw.riga", **kwargs):
    kwargs.setdefault("upload", pdf())
    kwargs.setdefault("kind", "identity")
    kwargs.setdefault("title", "Passport")
    return documents.upload_document(by=demo.users[by], case=case, **kwargs)


def add_url(case):
    return reverse("case_document_add", args=[case.reference])


def download_url(document):
    return reverse("case_document_download", args=[document.case.reference, document.pk])


def delete_url(document):
    return reverse("case_document_delete", args=[document.case.reference, document.pk])


# Uploading --------------------------------------------------------------------------------


def test_assigned_worker_uploads_a_document_that_is_stored_encrypted(
    demo, client_for, riga_case, media
):
    client = client_for(demo.users["sw.riga"])
    response = client.post(
        add_url(riga_case), {"file": pdf("Pase Lan Nguyen.pdf"), "kind": "identity", "title": ""}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("case_detail", args=[riga_case.reference])
    document = CaseDocument.objects.get(case=riga_case)
    assert document.title == "Pase Lan Nguyen"
    assert document.original_name == "Pase Lan Nguyen.pdf"
    assert document.content_type == "application/pdf"
    assert document.size == len(PDF)
    assert document.sha256 == hashlib.sha256(PDF).hexdigest()
    assert document.uploaded_by == demo.users["sw.riga"]
    [stored] = stored_files(media)
    # A random name without extension, in the municipality's folder.
    assert stored.parent == media / "cases" / "RIX"
    assert "." not in stored.name
    on_disk = stored.read_bytes()
    assert PDF not in on_disk
    assert b"%PDF" not in on_disk
    assert stored.stat().st_mode & 0o777 == 0o640


def test_the_title_and_the_original_name_are_encrypted_in_the_database(demo, riga_case):
    from django.db import connection

    document = upload(demo, riga_case, upload=pdf("Lan Nguyen.pdf"), title="Passport of Lan")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT title, original_name FROM cases_casedocument WHERE id = %s", [document.pk]
        )
        title, original_name = cursor.fetchone()
    assert "Lan" not in title
    assert "Nguyen" not in original_name


def test_coordinator_of_the_municipality_uploads_downloads_and_deletes(
    demo, client_for, riga_case, media, django_capture_on_commit_callbacks
):
    client = client_for(demo.users["coord.riga"])
    response = client.post(add_url(riga_case), {"file": pdf(), "kind": "decision", "title": "X"})
    assert response.status_code == 302
    document = CaseDocument.objects.get(case=riga_case)
    assert client.get(download_url(document)).status_code == 200
    assert client.get(delete_url(document)).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(delete_url(document))
    assert response.status_code == 302
    assert not CaseDocument.objects.filter(pk=document.pk).exists()
    assert stored_files(media) == []


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("page.html", HTML),  # an HTML file with a script
        ("report.pdf", HTML),  # the same, pretending to be a PDF
        ("drawing.svg", SVG),  # an SVG with a script
        ("drawing.png", SVG),  # the same, called a PNG
        ("drawing.pdf", SVG),  # the same, called a PDF
        ("photo.jpg", PDF),  # a misleading extension
        ("scan.pdf", PNG),
        ("setup.exe", b"MZ\x90\x00" + b"\x00" * 64),
    ],
)
def test_a_dangerous_or_mislabelled_file_is_refused_and_nothing_is_written(
    demo, client_for, riga_case, media, name, content
):
    client = client_for(demo.users["sw.riga"])
    events = AuditEvent.objects.exclude(action=AuditAction.VIEW).count()
    response = client.post(
        add_url(riga_case),
        {"file": SimpleUploadedFile(name, content, "application/pdf"), "kind": "other"},
    )
    assert response.status_code == 200
    assert "file" in response.context["form"].errors
    assert not CaseDocument.objects.exists()
    assert stored_files(media) == []
    # Only the view of the form shown again is recorded.
    assert AuditEvent.objects.exclude(action=AuditAction.VIEW).count() == events


def test_a_file_over_the_size_limit_is_refused_with_a_clear_message(
    demo, client_for, riga_case, media, settings
):
    settings.STROM_UPLOAD_MAX_MB = 1
    client = client_for(demo.users["sw.riga"])
    response = client.post(
        add_url(riga_case),
        {"file": pdf(content=PDF + b"0" * (1024 * 1024)), "kind": "other"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == ["The file is larger than 1 MB."]
    assert not CaseDocument.objects.exists()
    assert stored_files(media) == []


def test_the_action_checks_the_file_itself(demo, riga_case, media):
    with pytest.raises(ValidationError):
        upload(demo, riga_case, upload=SimpleUploadedFile("x.pdf", SVG))
    assert not CaseDocument.objects.exists()
    assert stored_files(media) == []


def test_a_failure_after_the_file_was_written_removes_the_file(demo, riga_case, media, monkeypatch):
    def broken_audit(*args, **kwargs):
        raise IntegrityError("the database went away")

    monkeypatch.setattr(documents, "record", broken_audit)
    with pytest.raises(IntegrityError):
        upload(demo, riga_case)
    assert not CaseDocument.objects.exists()
    assert stored_files(media) == []


def test_a_failed_database_write_leaves_no_orphan_file(demo, riga_case, media, monkeypatch):
    def broken_save(self, *args, **kwargs):
        raise IntegrityError("constraint")

    monkeypatch.setattr(CaseDocument, "save", broken_save)
    with pytest.raises(IntegrityError):
        upload(demo, riga_case)
    assert stored_files(media) == []


def test_a_closed_case_takes_no_documents(demo, client_for, riga_case, media):
    actions.close_case(
        by=demo.users["coord.riga"], case=riga_case, reason="moved", closed_on=timezone.localdate()
    )
    with pytest.raises(ValidationError):
        upload(demo, riga_case)
    client = client_for(demo.users["sw.riga"])
    response = client.post(add_url(riga_case), {"file": pdf(), "kind": "other"})
    assert response.status_code == 200
    assert response.context["closed"]
    assert not CaseDocument.objects.exists()
    assert stored_files(media) == []


def test_an_anonymised_case_takes_no_documents(demo, riga_case, media):
    Case.objects.filter(pk=riga_case.pk).update(anonymised_at=timezone.now())
    riga_case.refresh_from_db()
    with pytest.raises(ValidationError):
        upload(demo, riga_case)
    assert stored_files(media) == []


def test_a_closed_case_keeps_its_documents(demo, client_for, riga_case, media):
    document = upload(demo, riga_case)
    actions.close_case(
        by=demo.users["coord.riga"], case=riga_case, reason="moved", closed_on=timezone.localdate()
    )
    response = client_for(demo.users["coord.riga"]).post(delete_url(document))
    assert response.status_code == 302
    assert CaseDocument.objects.filter(pk=document.pk).exists()
    assert len(stored_files(media)) == 1


# Downloading ------------------------------------------------------------------------------


def test_download_returns_the_original_bytes_as_an_attachment_that_is_not_sniffed(
    demo, client_for, riga_case
):
    document = upload(demo, riga_case, upload=pdf("passport.pdf"))
    response = client_for(demo.users["sw.riga"]).get(download_url(document))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="passport.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert "no-store" in response["Cache-Control"]


def test_the_download_name_ends_in_the_checked_type(demo, client_for, riga_case):
    document = upload(
        demo, riga_case, upload=SimpleUploadedFile("photo.JPEG", JPEG), kind="medical"
    )
    response = client_for(demo.users["sw.riga"]).get(download_url(document))
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"] == 'attachment; filename="photo.jpeg"'


def test_upload_download_and_delete_are_audited_without_names(
    demo, client_for, riga_case, django_capture_on_commit_callbacks
):
    client = client_for(demo.users["sw.riga"])
    client.post(
        add_url(riga_case), {"file": pdf("Lan Nguyen.pdf"), "kind": "identity", "title": "Lan"}
    )
    document = CaseDocument.objects.get()
    client.get(download_url(document))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(delete_url(document))
    events = AuditEvent.objects.filter(object_type="cases.case", object_id=str(riga_case.pk))
    actions_ = list(
        events.filter(
            action__in=[AuditAction.UPLOAD, AuditAction.DOWNLOAD, AuditAction.DELETE]
        ).values_list("action", "username", "detail")
    )
    assert {action for action, _user, _detail in actions_} == {
        AuditAction.UPLOAD,
        AuditAction.DOWNLOAD,
        AuditAction.DELETE,
    }
    assert all(user == "sw.riga" for _action, user, _detail in actions_)
    assert all(f"document {document.pk}" in detail for _a, _u, detail in actions_)
    assert not any("Lan" in detail or "Nguyen" in detail for _a, _u, detail in actions_)


def test_download_asks_for_the_password_again_after_a_while(demo, client_for, riga_case):
    document = upload(demo, riga_case)
    client = client_for(demo.users["sw.riga"])
    session = client.session
    session[AUTHENTICATED_AT] = int(time.time()) - 24 * 3600
    session.save()
    response = client.get(download_url(document))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("reauthenticate"))
    assert not AuditEvent.objects.filter(action=AuditAction.DOWNLOAD).exists()


def test_downloads_are_rate_limited(demo, client_for, riga_case, settings):
    from django.core.cache import cache

    cache.clear()
    settings.STROM_RATE_EXPORTS = "2/h"
    document = upload(demo, riga_case)
    client = client_for(demo.users["sw.riga"])
    assert [client.get(download_url(document)).status_code for _ in range(3)] == [200, 200, 429]
    cache.clear()


# Who may -----------------------------------------------------------------------------------


@pytest.mark.parametrize("username", REFUSED)
def test_other_roles_and_municipalities_get_404_and_change_nothing(
    demo, client_for, riga_case, media, username
):
    document = upload(demo, riga_case)
    client = client_for(demo.users[username])
    reference = riga_case.reference
    assert client.get(reverse("case_documents", args=[reference])).status_code == 404
    assert client.get(add_url(riga_case)).status_code == 404
    assert client.post(add_url(riga_case), {"file": pdf(), "kind": "other"}).status_code == 404
    assert client.get(download_url(document)).status_code == 404
    assert client.get(delete_url(document)).status_code == 404
    assert client.post(delete_url(document)).status_code == 404
    assert list(CaseDocument.objects.values_list("pk", flat=True)) == [document.pk]
    assert len(stored_files(media)) == 1
    assert not AuditEvent.objects.filter(action=AuditAction.DOWNLOAD, username=username).exists()


def test_unassigned_social_worker_of_the_same_municipality_gets_404(demo, client_for, riga_case):
    from tests.factories import MembershipFactory

    colleague = MembershipFactory(actor=demo.actors["riga-social"], role="social_worker").user
    document = upload(demo, riga_case)
    client = client_for(colleague)
    assert client.get(download_url(document)).status_code == 404
    assert client.get(add_url(riga_case)).status_code == 404


@pytest.mark.parametrize("username", REFUSED)
def test_the_actions_refuse_those_who_may_not_read_the_case(demo, riga_case, username):
    document = upload(demo, riga_case)
    user = demo.users[username]
    with pytest.raises(PermissionDenied):
        upload(demo, riga_case, by=username)
    with pytest.raises(PermissionDenied):
        documents.read_document(by=user, document=document)
    with pytest.raises(PermissionDenied):
        documents.delete_document(by=user, document=document)
    assert CaseDocument.objects.count() == 1


def test_a_document_is_not_reachable_through_another_case(demo, client_for, open_case):
    first, second = open_case(), open_case()
    document = upload(demo, first)
    url = reverse("case_document_download", args=[second.reference, document.pk])
    assert client_for(demo.users["sw.riga"]).get(url).status_code == 404


# The case page -----------------------------------------------------------------------------


def test_the_case_page_lists_the_documents(demo, client_for, riga_case):
    upload(demo, riga_case, upload=pdf(content=PDF + b"0" * 2000), title="Residence permit")
    response = client_for(demo.users["sw.riga"]).get(
        reverse("case_detail", args=[riga_case.reference])
    )
    page = response.content.decode()
    assert "Residence permit" in page
    assert "2.0\xa0KB" in page
    assert "Identity document" in page
    assert reverse("case_document_add", args=[riga_case.reference]) in page
    assert "<script" not in page.split('id="documents-heading"')[1].split("</section>")[0]


@pytest.mark.parametrize("count", [0, 6])
def test_the_case_page_runs_a_constant_number_of_queries_whatever_the_documents(
    demo, client_for, riga_case, count, django_assert_max_num_queries
):
    for number in range(count):
        upload(demo, riga_case, title=f"Document {number}")
    client = client_for(demo.users["sw.riga"])
    client.get(reverse("case_detail", args=[riga_case.reference]))  # warm the session
    with django_assert_max_num_queries(40) as captured:
        response = client.get(reverse("case_detail", args=[riga_case.reference]))
    assert response.status_code == 200
    document_queries = [q for q in captured.captured_queries if "casedocument" in q["sql"]]
    assert len(document_queries) == 1


def test_the_documents_page_answers_to_the_worker(demo, client_for, riga_case):
    upload(demo, riga_case, title="Decision")
    response = client_for(demo.users["sw.riga"]).get(
        reverse("case_documents", args=[riga_case.reference])
    )
    assert response.status_code == 200
    assert "Decision" in response.content.decode()


# Key rotation ------------------------------------------------------------------------------


def test_key_rotation_re_encrypts_the_stored_files(demo, client_for, riga_case, media, settings):
    from io import StringIO

    from cryptography.fernet import Fernet
    from django.core.management import call_command
    from django.core.management.base import CommandError

    document = upload(demo, riga_case)
    old_key = settings.FIELD_ENCRYPTION_KEYS[0]
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode(), old_key]
    with pytest.raises(CommandError, match="older key"):
        call_command("reencrypt_fields", check=True, stdout=StringIO())
    out = StringIO()
    call_command("reencrypt_fields", stdout=out)
    assert "cases.CaseDocument files: 1 files, 1 re-encrypted" in out.getvalue()
    call_command("reencrypt_fields", check=True, stdout=StringIO())

    settings.FIELD_ENCRYPTION_KEYS = settings.FIELD_ENCRYPTION_KEYS[:1]  # old key retired
    [stored] = stored_files(media)  # the old file is gone
    document.refresh_from_db()
    assert stored.name in document.file.name
    response = client_for(demo.users["sw.riga"]).get(download_url(document))
    assert b"".join(response.streaming_content) == PDF
