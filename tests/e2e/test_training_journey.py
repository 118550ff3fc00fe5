"""A social worker registers for a training; after it, the administrator marks attendance and
the certificate downloads. axe-core checks every page."""

import datetime

from django.utils import timezone

from training.models import TrainingEvent


def test_register_attend_and_download_the_certificate(ui, e2e_demo, browser):
    page = ui.page
    event = TrainingEvent.objects.filter(
        municipality__code="RIX", starts_at__gt=timezone.now()
    ).first()
    ui.login("sw.riga")
    ui.follow("Training")
    ui.follow(event.title)
    if page.get_by_role("button", name="Cancel my registration").count():
        ui.submit("Cancel my registration")
    ui.submit("Register")
    assert page.get_by_text("You are registered.").first.is_visible()
    ui.submit("Sign out")

    # The training takes place.
    TrainingEvent.objects.filter(pk=event.pk).update(
        starts_at=timezone.now() - datetime.timedelta(hours=4)
    )
    ui.login("admin.riga")
    ui.goto(f"/training/{event.pk}/")
    page.get_by_label("Ilze Bērziņa attended").check()
    ui.submit("Save attendance")
    assert page.get_by_text("Attendance saved").is_visible()
    ui.submit("Sign out")

    ui.login("sw.riga")
    ui.goto(f"/training/{event.pk}/")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download your certificate").click()
    assert download.value.path().read_bytes().startswith(b"%PDF")
