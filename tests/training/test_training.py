import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from training import actions
from training.coverage import coverage, due_for_refresher
from training.models import Certificate, EventTopic, Registration, TrainingEvent

pytestmark = pytest.mark.django_db


def make_event(
    demo, *, days, topics=("identification",), capacity=10, code="RIX", admin="admin.riga"
):
    event = TrainingEvent(
        title=f"Training in {days} days",
        municipality=demo.municipalities[code],
        starts_at=timezone.now() + datetime.timedelta(days=days),
        duration_hours=3,
        place="Room 1",
        organiser=demo.actors["riga-social" if code == "RIX" else "jelgava-social"],
        capacity=capacity,
    )
    return actions.save_event(by=demo.users[admin], event=event, topics=list(topics))


def test_coverage_matches_a_hand_computed_example(demo):
    # Riga Social Service has 2 front-line people (sw, coord); the shelter 1 (provider).
    riga = demo.municipalities["RIX"]
    before = {(r["actor_id"], r["role"]): r for r in coverage([riga])}
    event = make_event(demo, days=-10, topics=("labour", "children"))
    for username in ["sw.riga", "provider.riga"]:
        Registration.objects.create(event=event, user=demo.users[username])
    not_attending = Registration.objects.create(event=event, user=demo.users["coord.riga"])
    actions.mark_attendance(
        by=demo.users["admin.riga"],
        event=event,
        attended_ids={r.pk for r in event.registrations.all()} - {not_attending.pk},
    )
    rows = {(r["actor_id"], r["role"]): r for r in coverage([riga])}
    topics = [t.value for t in __import__("training.models", fromlist=["Topic"]).Topic]
    social, shelter = demo.actors["riga-social"].pk, demo.actors["riga-shelter"].pk
    children = topics.index("children")
    # Demo data trained nobody on child trafficking in Riga; now sw.riga and provider.riga.
    assert before[(social, "social_worker")]["cells"][children]["trained"] == 0
    assert rows[(social, "social_worker")]["cells"][children] == {"trained": 1, "share": 100}
    assert rows[(social, "coordinator")]["cells"][children] == {"trained": 0, "share": 0}
    assert rows[(shelter, "service_provider")]["cells"][children] == {"trained": 1, "share": 100}


def test_training_older_than_a_year_does_not_count(demo):
    event = make_event(demo, days=-400, topics=("data_protection",))
    registration = Registration.objects.create(event=event, user=demo.users["coord.riga"])
    actions.mark_attendance(
        by=demo.users["admin.riga"], event=event, attended_ids={registration.pk}
    )
    rows = coverage([demo.municipalities["RIX"]])
    index = 5  # data protection
    assert all(row["cells"][index]["trained"] == 0 for row in rows if row["role"] == "coordinator")


def test_people_without_recent_training_are_due_for_a_refresher(demo):
    due = {m.user.username for m in due_for_refresher(demo.municipalities["JEL"])}
    assert "coord.jelgava" in due and "sw.jelgava" not in due


def test_coverage_view_runs_a_constant_number_of_queries(
    demo, client_for, django_assert_max_num_queries
):
    from tests.factories import MembershipFactory

    MembershipFactory.create_batch(30, actor=demo.actors["riga-shelter"], role="service_provider")
    client = client_for(demo.users["coord.riga"])
    with django_assert_max_num_queries(10):
        response = client.get(reverse("training_coverage"))
    assert response.status_code == 200


def test_registration_beyond_capacity_is_refused(demo):
    event = make_event(demo, days=5, capacity=1)
    actions.register(by=demo.users["sw.riga"], event=event)
    with pytest.raises(ValidationError, match="full"):
        actions.register(by=demo.users["provider.riga"], event=event)
    assert event.registrations.count() == 1


def test_attendance_for_a_future_training_is_refused(demo):
    event = make_event(demo, days=5)
    registration = actions.register(by=demo.users["sw.riga"], event=event)
    with pytest.raises(ValidationError):
        actions.mark_attendance(
            by=demo.users["admin.riga"], event=event, attended_ids={registration.pk}
        )
    registration.refresh_from_db()
    assert registration.attended is None


def test_only_the_organising_administrator_marks_attendance(demo):
    event = make_event(demo, days=-1)
    for username in ["coord.riga", "sw.riga", "admin.jelgava"]:
        with pytest.raises(PermissionDenied):
            actions.mark_attendance(by=demo.users[username], event=event, attended_ids=set())


def test_certificate_pdf_and_public_verification(demo, client_for):
    event = make_event(demo, days=-2)
    registration = Registration.objects.create(event=event, user=demo.users["sw.riga"])
    actions.mark_attendance(
        by=demo.users["admin.riga"], event=event, attended_ids={registration.pk}
    )
    certificate = Certificate.objects.get(registration=registration)
    assert len(certificate.code) >= 22
    response = client_for(demo.users["sw.riga"]).get(
        reverse("training_certificate", args=[event.pk, registration.pk])
    )
    text = " ".join(PdfReader(io.BytesIO(response.content)).pages[0].extract_text().split())
    assert "Ilze Bērziņa" in text and event.title in text
    client_for(demo.users["sw.riga"]).logout()
    from django.test import Client

    anonymous = Client()
    page = anonymous.get(certificate.get_verify_url())
    assert page.status_code == 200
    content = page.content.decode()
    assert "Ilze Bērziņa" in content and event.title in content
    for private in [
        "sw.riga",
        "Riga Social Service",
        "Room 1",
        "identification",
        "Identification indicators",
    ]:
        assert private not in content, private
    assert anonymous.get(reverse("certificate_verify", args=["guess" * 5])).status_code == 404


def test_others_cannot_download_someone_elses_certificate(demo, client_for):
    event = make_event(demo, days=-2)
    registration = Registration.objects.create(event=event, user=demo.users["sw.riga"])
    actions.mark_attendance(
        by=demo.users["admin.riga"], event=event, attended_ids={registration.pk}
    )
    url = reverse("training_certificate", args=[event.pk, registration.pk])
    assert client_for(demo.users["provider.riga"]).get(url).status_code == 404
    assert client_for(demo.users["admin.riga"]).get(url).status_code == 200


def test_reminders_are_sent_once(demo):
    event = make_event(demo, days=1)
    actions.register(by=demo.users["sw.riga"], event=event)
    first = actions.send_reminders()
    assert first >= 1 and actions.send_reminders() == 0
    assert demo.users["sw.riga"].notifications.filter(kind="training_reminder").count() == 1


def test_ics_download(demo, client_for):
    event = make_event(demo, days=3)
    response = client_for(demo.users["sw.riga"]).get(reverse("training_ics", args=[event.pk]))
    body = response.content.decode()
    assert response["Content-Type"] == "text/calendar"
    assert "BEGIN:VEVENT" in body and f"UID:strom-training-{event.pk}@" in body
    assert "DTSTART:" in body and body.endswith("END:VCALENDAR\r\n")


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"capacity": "0"}, "capacity"),
        ({"capacity": "-5"}, "capacity"),
        ({"duration_hours": "0"}, "duration_hours"),
        ({"topics": []}, "topics"),
        ({"starts_at": "tomorrow"}, "starts_at"),
        ({"municipality": "JEL"}, "municipality"),
    ],
)
def test_bad_training_input_writes_nothing(demo, client_for, overrides, field):
    if overrides.get("municipality") == "JEL":
        overrides["municipality"] = demo.municipalities["JEL"].pk
    data = {
        "title": "T",
        "municipality": demo.municipalities["RIX"].pk,
        "level": "local",
        "mode": "in_person",
        "starts_at": "2027-03-01T10:00",
        "duration_hours": "3",
        "place": "Room",
        "organiser": demo.actors["riga-social"].pk,
        "topics": ["labour"],
        "capacity": "20",
        **overrides,
    }
    count = TrainingEvent.objects.count()
    response = client_for(demo.users["admin.riga"]).post(reverse("training_create"), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert TrainingEvent.objects.count() == count


ROLES = [
    "sw.riga",
    "coord.riga",
    "admin.riga",
    "provider.riga",
    "national.lv",
    "sw.jelgava",
    "admin.jelgava",
    "national.ee",
]


@pytest.mark.parametrize("username", ROLES)
def test_training_pages_by_role(demo, client_for, username):
    event = make_event(demo, days=4)
    client = client_for(demo.users[username])
    sees = username in {"sw.riga", "coord.riga", "admin.riga", "provider.riga", "national.lv"}
    assert client.get(reverse("training_detail", args=[event.pk])).status_code == (
        200 if sees else 404
    )
    assert client.get(reverse("training_edit", args=[event.pk])).status_code == (
        200 if username == "admin.riga" else 404
    )
    assert client.get(reverse("training_create")).status_code == (
        200 if username in {"admin.riga", "admin.jelgava"} else 404
    )
    assert client.get(reverse("training_coverage")).status_code == (
        200
        if username in {"coord.riga", "admin.riga", "national.lv", "admin.jelgava", "national.ee"}
        else 404
    )
    assert client.get(reverse("training_list")).status_code == 200


@pytest.mark.parametrize("username", ["sw.jelgava", "national.ee", "admin.jelgava"])
def test_others_cannot_register_or_organise(demo, client_for, username):
    event = make_event(demo, days=4)
    client = client_for(demo.users[username])
    assert client.post(reverse("training_register", args=[event.pk])).status_code == 404
    assert (
        client.post(reverse("training_external", args=[event.pk]), {"name": "X"}).status_code == 404
    )
    assert client.post(reverse("training_attendance", args=[event.pk])).status_code == 404
    assert not event.registrations.exists()


def test_national_coordinator_reads_but_does_not_register(demo, client_for):
    event = make_event(demo, days=4)
    response = client_for(demo.users["national.lv"]).post(
        reverse("training_register", args=[event.pk])
    )
    assert response.status_code == 404
    assert not event.registrations.exists()


def test_external_participant_needs_a_name(demo, client_for):
    event = make_event(demo, days=4)
    client = client_for(demo.users["admin.riga"])
    client.post(reverse("training_external", args=[event.pk]), {"name": "  "})
    assert not event.registrations.exists()
    client.post(
        reverse("training_external", args=[event.pk]),
        {"name": "Inga Krūmiņa", "organisation": "State Police"},
    )
    assert event.registrations.get().participant_name == "Inga Krūmiņa"


def test_topics_are_kept(demo):
    event = make_event(demo, days=4, topics=("labour", "referral"))
    assert set(EventTopic.objects.filter(event=event).values_list("topic", flat=True)) == {
        "labour",
        "referral",
    }
