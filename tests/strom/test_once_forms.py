"""Core forms sent twice (a double click, a reload, back and resend) save once (issue 13,
finding 8). Nothing unique tells two organisations apart, so the new organisation form
carries a one-time token; a new account has a unique user name, so a second post of the same
form is refused with a clear error and creates nothing."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from strom.models import Actor
from strom.reauth import mark_authenticated
from tests.concurrency import at_once, errors_in, needs_postgresql, signed_in
from tests.once_forms import said_already, token_in_form
from tests.strom.test_actors import VALID
from tests.strom.test_people import new_person

pytestmark = [pytest.mark.django_db, pytest.mark.form_tokens]


def test_a_resent_new_organisation_form_adds_one_and_shows_it(demo, client_for):
    client = client_for(demo.users["admin.riga"])
    url = reverse("actor_create")
    data = {**VALID, "municipality": demo.municipalities["RIX"].pk}
    data["once"] = token_in_form(client, url)
    first = client.post(url, data)
    again = client.post(url, data)
    actor = Actor.objects.get(name=VALID["name"])
    assert first.status_code == again.status_code == 302
    assert first["Location"] == again["Location"] == reverse("actor_detail", args=[actor.pk])
    assert said_already(again) and not said_already(first)


def test_a_refused_new_organisation_keeps_its_token(demo, client_for):
    client = client_for(demo.users["admin.riga"])
    url = reverse("actor_create")
    token = token_in_form(client, url)
    data = {**VALID, "municipality": demo.municipalities["RIX"].pk, "once": token}
    wrong = client.post(url, dict(data, email="not an address"))
    assert wrong.status_code == 200 and f'value="{token}"' in wrong.content.decode()
    assert client.post(url, data).status_code == 302
    assert Actor.objects.filter(name=VALID["name"]).count() == 1


def test_the_organisation_edit_form_carries_no_token(demo, client_for):
    page = client_for(demo.users["admin.riga"]).get(
        reverse("actor_edit", args=[demo.actors["riga-social"].pk])
    )
    assert 'name="once"' not in page.content.decode()


def test_a_resent_new_account_form_is_refused_by_its_unique_user_name(demo, client_for):
    client = client_for(demo.users["admin.riga"])
    url = reverse("person_create")
    assert client.post(url, new_person(demo)).status_code == 302
    again = client.post(url, new_person(demo))
    assert again.status_code == 200
    assert "username" in again.context["form"].errors
    assert get_user_model().objects.filter(username="sw2.riga").count() == 1



@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(**needs_postgresql)
def test_two_administrators_creating_one_user_name_at_once_get_a_form_error_not_a_500():
    from tests.conftest import _load_demo

    demo = _load_demo()  # a transactional test before this one emptied the database
    clients = [signed_in(demo.users["admin.riga"]) for _ in range(6)]
    for client in clients:
        # New accounts need a recently confirmed password (strom.reauth).
        session = client.session
        mark_authenticated(session)
        session.save()
    data = new_person(demo, username="twice.riga")
    results = at_once(clients, lambda c: c.post(reverse("person_create"), data))
    assert not errors_in(results)
    assert get_user_model().objects.filter(username="twice.riga").count() == 1
    assert sorted(r.status_code for r in results) == [200] * 5 + [302]
