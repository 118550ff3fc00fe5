"""Issue 14, finding 7: a training recorded after it took place.

Self-registration closes when a training starts; the organiser's list does not: the
administrator who organises it adds members of staff and external participants, marks
attendance and hands out certificates afterwards, and may create a training dated in the
past."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from tests.training.test_training import make_event
from training import actions
from training.models import TrainingEvent

pytestmark = pytest.mark.django_db


def past_event(demo, **kwargs):
    return make_event(demo, days=-3, **kwargs)


def test_an_administrator_creates_a_training_dated_in_the_past(demo, client_for):
    data = {
        "title": "Identifying forced labour (held last spring)",
        "municipality": demo.municipalities["RIX"].pk,
        "level": "local",
        "mode": "in_person",
        "starts_at": "2026-04-14T10:00",
        "duration_hours": "3",
        "place": "Room 2",
        "organiser": demo.actors["riga-social"].pk,
        "topics": ["labour"],
        "capacity": "20",
    }
    response = client_for(demo.users["admin.riga"]).post(reverse("training_create"), data)
    assert response.status_code == 302
    event = TrainingEvent.objects.get(title=data["title"])
    assert response["Location"] == event.get_absolute_url()


def test_the_organiser_adds_an_external_participant_after_the_start(demo, client_for):
    event = past_event(demo)
    response = client_for(demo.users["admin.riga"]).post(
        reverse("training_external", args=[event.pk]),
        {"name": "Inga Krūmiņa", "organisation": "State Police"},
        follow=True,
    )
    assert "Participant added." in response.content.decode()
    assert event.registrations.get().participant_name == "Inga Krūmiņa"


def test_the_organiser_adds_a_member_of_staff_after_the_start(demo, client_for):
    event = past_event(demo)
    sw = demo.users["sw.riga"]
    response = client_for(demo.users["admin.riga"]).post(
        reverse("training_add_staff", args=[event.pk]), {"user": sw.pk}, follow=True
    )
    assert "Participant added." in response.content.decode()
    assert event.registrations.get().user == sw


def test_the_organisers_page_of_a_past_training_offers_the_whole_list(demo, client_for):
    event = past_event(demo)
    page = client_for(demo.users["admin.riga"]).get(event.get_absolute_url()).content.decode()
    assert reverse("training_external", args=[event.pk]) in page
    assert reverse("training_add_staff", args=[event.pk]) in page
    # Staff of the municipality who could take part are offered; nobody from elsewhere.
    assert demo.users["sw.riga"].get_full_name() in page
    assert demo.users["sw.jelgava"].get_full_name() not in page


def test_self_registration_still_closes_at_the_start(demo, client_for):
    event = past_event(demo)
    client = client_for(demo.users["sw.riga"])
    page = client.get(event.get_absolute_url()).content.decode()
    assert "Registration is closed." in page
    assert reverse("training_register", args=[event.pk]) not in page
    assert reverse("training_add_staff", args=[event.pk]) not in page
    with pytest.raises(ValidationError, match="already started"):
        actions.register(by=demo.users["sw.riga"], event=event)
    client.post(reverse("training_register", args=[event.pk]))
    assert not event.registrations.exists()


def test_recorded_afterwards_add_participants_mark_attendance_download_certificates(
    demo, client_for
):
    event = past_event(demo)
    admin = client_for(demo.users["admin.riga"])
    admin.post(reverse("training_add_staff", args=[event.pk]), {"user": demo.users["sw.riga"].pk})
    admin.post(reverse("training_external", args=[event.pk]), {"name": "Jānis Ozols"})
    staff = event.registrations.get(user=demo.users["sw.riga"])
    external = event.registrations.get(external_name="Jānis Ozols")
    admin.post(
        reverse("training_attendance", args=[event.pk]), {"attended": [staff.pk, external.pk]}
    )
    for registration in (staff, external):
        registration.refresh_from_db()
        assert registration.attended and registration.certificate
    pdf = admin.get(reverse("training_certificate", args=[event.pk, external.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    own = client_for(demo.users["sw.riga"])
    page = own.get(event.get_absolute_url()).content.decode()
    assert reverse("training_certificate", args=[event.pk, staff.pk]) in page
    assert own.get(reverse("training_certificate", args=[event.pk, staff.pk])).status_code == 200


@pytest.mark.parametrize("username", ["sw.riga", "coord.riga", "admin.jelgava", "national.lv"])
def test_only_the_organiser_adds_staff(demo, client_for, username):
    event = past_event(demo)
    response = client_for(demo.users[username]).post(
        reverse("training_add_staff", args=[event.pk]), {"user": demo.users["sw.riga"].pk}
    )
    assert response.status_code == 404
    with pytest.raises(PermissionDenied):
        actions.register_staff(by=demo.users[username], event=event, user=demo.users["sw.riga"])
    assert not event.registrations.exists()


@pytest.mark.parametrize(
    "username", ["sw.jelgava", "national.lv", "sw.tallinn", "admin.riga", "nobody"]
)
def test_only_the_municipalitys_staff_can_be_added(demo, client_for, username):
    event = past_event(demo)
    user = demo.users.get(username)
    client = client_for(demo.users["admin.riga"])
    if username == "admin.riga":  # herself: fine, once
        client.post(reverse("training_add_staff", args=[event.pk]), {"user": user.pk})
        assert event.registrations.filter(user=user).count() == 1
    response = client.post(
        reverse("training_add_staff", args=[event.pk]), {"user": user.pk if user else "x"}
    )
    assert response.status_code == 302
    assert event.registrations.filter(user=user).count() == (username == "admin.riga")
    if username != "admin.riga":
        assert not event.registrations.exists()


def test_a_full_past_training_takes_nobody_more(demo, client_for):
    event = past_event(demo, capacity=1)
    client = client_for(demo.users["admin.riga"])
    client.post(reverse("training_external", args=[event.pk]), {"name": "A"})
    response = client.post(
        reverse("training_add_staff", args=[event.pk]),
        {"user": demo.users["sw.riga"].pk},
        follow=True,
    )
    assert "The training is full." in response.content.decode()
    assert event.registrations.count() == 1
    assert not event.registrations.filter(user=demo.users["sw.riga"]).exists()
