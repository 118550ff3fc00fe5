import datetime
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from referrals import actions
from referrals.escalation import sweep
from referrals.models import EscalationEvent, Referral, Transition
from strom.notifications import Notification

pytestmark = pytest.mark.django_db


def test_starting_a_pathway_makes_draft_steps_owned_by_the_named_organisations(demo, chain):
    assert [r.status for r in chain] == ["draft", "draft"]
    assert chain[0].to_actor == demo.actors["riga-shelter"]
    assert chain[1].to_actor is None


def test_the_same_pathway_cannot_be_started_twice(demo, chain, riga_case, riga_pathway):
    with pytest.raises(ValidationError):
        actions.start_pathway(by=demo.users["coord.riga"], case=riga_case, pathway=riga_pathway)


def test_sending_starts_the_deadlines_and_grants_the_organisation(demo, sent):
    assert sent.status == "sent"
    assert sent.response_due_at - sent.sent_at == datetime.timedelta(hours=24)
    assert sent.due_at > sent.response_due_at
    provider = demo.users["provider.riga"]
    assert provider.has_perm("referrals.view_referral", sent)
    assert Notification.objects.filter(user=provider, kind="referral_received").exists()


def test_provider_accepts_then_completes_with_an_outcome(demo, sent):
    provider = demo.users["provider.riga"]
    actions.accept(by=provider, referral=sent)
    actions.start_work(by=provider, referral=sent)
    done = actions.complete(by=provider, referral=sent, outcome="got_help")
    assert done.status == "completed" and done.outcome == "got_help"
    history = list(Transition.objects.filter(referral=sent).values_list("to_status", flat=True))
    assert history == ["draft", "sent", "accepted", "in_progress", "completed"]
    assert Notification.objects.filter(
        user=demo.users["coord.riga"], kind="referral_completed"
    ).exists()


def test_provider_declines_with_a_reason_and_the_coordinator_reroutes(demo, sent):
    actions.decline(by=demo.users["provider.riga"], referral=sent, reason="no_capacity")
    rerouted = actions.send(
        by=demo.users["coord.riga"], referral=sent, to_actor=demo.actors["riga-church"]
    )
    assert rerouted.status == "sent" and rerouted.round == 2
    assert not demo.users["provider.riga"].has_perm("referrals.view_referral", rerouted)


@pytest.mark.parametrize(
    ("setup", "attempt"),
    [
        (
            "declined",
            lambda d, r: actions.complete(
                by=d.users["provider.riga"], referral=r, outcome="got_help"
            ),
        ),
        ("completed", lambda d, r: actions.accept(by=d.users["provider.riga"], referral=r)),
        ("withdrawn", lambda d, r: actions.accept(by=d.users["provider.riga"], referral=r)),
        (
            "sent",
            lambda d, r: actions.complete(
                by=d.users["provider.riga"], referral=r, outcome="got_help"
            ),
        ),
    ],
)
def test_invalid_transitions_are_refused_and_change_nothing(demo, sent, setup, attempt):
    provider, coordinator = demo.users["provider.riga"], demo.users["coord.riga"]
    if setup == "declined":
        actions.decline(by=provider, referral=sent, reason="not_eligible")
    elif setup == "completed":
        actions.accept(by=provider, referral=sent)
        actions.complete(by=provider, referral=sent, outcome="got_help")
    elif setup == "withdrawn":
        actions.withdraw(by=coordinator, referral=sent, reason="Person moved")
    before = Referral.objects.get(pk=sent.pk).status
    transitions = Transition.objects.filter(referral=sent).count()
    with pytest.raises((ValidationError, PermissionDenied)):
        attempt(demo, Referral.objects.get(pk=sent.pk))
    assert Referral.objects.get(pk=sent.pk).status == before
    assert Transition.objects.filter(referral=sent).count() == transitions


@pytest.mark.parametrize("username", ["provider.tallinn", "sw.riga", "coord.riga", "admin.riga"])
def test_only_the_recipient_answers(demo, sent, username):
    with pytest.raises(PermissionDenied):
        actions.accept(by=demo.users[username], referral=sent)
    assert Referral.objects.get(pk=sent.pk).status == "sent"


def test_a_draft_is_never_visible_to_its_future_recipient(demo, chain):
    from strom import access

    assert not access.referrals_for(demo.users["provider.riga"]).filter(pk=chain[0].pk).exists()


def test_only_shareable_items_reach_the_recipient_until_consent(demo, sent, riga_case):
    from cases import actions as case_actions
    from cases.models import Consent

    assert actions.shared_items(sent) == {"reference", "needs", "language", "urgency"}
    today = timezone.localdate()
    consent = case_actions.record_consent(
        by=demo.users["sw.riga"],
        case=riga_case,
        consent=Consent(
            recipient=demo.actors["riga-shelter"],
            items=["identity", "contact"],
            purpose="Accommodation",
            given_how="verbal",
            given_on=today,
            guardian_consent=True,
            child_assent=True,
        ),
    )
    assert {"identity", "contact"} <= actions.shared_items(sent)
    case_actions.withdraw_consent(by=demo.users["sw.riga"], consent=consent, reason="")
    assert "identity" not in actions.shared_items(sent)


def test_coordinator_override_shares_an_item_with_a_recorded_reason(demo, sent):
    from strom.audit import AuditEvent

    actions.override_consent(
        by=demo.users["coord.riga"],
        referral=sent,
        item="contact",
        reason="Risk to life: the shelter must reach her tonight",
    )
    assert "contact" in actions.shared_items(sent)
    assert AuditEvent.objects.filter(detail="consent override: contact").exists()
    with pytest.raises(ValidationError):
        actions.override_consent(
            by=demo.users["coord.riga"], referral=sent, item="health", reason="  "
        )


def test_a_potential_victim_without_police_cooperation_is_referred_like_anyone(demo, sent):
    from cases.models import Case

    case = Case.objects.get(pk=sent.case_id)
    assert case.identification == "potential"
    assert case.law_enforcement_cooperation in ("unknown", "declined", "not_cooperating")
    accepted = actions.accept(by=demo.users["provider.riga"], referral=sent)
    assert accepted.status == "accepted"


# Escalation ---------------------------------------------------------------------------------


def levels(referral):
    return list(
        EscalationEvent.objects.filter(referral=referral)
        .order_by("level")
        .values_list("level", flat=True)
    )


def test_sweep_escalates_each_level_once_and_stops_when_answered(demo, sent):
    due = sent.response_due_at
    sweep(now=due - datetime.timedelta(hours=3))
    assert levels(sent) == []
    sweep(now=due - datetime.timedelta(hours=1))
    sweep(now=due - datetime.timedelta(minutes=30))
    assert levels(sent) == [0]  # the reminder, once
    reminders = Notification.objects.filter(
        user=demo.users["provider.riga"], kind="referral_reminder", url=sent.get_absolute_url()
    )
    assert reminders.count() == 1
    sweep(now=due + datetime.timedelta(minutes=1))
    sweep(now=due + datetime.timedelta(minutes=2))
    assert levels(sent) == [0, 1]
    coordinator_note = Notification.objects.get(
        user=demo.users["coord.riga"], kind="referral_overdue", url=sent.get_absolute_url()
    )
    assert sent.case.reference in coordinator_note.title
    assert "Nguyen" not in coordinator_note.title + coordinator_note.body
    sweep(now=due + datetime.timedelta(hours=25))
    assert levels(sent) == [0, 1, 2]
    assert (
        Notification.objects.filter(
            # She reads escalations on her home page; the referral's page is not hers.
            user=demo.users["national.lv"],
            kind="referral_escalated",
            url=reverse("home"),
            title__contains=f"referral {sent.case.reference} ",
        ).count()
        == 1
    )


def test_answering_stops_escalation(demo, sent):
    actions.accept(by=demo.users["provider.riga"], referral=sent)
    sweep(now=sent.response_due_at + datetime.timedelta(days=3))
    assert levels(sent) == []


def test_rerouting_starts_escalation_afresh(demo, sent):
    sweep(now=sent.response_due_at + datetime.timedelta(minutes=1))
    assert levels(sent) == [0, 1]
    rerouted = actions.send(
        by=demo.users["coord.riga"], referral=sent, to_actor=demo.actors["riga-church"]
    )
    sweep(now=rerouted.response_due_at + datetime.timedelta(minutes=1))
    assert EscalationEvent.objects.filter(referral=sent, round=2).count() == 2


def test_running_the_sweep_twice_gives_the_same_result(demo, sent):
    late = sent.response_due_at + datetime.timedelta(hours=30)
    sweep(now=late)
    first = EscalationEvent.objects.count()
    assert sweep(now=late) == 0
    assert EscalationEvent.objects.count() == first
    assert levels(sent) == [0, 1, 2]
    assert (
        Notification.objects.filter(kind="referral_overdue", url=sent.get_absolute_url()).count()
        == 1
    )


def test_the_escalate_command_runs_one_sweep(demo, sent):
    from io import StringIO

    from django.core.management import call_command

    Referral.objects.filter(pk=sent.pk).update(
        response_due_at=timezone.now() - datetime.timedelta(hours=1),
        next_escalation_at=timezone.now() - datetime.timedelta(hours=3),
    )
    out = StringIO()
    call_command("escalate", stdout=out)
    assert "new escalations" in out.getvalue()
    assert levels(sent) == [0, 1]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs row locks (PostgreSQL)")
@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_escalate_each_level_exactly_once():
    from django.db import connections

    from cases import actions as case_actions
    from cases.models import Exploitation, Person
    from tests.conftest import _load_demo
    from tests.referrals.conftest import make_riga_pathway

    demo = _load_demo()
    coordinator = demo.users["coord.riga"]
    referrals = []
    for _ in range(5):
        case = case_actions.open_case(
            by=demo.users["sw.riga"],
            municipality=demo.municipalities["RIX"],
            first_contact_on=timezone.localdate(),
            person=Person(age_years=30),
            exploitation=Exploitation(),
            needs=[("safe_accommodation", "immediate")],
        )
        pathway = make_riga_pathway(demo) if not referrals else referrals[0].step.pathway
        chain = actions.start_pathway(by=coordinator, case=case, pathway=pathway)
        referrals.append(
            actions.send(by=coordinator, referral=chain[0], to_actor=demo.actors["riga-shelter"])
        )
    late = referrals[0].response_due_at + datetime.timedelta(days=3)
    before = EscalationEvent.objects.count()
    results, barrier = [], threading.Barrier(2)

    def run():
        barrier.wait()
        try:
            results.append(sweep(now=late))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    events = EscalationEvent.objects.filter(referral__in=referrals)
    assert events.count() == 15  # 5 referrals x 3 levels, each exactly once
    keys = list(events.values_list("referral", "round", "level"))
    assert len(keys) == len(set(keys))
    assert sum(results) == EscalationEvent.objects.count() - before
