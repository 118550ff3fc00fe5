"""Training forms sent twice (a double click, a reload, back and resend) save once (issue 13,
finding 8): a new training event, an external participant, a material and a prevention
activity carry a one-time token, so a second post of the same form adds no second row and
says the first one was saved."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.once_forms import said_already, token_in_form
from tests.strom.test_uploads import PDF
from tests.training.test_network import form_data as prevention_data
from tests.training.test_training import make_event
from training.models import Material, PreventionActivity, Registration, TrainingEvent

pytestmark = [pytest.mark.django_db, pytest.mark.form_tokens]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def new_event(demo, token):
    return {
        "title": "Identifying labour exploitation (double post)",
        "municipality": demo.municipalities["RIX"].pk,
        "level": "local",
        "mode": "in_person",
        "starts_at": "2027-03-01T10:00",
        "duration_hours": "3",
        "place": "Room",
        "organiser": demo.actors["riga-social"].pk,
        "topics": ["labour"],
        "capacity": "20",
        "once": token,
    }


def test_a_resent_new_training_form_creates_one_event_and_shows_it(demo, client_for):
    client = client_for(demo.users["admin.riga"])
    url = reverse("training_create")
    data = new_event(demo, token_in_form(client, url))
    first = client.post(url, data)
    again = client.post(url, data)
    event = TrainingEvent.objects.get(title=data["title"])
    assert first.status_code == again.status_code == 302
    assert first["Location"] == again["Location"] == event.get_absolute_url()
    assert said_already(again) and not said_already(first)


def test_a_refused_new_training_keeps_its_token(demo, client_for):
    client = client_for(demo.users["admin.riga"])
    url = reverse("training_create")
    token = token_in_form(client, url)
    wrong = client.post(url, dict(new_event(demo, token), capacity="-1"))
    assert wrong.status_code == 200 and f'value="{token}"' in wrong.content.decode()
    assert client.post(url, new_event(demo, token)).status_code == 302
    assert TrainingEvent.objects.filter(title=new_event(demo, "")["title"]).count() == 1


def test_the_training_edit_form_carries_no_token(demo, client_for):
    event = make_event(demo, days=5)
    page = client_for(demo.users["admin.riga"]).get(reverse("training_edit", args=[event.pk]))
    assert 'name="once"' not in page.content.decode()


def test_a_resent_external_participant_is_added_once(demo, client_for):
    event = make_event(demo, days=5)
    client = client_for(demo.users["admin.riga"])
    url = reverse("training_external", args=[event.pk])
    data = {"name": "Inga Krūmiņa", "organisation": "State Police"}
    data["once"] = token_in_form(client, event.get_absolute_url(), action=url)
    first = client.post(url, data)
    again = client.post(url, data)
    assert first.status_code == again.status_code == 302
    assert again["Location"] == event.get_absolute_url()
    assert said_already(again)
    assert Registration.objects.filter(event=event, external_name="Inga Krūmiņa").count() == 1


def test_a_resent_material_is_attached_once(demo, client_for, media):
    event = make_event(demo, days=5)
    client = client_for(demo.users["admin.riga"])
    url = reverse("training_material", args=[event.pk])
    token = token_in_form(client, event.get_absolute_url(), action=url)
    assert token != token_in_form(client, event.get_absolute_url(), action=url)  # fresh per page

    def attach():
        upload = SimpleUploadedFile("plan.pdf", PDF, "application/pdf")
        return client.post(url, {"title": "Handout", "file": upload, "once": token})

    first, again = attach(), attach()
    assert first.status_code == again.status_code == 302
    assert again["Location"] == event.get_absolute_url()
    assert said_already(again)
    assert Material.objects.filter(event=event).count() == 1
    assert len([p for p in media.rglob("*") if p.is_file()]) == 1  # no second file stored


def test_the_two_forms_of_the_event_page_carry_different_tokens(demo, client_for):
    event = make_event(demo, days=5)
    client = client_for(demo.users["admin.riga"])
    page = event.get_absolute_url()
    external = token_in_form(client, page, action=reverse("training_external", args=[event.pk]))
    material = token_in_form(client, page, action=reverse("training_material", args=[event.pk]))
    assert external != material


def test_another_users_spent_token_on_a_post_only_form_goes_back_to_the_event(demo, client_for):
    """What the first post made is not shown to someone else; she lands on the event page,
    not on a URL that only takes a POST."""
    event = make_event(demo, days=5)
    url = reverse("training_external", args=[event.pk])
    client = client_for(demo.users["admin.riga"])
    data = {"name": "Inga Krūmiņa", "once": token_in_form(client, event.get_absolute_url(), url)}
    client.post(url, data)
    other = client_for(demo.users["admin.jelgava"])
    response = other.post(url, data)
    assert response.status_code == 302
    assert response["Location"] == event.get_absolute_url()
    assert Registration.objects.filter(event=event).count() == 1


def test_a_resent_prevention_activity_is_recorded_once(demo, client_for):
    client = client_for(demo.users["coord.riga"])
    url = reverse("prevention_create")
    data = prevention_data(demo, once=token_in_form(client, url))
    first = client.post(url, data)
    again = client.post(url, data)
    assert first.status_code == again.status_code == 302
    assert again["Location"] == reverse("prevention_list")
    assert said_already(again)
    assert PreventionActivity.objects.filter(title=data["title"]).count() == 1


def test_the_prevention_edit_form_carries_no_token(demo, client_for):
    client = client_for(demo.users["coord.riga"])
    url = reverse("prevention_create")
    client.post(url, prevention_data(demo, once=token_in_form(client, url)))
    activity = PreventionActivity.objects.get(title=prevention_data(demo)["title"])
    page = client.get(reverse("prevention_edit", args=[activity.pk]))
    assert 'name="once"' not in page.content.decode()
