"""Agreement forms sent twice (a double click, a reload, back and resend) save once (issue 13,
finding 8): a new agreement and a new clause carry a one-time token; a party and a signature
are one per organisation already (a constraint, checked under the version's lock), so a
second post is a clear refusal, never a second row or a server error."""

import pytest
from django.urls import reverse

from agreements.models import Agreement, Clause, Party, Signature
from tests.concurrency import at_once, errors_in, needs_postgresql, signed_in
from tests.once_forms import said_already, token_in_form

pytestmark = [pytest.mark.django_db, pytest.mark.form_tokens]

TITLE = "Memorandum on the referral of victims (double post)"


def new_agreement(demo, token):
    return {
        "municipality": demo.municipalities["RIX"].pk,
        "kind": "mou",
        "title": TITLE,
        "language": "en",
        "effective_from": "2026-02-01",
        "once": token,
    }


def test_a_resent_new_agreement_form_creates_one_draft_and_shows_it(demo, client_for):
    client = client_for(demo.users["admin.riga"])
    url = reverse("agreement_create")
    data = new_agreement(demo, token_in_form(client, url))
    first = client.post(url, data)
    again = client.post(url, data)
    agreement = Agreement.objects.get(title=TITLE)
    assert first.status_code == again.status_code == 302
    assert first["Location"] == again["Location"] == agreement.get_absolute_url()
    assert said_already(again) and not said_already(first)
    # A new form is a new token: a second agreement of the same title is possible.
    client.post(url, new_agreement(demo, token_in_form(client, url)))
    assert Agreement.objects.filter(title=TITLE).count() == 2


def test_a_refused_new_agreement_keeps_its_token_for_the_corrected_post(demo, client_for):
    client = client_for(demo.users["admin.riga"])
    url = reverse("agreement_create")
    token = token_in_form(client, url)
    wrong = client.post(url, dict(new_agreement(demo, token), effective_from="not a date"))
    assert wrong.status_code == 200 and f'value="{token}"' in wrong.content.decode()
    assert client.post(url, new_agreement(demo, token)).status_code == 302
    assert Agreement.objects.filter(title=TITLE).count() == 1


def test_a_resent_new_clause_form_adds_one_clause(demo, client_for, mou):
    client = client_for(demo.users["admin.riga"])
    url = reverse("agreement_clause_add", args=[mou.pk])
    data = {"title": "Data protection officer", "body": "Each party names one.", "once": None}
    data["once"] = token_in_form(client, url)
    version = mou.current_version
    before = version.clauses.count()
    first = client.post(url, data)
    again = client.post(url, data)
    assert first.status_code == again.status_code == 302
    assert again["Location"] == mou.get_absolute_url()
    assert said_already(again)
    assert version.clauses.count() == before + 1
    assert Clause.objects.filter(version=version, title="Data protection officer").count() == 1


def test_editing_a_clause_or_the_agreement_carries_no_token(demo, client_for, mou):
    client = client_for(demo.users["admin.riga"])
    clause = mou.current_version.clauses.first()
    for url in (
        reverse("agreement_clause_edit", args=[mou.pk, clause.pk]),
        reverse("agreement_edit", args=[mou.pk]),
    ):
        assert 'name="once"' not in client.get(url).content.decode()


def test_a_resent_party_form_is_refused_as_already_a_party(demo, client_for, mou):
    client = client_for(demo.users["admin.riga"])
    url = reverse("agreement_party_add", args=[mou.pk])
    data = {"actor": demo.actors["riga-church"].pk, "signatory_name": "Pastor"}
    assert client.post(url, data).status_code == 302
    again = client.post(url, data)
    assert again.status_code == 200
    assert "already a party" in str(again.context["form"].errors)
    version = mou.current_version
    assert Party.objects.filter(version=version, actor=demo.actors["riga-church"]).count() == 1


def test_a_resent_signature_is_refused_and_recorded_once(demo, client_for, mou):
    client = client_for(demo.users["admin.riga"])
    party = mou.current_version.parties.first()
    data = {"party": party.pk, "signatory_name": party.signatory_name, "signed_on": "2026-01-01"}
    url = reverse("agreement_sign", args=[mou.pk])
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302
    assert Signature.objects.filter(party=party).count() == 1


@pytest.mark.skipif(**needs_postgresql)
@pytest.mark.django_db(transaction=True)
def test_a_new_agreement_posted_ten_times_at_once_with_one_token_creates_one():
    from tests.conftest import _load_demo

    demo = _load_demo()  # a transactional test before this one emptied the database
    clients = [signed_in(demo.users["admin.riga"]) for _ in range(10)]
    data = new_agreement(demo, token_in_form(clients[0], reverse("agreement_create")))
    results = at_once(clients, lambda c: c.post(reverse("agreement_create"), data))
    assert not errors_in(results)
    assert all(r.status_code == 302 for r in results)
    assert Agreement.objects.filter(title=TITLE).count() == 1
    assert sum(said_already(r) for r in results) == 9



@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(**needs_postgresql)
def test_different_agreements_created_at_once_get_different_numbers():
    from tests.conftest import _load_demo

    demo = _load_demo()  # a transactional test before this one emptied the database
    clients = [signed_in(demo.users["admin.riga"]) for _ in range(6)]
    url = reverse("agreement_create")
    forms = {
        id(client): dict(new_agreement(demo, token_in_form(client, url)), title=f"{TITLE} {i}")
        for i, client in enumerate(clients)
    }
    results = at_once(clients, lambda c: c.post(url, forms[id(c)]))
    assert not errors_in(results)
    numbers = Agreement.objects.filter(title__startswith=TITLE).values_list("number", flat=True)
    assert len(numbers) == len(set(numbers)) == 6
