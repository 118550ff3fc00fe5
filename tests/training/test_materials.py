"""Training materials: checked on upload (strom.uploads), served only as safe downloads."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.urls import reverse

from strom.audit import AuditAction, AuditEvent
from tests.strom.test_uploads import HTML, PDF, SVG, office
from tests.training.test_training import make_event
from training.models import Material

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def stored_files(root):
    return sorted(p for p in root.rglob("*") if p.is_file())


def attach(client, event, name, content, title="Handout"):
    return client.post(
        reverse("training_material", args=[event.pk]),
        {"title": title, "file": SimpleUploadedFile(name, content, "application/pdf")},
    )


def test_organiser_attaches_a_pdf_stored_under_a_random_name(demo, client_for, media):
    event = make_event(demo, days=5)
    response = attach(client_for(demo.users["admin.riga"]), event, "Riga plan.pdf", PDF)
    assert response.status_code == 302
    material = Material.objects.get(event=event)
    [stored] = stored_files(media)
    assert stored.parent == media / "training"
    assert stored.suffix == ".pdf"
    assert "Riga" not in stored.name
    assert stored.stat().st_mode & 0o777 == 0o640
    assert AuditEvent.objects.filter(
        action=AuditAction.UPLOAD, detail=f"material {material.pk}"
    ).exists()


def test_an_office_document_is_accepted(demo, client_for, media):
    event = make_event(demo, days=5)
    attach(client_for(demo.users["admin.riga"]), event, "slides.pptx", office("ppt/slides.xml"))
    assert Material.objects.filter(event=event).count() == 1
    assert stored_files(media)[0].suffix == ".pptx"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("page.html", HTML),
        ("handout.pdf", HTML),
        ("logo.svg", SVG),
        ("logo.png", SVG),
        ("handout.docx", office("word/document.xml", extra=["word/vbaProject.bin"])),
        ("handout.pdf", b"MZ\x90\x00" + b"\x00" * 64),
    ],
)
def test_a_dangerous_or_mislabelled_material_is_refused_and_nothing_is_written(
    demo, client_for, media, name, content
):
    event = make_event(demo, days=5)
    response = attach(client_for(demo.users["admin.riga"]), event, name, content)
    assert response.status_code == 302
    assert not Material.objects.exists()
    assert stored_files(media) == []


def test_a_material_over_the_size_limit_is_refused(demo, client_for, media, settings):
    settings.STROM_UPLOAD_MAX_MB = 1
    event = make_event(demo, days=5)
    client = client_for(demo.users["admin.riga"])
    response = attach(client, event, "big.pdf", PDF + b"0" * (1024 * 1024))
    assert not Material.objects.exists()
    assert stored_files(media) == []
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("larger than 1 MB" in m for m in messages)


def test_a_failed_database_write_leaves_no_orphan_file(demo, client_for, media, monkeypatch):
    import training.views

    def broken(*args, **kwargs):
        raise IntegrityError("the database went away")

    monkeypatch.setattr(training.views, "record", broken)
    event = make_event(demo, days=5)
    with pytest.raises(IntegrityError):
        attach(client_for(demo.users["admin.riga"]), event, "plan.pdf", PDF)
    assert not Material.objects.exists()
    assert stored_files(media) == []


def test_download_is_an_attachment_of_the_sniffed_type_that_is_not_sniffed(demo, client_for):
    event = make_event(demo, days=5)
    attach(client_for(demo.users["admin.riga"]), event, "plan.pdf", PDF, title="Referral plan")
    material = Material.objects.get()
    response = client_for(demo.users["sw.riga"]).get(
        reverse("training_material_download", args=[event.pk, material.pk])
    )
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="Referral plan.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"


def test_an_old_material_of_an_unknown_type_is_served_as_an_opaque_download(
    demo, client_for, media
):
    from django.core.files.base import ContentFile

    event = make_event(demo, days=5)
    material = Material(event=event, title="Old page")
    material.file.save("old.html", ContentFile(HTML), save=True)
    response = client_for(demo.users["sw.riga"]).get(
        reverse("training_material_download", args=[event.pk, material.pk])
    )
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"] == 'attachment; filename="Old page.bin"'


def test_materials_of_a_training_one_may_not_see_are_404(demo, client_for):
    event = make_event(demo, days=5)
    attach(client_for(demo.users["admin.riga"]), event, "plan.pdf", PDF)
    material = Material.objects.get()
    for username in ["sw.jelgava", "coord.tallinn"]:
        response = client_for(demo.users[username]).get(
            reverse("training_material_download", args=[event.pk, material.pk])
        )
        assert response.status_code == 404


def test_only_organisers_attach_materials(demo, client_for, media):
    event = make_event(demo, days=5)
    for username in ["sw.riga", "coord.riga", "admin.jelgava"]:
        response = attach(client_for(demo.users[username]), event, "plan.pdf", PDF)
        assert response.status_code == 404
    assert not Material.objects.exists()
    assert stored_files(media) == []
