"""Two coordinators on the same step, double clicks on "Send": a step goes to one
organisation, only that organisation hears of it, and whoever was too late is told so.

The tests with threads run on PostgreSQL only (CI)."""

import re

import pytest
from django.urls import reverse

from referrals import actions
from referrals.models import Referral, Transition
from strom.models import Membership, Role
from strom.notifications import Notification
from tests.concurrency import at_once, errors_in, needs_postgresql, signed_in
from tests.factories import MembershipFactory

# Tokens are required, as in production.
pytestmark = pytest.mark.form_tokens

SEEN = re.compile(r'name="seen" value="(\d+)"')


def seen(client, referral):
    """The state of the referral as its page showed it, which the page's forms send back."""
    page = client.get(reverse("referral_detail", args=[referral.pk])).content.decode()
    match = SEEN.search(page)
    assert match, "the referral's forms do not say which state they were shown in"
    return match.group(1)


def told(referral):
    """Who was told that the referral arrived."""
    return set(
        Notification.objects.filter(
            kind="referral_received", url=referral.get_absolute_url()
        ).values_list("user__username", flat=True)
    )


def staff(actor):
    return set(
        Membership.objects.active().filter(actor=actor).values_list("user__username", flat=True)
    )


def second_coordinator(demo):
    return MembershipFactory(actor=demo.actors["riga-social"], role=Role.COORDINATOR).user


def clinic_staff(demo):
    return MembershipFactory(actor=demo.actors["riga-clinic"], role=Role.SERVICE_PROVIDER).user


# One after the other (any database) ---------------------------------------------------------


@pytest.mark.django_db
def test_the_second_coordinator_to_send_a_step_is_told_and_changes_nothing(demo, chain):
    draft = chain[1]
    clinic_staff(demo)
    anna = signed_in(demo.users["coord.riga"])
    other = signed_in(second_coordinator(demo))
    url = reverse("referral_send", args=[draft.pk])
    anna_seen, other_seen = seen(anna, draft), seen(other, draft)
    shelter, clinic = demo.actors["riga-shelter"], demo.actors["riga-clinic"]
    assert anna.post(url, {"to_actor": shelter.pk, "seen": anna_seen}).status_code == 302
    late = other.post(url, {"to_actor": clinic.pk, "seen": other_seen}, follow=True)
    assert late.status_code == 200
    assert "meanwhile" in late.content.decode().lower()
    draft.refresh_from_db()
    assert draft.to_actor == shelter and draft.status == "sent" and draft.round == chain[1].round
    assert draft.transitions.filter(to_status="sent").count() == 1
    assert told(draft) == staff(shelter)


@pytest.mark.django_db
def test_a_double_click_on_send_sends_once(demo, chain):
    draft = chain[1]
    anna = signed_in(demo.users["coord.riga"])
    data = {"to_actor": demo.actors["riga-shelter"].pk, "seen": seen(anna, draft)}
    url = reverse("referral_send", args=[draft.pk])
    assert anna.post(url, data).status_code == 302
    assert anna.post(url, data).status_code == 302
    draft.refresh_from_db()
    assert draft.round == chain[1].round  # not re-routed
    assert draft.transitions.filter(to_status="sent").count() == 1
    assert Notification.objects.filter(url=draft.get_absolute_url()).count() == len(
        staff(demo.actors["riga-shelter"])
    )


@pytest.mark.django_db
def test_a_hold_on_a_step_that_changed_meanwhile_is_refused(demo, sent):
    anna = signed_in(demo.users["coord.riga"])
    shown = seen(anna, sent)
    actions.send(by=demo.users["coord.riga"], referral=sent, to_actor=demo.actors["riga-clinic"])
    response = anna.post(
        reverse("referral_hold", args=[sent.pk]), {"reason": "Wait", "seen": shown}, follow=True
    )
    assert "meanwhile" in response.content.decode().lower()
    assert Referral.objects.get(pk=sent.pk).status == "sent"


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["", "abc", "-1", "9" * 40])
def test_a_malformed_state_is_refused_without_an_error(demo, chain, value):
    anna = signed_in(demo.users["coord.riga"])
    response = anna.post(
        reverse("referral_send", args=[chain[1].pk]),
        {"to_actor": demo.actors["riga-shelter"].pk, "seen": value},
    )
    assert response.status_code == 302
    if value:
        assert Referral.objects.get(pk=chain[1].pk).status == "draft"


# At the same moment (PostgreSQL) ----------------------------------------------------------------

on_postgresql = pytest.mark.skipif(**needs_postgresql)
transactional = pytest.mark.django_db(transaction=True)


def _world():
    from django.utils import timezone

    from cases import actions as case_actions
    from cases.models import Exploitation, Person
    from tests.conftest import _load_demo
    from tests.referrals.conftest import make_riga_pathway

    demo = _load_demo()  # a transactional test before this one emptied the database
    case = case_actions.open_case(
        by=demo.users["sw.riga"],
        municipality=demo.municipalities["RIX"],
        first_contact_on=timezone.localdate(),
        person=Person(age_years=30),
        exploitation=Exploitation(),
        needs=[("safe_accommodation", "immediate")],
    )
    return demo, case, make_riga_pathway(demo)


@on_postgresql
@transactional
def test_two_coordinators_sending_one_step_at_once_send_it_to_one_organisation():
    demo, case, pathway = _world()
    draft = actions.start_pathway(by=demo.users["coord.riga"], case=case, pathway=pathway)[1]
    clinic_staff(demo)
    coordinators = [demo.users["coord.riga"], second_coordinator(demo)]
    targets = [demo.actors["riga-shelter"], demo.actors["riga-clinic"]]
    clients = [signed_in(user) for user in coordinators]
    shown = {id(client): seen(client, draft) for client in clients}
    target = {id(client): actor for client, actor in zip(clients, targets, strict=True)}
    url = reverse("referral_send", args=[draft.pk])

    def send(client):
        data = {"to_actor": target[id(client)].pk, "seen": shown[id(client)]}
        return client.post(url, data, follow=True)

    results = at_once(clients, send)
    assert errors_in(results) == []
    round_ = draft.round
    draft.refresh_from_db()
    assert draft.status == "sent" and draft.round == round_
    assert Transition.objects.filter(referral=draft, to_status="sent").count() == 1
    assert told(draft) == staff(draft.to_actor)
    late = results[targets.index(next(a for a in targets if a != draft.to_actor))]
    assert "meanwhile" in late.content.decode().lower()


@on_postgresql
@transactional
def test_a_pathway_started_ten_times_at_once_is_started_once():
    demo, case, pathway = _world()
    clients = [signed_in(demo.users["coord.riga"]) for _ in range(10)]
    url = reverse("case_pathway_start", args=[case.reference])
    results = at_once(clients, lambda c: c.post(url, {"pathway": pathway.pk}))
    assert errors_in(results) == []
    assert {r.status_code for r in results} == {302}
    assert Referral.objects.filter(case=case).count() == pathway.steps.count()
