"""Every referral page and action, for every role, including another municipality's
provider: 200 (or a redirect after the change) where allowed, 404 and no change elsewhere."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from referrals.escalation import sweep
from referrals.models import Referral, Transition

pytestmark = pytest.mark.django_db

ROLES = [
    "sw.riga",
    "coord.riga",
    "admin.riga",
    "provider.riga",
    "national.lv",
    "sw.jelgava",
    "coord.jelgava",
    "provider.tallinn",
]
CASE_SIDE = {"sw.riga", "coord.riga"}  # sw.riga is the case's worker


@pytest.mark.parametrize("username", ROLES)
def test_referral_page(demo, client_for, sent, username):
    response = client_for(demo.users[username]).get(reverse("referral_detail", args=[sent.pk]))
    allowed = CASE_SIDE | {"provider.riga"}
    assert response.status_code == (200 if username in allowed else 404)


@pytest.mark.parametrize("username", ROLES)
def test_case_chain_page(demo, client_for, sent, username):
    url = reverse("case_pathway", args=[sent.case.reference])
    response = client_for(demo.users[username]).get(url)
    assert response.status_code == (200 if username in CASE_SIDE else 404)


@pytest.mark.parametrize("username", ROLES)
def test_inbox(demo, client_for, sent, username):
    response = client_for(demo.users[username]).get(reverse("referral_inbox"))
    if username in {"provider.riga", "provider.tallinn"}:
        assert response.status_code == 200
        listed = {r.pk for rows in ("waiting", "open", "closed") for r in response.context[rows]}
        assert (sent.pk in listed) is (username == "provider.riga")
    else:
        assert response.status_code == 404


def test_a_draft_step_is_404_for_its_future_recipient(demo, client_for, chain):
    response = client_for(demo.users["provider.riga"]).get(
        reverse("referral_detail", args=[chain[0].pk])
    )
    assert response.status_code == 404


RECIPIENT_ACTIONS = {
    "referral_accept": {},
    "referral_decline": {"reason": "no_capacity"},
    "referral_start": {},
    "referral_complete": {"outcome": "got_help"},
}
COORDINATOR_ACTIONS = {
    "referral_hold": {"reason": "Waiting"},
    "referral_withdraw": {"reason": "Moved"},
    "referral_expire": {"reason": "Lapsed"},
    "referral_override": {"item": "contact", "reason": "Risk to life"},
    "referral_send": {"to_actor": "riga-church"},
}


@pytest.mark.parametrize("action", sorted(RECIPIENT_ACTIONS))
@pytest.mark.parametrize("username", [u for u in ROLES if u != "provider.riga"])
def test_only_the_recipient_answers(demo, client_for, sent, action, username):
    response = client_for(demo.users[username]).post(
        reverse(action, args=[sent.pk]), RECIPIENT_ACTIONS[action]
    )
    assert response.status_code == 404
    assert Referral.objects.get(pk=sent.pk).status == "sent"


@pytest.mark.parametrize("action", sorted(COORDINATOR_ACTIONS))
@pytest.mark.parametrize("username", [u for u in ROLES if u != "coord.riga"])
def test_only_the_cases_coordinator_routes(demo, client_for, sent, action, username):
    data = dict(COORDINATOR_ACTIONS[action])
    if "to_actor" in data:
        data["to_actor"] = demo.actors[data["to_actor"]].pk
    transitions = Transition.objects.filter(referral=sent).count()
    response = client_for(demo.users[username]).post(reverse(action, args=[sent.pk]), data)
    assert response.status_code == 404
    assert Transition.objects.filter(referral=sent).count() == transitions
    assert not sent.overrides.exists()


def test_provider_accepts_from_the_page_and_the_coordinator_is_told(demo, client_for, sent):
    client = client_for(demo.users["provider.riga"])
    response = client.post(reverse("referral_accept", args=[sent.pk]))
    assert response.status_code == 302
    assert Referral.objects.get(pk=sent.pk).status == "accepted"
    assert demo.users["coord.riga"].notifications.filter(kind="referral_accepted").exists()


@pytest.mark.parametrize(
    ("action", "data"),
    [
        ("referral_complete", {"outcome": "got_help"}),  # complete before accepting
        ("referral_decline", {"reason": "bored"}),
        ("referral_decline", {}),
        ("referral_complete", {"outcome": ""}),
    ],
)
def test_invalid_answers_are_refused_with_a_message(demo, client_for, sent, action, data):
    client = client_for(demo.users["provider.riga"])
    response = client.post(reverse(action, args=[sent.pk]), data, follow=True)
    assert response.status_code == 200
    assert [m for m in response.context["messages"] if m.level_tag == "error"]
    assert Referral.objects.get(pk=sent.pk).status == "sent"


def test_completing_a_declined_referral_is_refused(demo, client_for, sent):
    client = client_for(demo.users["provider.riga"])
    client.post(reverse("referral_decline", args=[sent.pk]), {"reason": "no_capacity"})
    response = client.post(
        reverse("referral_complete", args=[sent.pk]), {"outcome": "got_help"}, follow=True
    )
    assert "cannot become completed" in response.content.decode()
    assert Referral.objects.get(pk=sent.pk).status == "declined"


@pytest.mark.parametrize("to_actor", ["tallinn-ngo", "jelgava-social", "999999", "not-a-number"])
def test_sending_to_an_organisation_outside_the_scope_is_refused(demo, client_for, chain, to_actor):
    target = demo.actors[to_actor].pk if to_actor in demo.actors else to_actor
    client = client_for(demo.users["coord.riga"])
    response = client.post(
        reverse("referral_send", args=[chain[1].pk]), {"to_actor": target}, follow=True
    )
    assert response.status_code == 200
    assert Referral.objects.get(pk=chain[1].pk).status == "draft"


def test_a_tampered_referral_or_step_id_is_404(demo, client_for, sent, riga_pathway):
    client = client_for(demo.users["coord.riga"])
    assert client.get(reverse("referral_detail", args=[999999])).status_code == 404
    jelgava_referral = Referral.objects.filter(case__municipality__code="JEL").first()
    if jelgava_referral:
        assert client.get(reverse("referral_detail", args=[jelgava_referral.pk])).status_code == 404
    other = client.post(
        reverse("case_pathway_start", args=[sent.case.reference]),
        {"pathway": "999999"},
        follow=True,
    )
    assert other.status_code == 200
    assert Referral.objects.filter(case=sent.case).count() == 2


def test_timeline_and_home_show_the_escalation(demo, client_for, sent):
    Referral.objects.filter(pk=sent.pk).update(
        response_due_at=timezone.now() - datetime.timedelta(hours=1),
        next_escalation_at=timezone.now() - datetime.timedelta(hours=3),
    )
    sweep()
    client = client_for(demo.users["coord.riga"])
    timeline = client.get(reverse("case_pathway", args=[sent.case.reference])).content.decode()
    assert "Escalated to the municipal coordinator" in timeline
    home = client.get(reverse("home"))
    assert sent.pk in {r.pk for r in home.context["sections"][0]["attention"]}
    header = home.content.decode()
    assert "unread" in header


def test_national_coordinator_sees_escalations_by_reference_code_only(demo, client_for, sent):
    Referral.objects.filter(pk=sent.pk).update(
        response_due_at=timezone.now() - datetime.timedelta(hours=30),
        next_escalation_at=timezone.now() - datetime.timedelta(hours=40),
    )
    sweep()
    page = client_for(demo.users["national.lv"]).get(reverse("home")).content.decode()
    assert sent.case.reference in page
    assert "Nguyen" not in page and "Lan" + " " not in page
