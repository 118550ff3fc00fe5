"""Double clicks, resent forms and two people at once: every case form that creates a row
creates it once, and a second submission says so instead of failing or duplicating.

The tests with threads run on PostgreSQL only (CI): each thread is a signed-in browser of
its own, and all of them post at the same moment."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from cases import actions
from cases.models import Case, CaseNote, Consent, Exploitation, IdentificationChange, Need, Person
from tests.cases.test_views import consent_data, new_case_data
from tests.concurrency import at_once, errors_in, form_token, needs_postgresql, signed_in

# Tokens are required, as in production.
pytestmark = pytest.mark.form_tokens

TODAY = timezone.localdate

# Repeated submissions, one after the other (any database) -------------------------------------


def note_data(token):
    return {
        "kind": "phone",
        "occurred_on": TODAY().isoformat(),
        "text": "Called about the interpreter",
        "once": token,
    }


def _info(response):
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


@pytest.mark.django_db
def test_a_resent_note_form_adds_one_note_and_says_it_was_saved(demo, client_for, riga_case):
    client = client_for(demo.users["sw.riga"])
    url = reverse("case_note_add", args=[riga_case.reference])
    token = form_token(client, url)
    first = client.post(url, note_data(token))
    again = client.post(url, note_data(token))
    assert first.status_code == again.status_code == 302
    assert again["Location"] == reverse("case_detail", args=[riga_case.reference])
    assert "already" in _info(again)
    assert CaseNote.objects.filter(case=riga_case).count() == 1
    # A new form is a new token: a second note is possible.
    client.post(url, note_data(form_token(client, url)))
    assert CaseNote.objects.filter(case=riga_case).count() == 2


@pytest.mark.django_db
def test_a_resent_new_case_form_registers_one_case_and_shows_it(demo, client_for):
    client = client_for(demo.users["sw.riga"])
    url = reverse("case_create")
    data = dict(new_case_data(demo), once=form_token(client, url))
    before = Case.objects.count()
    first = client.post(url, data)
    again = client.post(url, data)
    assert Case.objects.count() == before + 1
    assert first.status_code == again.status_code == 302
    assert again["Location"] == first["Location"]  # the case registered the first time
    assert "already" in _info(again)


@pytest.mark.django_db
@pytest.mark.parametrize("token", [None, "", "short", "x" * 500, "<script>", "é" * 32])
def test_a_new_case_or_note_posted_without_a_valid_token_is_refused_and_saves_nothing(
    demo, client_for, riga_case, token
):
    client = client_for(demo.users["sw.riga"])
    cases_before, notes_before = Case.objects.count(), CaseNote.objects.count()
    for url, data in (
        (reverse("case_create"), new_case_data(demo)),
        (reverse("case_note_add", args=[riga_case.reference]), note_data(token)),
    ):
        data = {key: value for key, value in data.items() if key != "once"}
        if token is not None:
            data["once"] = token
        response = client.post(url, data)
        # Back to a fresh form, with a message: a script cannot post it twenty times.
        assert response.status_code == 302 and response["Location"] == url
        assert "nothing was saved" in _info(response)
    assert (Case.objects.count(), CaseNote.objects.count()) == (cases_before, notes_before)


@pytest.mark.django_db
def test_a_form_with_an_error_keeps_its_token_for_the_corrected_post(demo, client_for, riga_case):
    client = client_for(demo.users["sw.riga"])
    url = reverse("case_note_add", args=[riga_case.reference])
    token = form_token(client, url)
    wrong = client.post(url, dict(note_data(token), occurred_on="2099-01-01"))
    assert wrong.status_code == 200 and "occurred_on" in wrong.context["form"].errors
    assert f'value="{token}"' in wrong.content.decode()
    assert client.post(url, note_data(token)).status_code == 302
    assert CaseNote.objects.filter(case=riga_case).count() == 1


@pytest.mark.django_db
def test_a_resent_need_consent_or_status_form_saves_once(demo, client_for, riga_case):
    worker = client_for(demo.users["sw.riga"])
    need_url = reverse("case_need_add", args=[riga_case.reference])
    need = {"category": "medical_care", "urgency": "days", "status": "identified"}
    need["once"] = form_token(worker, need_url)
    consent_url = reverse("case_consent_add", args=[riga_case.reference])
    consent = dict(consent_data(demo), once=form_token(worker, consent_url))
    for _ in range(2):
        assert worker.post(need_url, need).status_code == 302
        assert worker.post(consent_url, consent).status_code == 302
    assert Need.objects.filter(case=riga_case, category="medical_care").count() == 1
    assert Consent.objects.filter(case=riga_case).count() == 1

    coordinator = client_for(demo.users["coord.riga"])
    status_url = reverse("case_identification", args=[riga_case.reference])
    decision = {
        "status": "presumed",
        "decided_on": riga_case.first_contact_on.isoformat(),
        "deciding_actor": demo.actors["riga-social"].pk,
        "once": form_token(coordinator, status_url),
    }
    before = IdentificationChange.objects.filter(case=riga_case).count()
    for _ in range(2):
        assert coordinator.post(status_url, decision).status_code == 302
    assert IdentificationChange.objects.filter(case=riga_case).count() == before + 1


@pytest.mark.django_db
def test_another_users_token_saves_nothing_and_shows_nothing(demo, client_for, riga_case):
    worker = client_for(demo.users["sw.riga"])
    url = reverse("case_note_add", args=[riga_case.reference])
    token = form_token(worker, url)
    assert worker.post(url, note_data(token)).status_code == 302
    coordinator = signed_in(demo.users["coord.riga"])
    response = coordinator.post(url, note_data(token))
    assert response.status_code == 302
    assert CaseNote.objects.filter(case=riga_case).count() == 1


# At the same moment, from ten browsers (PostgreSQL) ----------------------------------------------

on_postgresql = pytest.mark.skipif(**needs_postgresql)
transactional = pytest.mark.django_db(transaction=True)


def _world_with_a_case():
    from tests.conftest import _load_demo

    demo = _load_demo()  # a transactional test before this one emptied the database
    case = actions.open_case(
        by=demo.users["sw.riga"],
        municipality=demo.municipalities["RIX"],
        first_contact_on=TODAY() - timedelta(days=2),
        person=Person(age_years=30),
        exploitation=Exploitation(),
        needs=[("interpretation", "immediate")],
    )
    return demo, case


@on_postgresql
@transactional
def test_the_same_need_posted_ten_times_at_once_is_recorded_once_without_a_server_error():
    demo, case = _world_with_a_case()
    url = reverse("case_need_add", args=[case.reference])
    clients = [signed_in(demo.users["sw.riga"]) for _ in range(10)]
    # Ten separate forms (ten tokens): only the case's lock and the constraint stand
    # between them.
    need = {"category": "medical_care", "urgency": "days", "status": "identified"}
    forms = {id(c): dict(need, once=form_token(c, url)) for c in clients}
    results = at_once(clients, lambda c: c.post(url, forms[id(c)]))
    assert errors_in(results) == []
    assert Need.objects.filter(case=case, category="medical_care").count() == 1
    assert sorted(r.status_code for r in results) == [200] * 9 + [302]
    for refused in (r for r in results if r.status_code == 200):
        assert refused.context["form"].errors  # a form error, not a server error


@on_postgresql
@transactional
def test_a_new_case_posted_ten_times_at_once_with_one_token_registers_one_case():
    from tests.conftest import _load_demo

    demo = _load_demo()
    user = demo.users["sw.riga"]
    clients = [signed_in(user) for _ in range(10)]
    data = dict(new_case_data(demo), once=form_token(clients[0], reverse("case_create")))
    before = Case.objects.count()
    results = at_once(clients, lambda c: c.post(reverse("case_create"), data))
    assert errors_in(results) == []
    assert Case.objects.count() == before + 1
    case = Case.objects.order_by("-pk").first()
    assert {r.status_code for r in results} == {302}
    assert {r["Location"] for r in results} == {reverse("case_detail", args=[case.reference])}


@on_postgresql
@transactional
def test_a_note_posted_ten_times_at_once_with_one_token_is_added_once():
    demo, case = _world_with_a_case()
    url = reverse("case_note_add", args=[case.reference])
    clients = [signed_in(demo.users["sw.riga"]) for _ in range(10)]
    data = note_data(form_token(clients[0], url))
    results = at_once(clients, lambda c: c.post(url, data))
    assert errors_in(results) == []
    assert {r.status_code for r in results} == {302}
    assert CaseNote.objects.filter(case=case).count() == 1


@on_postgresql
@transactional
def test_a_status_decision_posted_ten_times_at_once_is_recorded_once():
    demo, case = _world_with_a_case()
    url = reverse("case_identification", args=[case.reference])
    clients = [signed_in(demo.users["coord.riga"]) for _ in range(10)]
    data = {
        "status": "presumed",
        "decided_on": case.first_contact_on.isoformat(),
        "deciding_actor": demo.actors["riga-social"].pk,
        "once": form_token(clients[0], url),
    }
    before = IdentificationChange.objects.filter(case=case).count()
    results = at_once(clients, lambda c: c.post(url, data))
    assert errors_in(results) == []
    assert {r.status_code for r in results} == {302}
    assert IdentificationChange.objects.filter(case=case).count() == before + 1
