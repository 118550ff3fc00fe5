"""A social worker registers for a training; after it, the administrator marks attendance and
the certificate downloads. A training recorded after it took place takes participants,
attendance and certificates too (issue 14, finding 7). axe-core checks every page."""

import datetime

from django.utils import timezone

from strom.models import Actor
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


def test_a_training_recorded_afterwards_takes_participants_attendance_and_certificates(
    ui, e2e_demo, browser
):
    page = ui.page
    title = "Indicators of forced labour (held last week)"
    held = timezone.localtime() - datetime.timedelta(days=7)
    ui.login("admin.riga")
    ui.follow("Training")
    ui.follow("Plan a training")
    page.get_by_label("Title").fill(title)
    page.get_by_label("Starts").fill(held.strftime("%Y-%m-%dT10:00"))
    page.get_by_label("Duration (hours)").fill("3")
    page.get_by_label("Place or link").fill("Riga City Council, room 2")
    page.get_by_label("Organiser").select_option(
        label=Actor.objects.get(pk=e2e_demo.actors["riga-social"].pk).name
    )
    page.get_by_label("Labour exploitation").check()
    page.get_by_label("Places").fill("20")
    ui.submit("Save")
    assert page.get_by_text("Training saved.").is_visible()
    event = TrainingEvent.objects.get(title=title)
    assert event.starts_at < timezone.now()

    # The organiser's list is open after the start: a member of staff, then a guest.
    with page.expect_navigation():
        staff = page.locator(f"form[action='/training/{event.pk}/staff/']")
        staff.get_by_label("Member of staff").select_option(label="Ilze Bērziņa")
        staff.get_by_role("button", name="Add").click()
    ui.check_accessibility()
    assert page.get_by_text("Participant added.").is_visible()
    with page.expect_navigation():
        external = page.locator(f"form[action='/training/{event.pk}/external/']")
        external.get_by_label("Name").fill("Jānis Ozols")
        external.get_by_label("Organisation").fill("State Police")
        external.get_by_role("button", name="Add").click()
    ui.check_accessibility()
    assert page.get_by_text("Participant added.").is_visible()

    page.get_by_label("Ilze Bērziņa attended").check()
    page.get_by_label("Jānis Ozols attended").check()
    ui.submit("Save attendance")
    assert page.get_by_text("Attendance saved").is_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Certificate of Jānis Ozols").click()
    assert download.value.path().read_bytes().startswith(b"%PDF")
    ui.submit("Sign out")

    # The member of staff finds her certificate; she could not have registered herself.
    ui.login("sw.riga")
    ui.goto(f"/training/{event.pk}/")
    assert page.get_by_role("button", name="Register").count() == 0
    with page.expect_download() as download:
        page.get_by_role("link", name="Download your certificate").click()
    assert download.value.path().read_bytes().startswith(b"%PDF")
