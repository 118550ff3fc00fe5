"""The scan of the signed paper MoU: attached by an administrator to a signed version, checked
(strom.uploads), audited, downloadable by those who may read the agreement."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.urls import reverse

from agreements import actions
from strom.audit import AuditAction, AuditEvent
from tests.strom.test_uploads import HTML, JPEG, PDF, SVG

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def scans(root):
    folder = root / "agreements" / "scans"
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def scan(name="signed.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def upload_url(agreement, number=1):
    return reverse("agreement_scan_upload", args=[agreement.pk, number])


def download_url(agreement, number=1):
    return reverse("agreement_scan", args=[agreement.pk, number])


def test_administrator_attaches_the_scan_of_the_signed_paper_copy(demo, client_for, signed, media):
    client = client_for(demo.users["admin.riga"])
    response = client.post(upload_url(signed), {"file": scan()})
    assert response.status_code == 302
    version = signed.versions.get(number=1)
    assert version.signed_scan_type == "application/pdf"
    [stored] = scans(media)
    assert "." not in stored.name
    assert stored.read_bytes() == PDF
    assert stored.stat().st_mode & 0o777 == 0o640
    assert AuditEvent.objects.filter(
        action=AuditAction.UPLOAD, object_type="agreements.agreement", object_id=str(signed.pk)
    ).exists()
    page = client.get(signed.get_absolute_url()).content.decode()
    assert download_url(signed) in page


@pytest.mark.parametrize("username", ["admin.riga", "coord.riga", "national.lv", "sw.riga"])
def test_those_who_read_the_agreement_download_the_scan_safely(demo, client_for, signed, username):
    actions.attach_signed_scan(
        by=demo.users["admin.riga"],
        version=signed.current_version,
        upload=scan("paper.jpg", JPEG),
    )
    response = client_for(demo.users[username]).get(download_url(signed))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == JPEG
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"] == (
        f'attachment; filename="{signed.number}-v1-signed.jpg"'
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert AuditEvent.objects.filter(
        action=AuditAction.DOWNLOAD, username=username, object_id=str(signed.pk)
    ).exists()


@pytest.mark.parametrize("username", ["admin.jelgava", "coord.jelgava", "coord.tallinn"])
def test_others_get_404(demo, client_for, signed, media, username):
    actions.attach_signed_scan(
        by=demo.users["admin.riga"], version=signed.current_version, upload=scan()
    )
    client = client_for(demo.users[username])
    assert client.get(download_url(signed)).status_code == 404
    assert client.post(upload_url(signed), {"file": scan()}).status_code == 404
    assert len(scans(media)) == 1


@pytest.mark.parametrize("username", ["coord.riga", "sw.riga", "national.lv"])
def test_only_administrators_attach_the_scan(demo, client_for, signed, media, username):
    response = client_for(demo.users[username]).post(upload_url(signed), {"file": scan()})
    assert response.status_code == 404
    with pytest.raises(PermissionDenied):
        actions.attach_signed_scan(
            by=demo.users[username], version=signed.current_version, upload=scan()
        )
    assert scans(media) == []
    assert not signed.versions.get(number=1).signed_scan


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("signed.html", HTML),
        ("signed.pdf", HTML),
        ("signed.svg", SVG),
        ("signed.png", SVG),
        ("signed.jpg", PDF),
        ("signed.docx", PDF),
    ],
)
def test_a_dangerous_or_mislabelled_scan_is_refused_and_nothing_is_written(
    demo, client_for, signed, media, name, content
):
    response = client_for(demo.users["admin.riga"]).post(
        upload_url(signed), {"file": scan(name, content)}
    )
    assert response.status_code == 302
    assert scans(media) == []
    assert not signed.versions.get(number=1).signed_scan
    assert not AuditEvent.objects.filter(action=AuditAction.UPLOAD).exists()


def test_a_scan_over_the_size_limit_is_refused(demo, client_for, signed, media, settings):
    settings.STROM_UPLOAD_MAX_MB = 1
    response = client_for(demo.users["admin.riga"]).post(
        upload_url(signed), {"file": scan(content=PDF + b"0" * (1024 * 1024))}
    )
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("larger than 1 MB" in m for m in messages)
    assert scans(media) == []


def test_a_draft_takes_no_scan(demo, mou, media):
    with pytest.raises(ValidationError):
        actions.attach_signed_scan(
            by=demo.users["admin.riga"], version=mou.current_version, upload=scan()
        )
    assert scans(media) == []


def test_a_failed_database_write_leaves_no_orphan_file(demo, signed, media, monkeypatch):
    def broken(*args, **kwargs):
        raise IntegrityError("the database went away")

    monkeypatch.setattr(actions, "record", broken)
    with pytest.raises(IntegrityError):
        actions.attach_signed_scan(
            by=demo.users["admin.riga"], version=signed.current_version, upload=scan()
        )
    assert scans(media) == []
    assert not signed.versions.get(number=1).signed_scan


def test_a_new_scan_replaces_the_old_file(demo, signed, media, django_capture_on_commit_callbacks):
    admin = demo.users["admin.riga"]
    actions.attach_signed_scan(by=admin, version=signed.current_version, upload=scan())
    with django_capture_on_commit_callbacks(execute=True):
        actions.attach_signed_scan(
            by=admin, version=signed.current_version, upload=scan("again.jpg", JPEG)
        )
    [stored] = scans(media)
    version = signed.versions.get(number=1)
    assert stored.name in version.signed_scan.name
    assert stored.read_bytes() == JPEG
    assert version.signed_scan_type == "image/jpeg"


def test_no_scan_no_download(demo, client_for, signed):
    assert client_for(demo.users["admin.riga"]).get(download_url(signed)).status_code == 404


def test_a_stored_pdf_missing_from_disk_gives_a_clear_page_not_a_server_error(
    demo, client_for, signed, media, caplog
):
    # E.g. a restore of the database without the media folder.
    version = signed.versions.get(number=1)
    version.pdf.storage.delete(version.pdf.name)
    response = client_for(demo.users["admin.riga"]).get(
        reverse("agreement_pdf", args=[signed.pk, 1])
    )
    assert response.status_code == 404
    assert "missing from the server" in response.content.decode()
    assert any("Stored file missing" in r.message for r in caplog.records)
