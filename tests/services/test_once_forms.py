"""Service forms sent twice (a double click, a reload, back and resend) save once (issue 13,
finding 8): a new service and an HSDS import carry a one-time token, so a second post of the
same form adds no second service and says the first one was saved."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from services.models import Service
from tests.concurrency import at_once, errors_in, needs_postgresql, signed_in
from tests.once_forms import said_already, token_in_form
from tests.services.test_directory import new_service
from tests.services.test_hsds import IMPORT_URL, _document, _service

pytestmark = [pytest.mark.django_db, pytest.mark.form_tokens]


def test_a_resent_new_service_form_adds_one_service_and_shows_it(demo, client_for):
    client = client_for(demo.users["admin.riga"])
    url = reverse("service_create")
    data = dict(new_service(demo), once=token_in_form(client, url))
    first = client.post(url, data)
    again = client.post(url, data)
    service = Service.objects.get(name="Day centre for men")
    assert first.status_code == again.status_code == 302
    assert first["Location"] == again["Location"] == service.get_absolute_url()
    assert said_already(again) and not said_already(first)
    # A new form is a new token.
    client.post(url, dict(new_service(demo), once=token_in_form(client, url)))
    assert Service.objects.filter(name="Day centre for men").count() == 2


def test_a_refused_new_service_keeps_its_token_for_the_corrected_post(demo, client_for):
    client = client_for(demo.users["admin.riga"])
    url = reverse("service_create")
    token = token_in_form(client, url)
    wrong = client.post(url, new_service(demo, capacity_available="9", once=token))
    assert wrong.status_code == 200 and f'value="{token}"' in wrong.content.decode()
    assert client.post(url, new_service(demo, once=token)).status_code == 302
    assert Service.objects.filter(name="Day centre for men").count() == 1


def test_the_edit_form_carries_no_token(demo, client_for):
    service = Service.objects.filter(provider=demo.actors["riga-shelter"]).first()
    page = client_for(demo.users["admin.riga"]).get(reverse("service_edit", args=[service.pk]))
    assert 'name="once"' not in page.content.decode()


def _post_import(client, token):
    upload = SimpleUploadedFile(
        "services.json",
        _document(_service(), _service(id="2", name="Second")).encode(),
        content_type="application/json",
    )
    return client.post(IMPORT_URL, {"municipality": _riga(), "file": upload, "once": token})


def _riga():
    from strom.models import Municipality

    return Municipality.objects.get(code="RIX").pk


def imported():
    return Service.objects.filter(name__in=["Drop-in counselling", "Second"]).count()


def test_a_resent_hsds_import_imports_the_file_once(demo, client_for):
    client = client_for(demo.users["admin.riga"])
    token = token_in_form(client, IMPORT_URL)
    first = _post_import(client, token)
    again = _post_import(client, token)
    assert first.status_code == again.status_code == 302
    assert again["Location"] == reverse("service_list")
    assert said_already(again)
    assert imported() == 2
    # The same file again, from a new form, is a second import (the administrator's choice).
    assert _post_import(client, token_in_form(client, IMPORT_URL)).status_code == 302
    assert imported() == 4


def test_a_refused_import_keeps_its_token(demo, client_for):
    client = client_for(demo.users["admin.riga"])
    token = token_in_form(client, IMPORT_URL)
    bad = SimpleUploadedFile("services.json", b"{not json", content_type="application/json")
    wrong = client.post(IMPORT_URL, {"municipality": _riga(), "file": bad, "once": token})
    assert wrong.status_code == 200 and wrong.context["import_errors"]
    assert f'value="{token}"' in wrong.content.decode()
    assert _post_import(client, token).status_code == 302
    assert imported() == 2


@pytest.mark.skipif(**needs_postgresql)
@pytest.mark.django_db(transaction=True)
def test_an_import_posted_five_times_at_once_with_one_token_imports_once():
    from tests.conftest import _load_demo

    demo = _load_demo()  # a transactional test before this one emptied the database
    clients = [signed_in(demo.users["admin.riga"]) for _ in range(5)]
    token = token_in_form(clients[0], IMPORT_URL)
    results = at_once(clients, lambda c: _post_import(c, token))
    assert not errors_in(results)
    assert all(r.status_code == 302 for r in results)
    assert imported() == 2
    assert sum(said_already(r) for r in results) == 4
