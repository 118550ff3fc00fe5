"""Issue 14, item 6: a notification (and its e-mail copy) goes only to people who can open
its link. Every notification the demo world and a short scenario produce is opened by its
recipient, signed in with the second factor."""

import datetime

from django.utils import timezone

from agreements.actions import daily as agreements_daily
from referrals import actions
from referrals.escalation import sweep
from referrals.models import Referral
from strom import actions as strom_actions
from strom.models import Role
from strom.notifications import Notification
from tests.referrals.conftest import make_riga_pathway
from training.actions import invite, send_reminders
from training.models import TrainingEvent


def _opens(client, url):
    response = client.get(url)
    if response.status_code == 302:
        response = client.get(response["Location"])
    return response.status_code


def _scenario(demo, riga_case):
    coord = demo.users["coord.riga"]
    first, second = actions.start_pathway(by=coord, case=riga_case, pathway=make_riga_pathway(demo))
    # A step sent to the municipality's own social service, whose administrator may not
    # read it (the reported defect), and one sent to the shelter, which declines it.
    second = actions.send(by=coord, referral=second, to_actor=demo.actors["riga-social"])
    actions.withdraw(by=coord, referral=second, reason="Sent by mistake")
    first = actions.send(by=coord, referral=first, to_actor=demo.actors["riga-shelter"])
    actions.decline(by=demo.users["provider.riga"], referral=first, reason="no_capacity")
    rerouted = actions.send(by=coord, referral=first, to_actor=demo.actors["riga-shelter"])
    # Unanswered long enough for every level: reminder, coordinator, national.
    Referral.objects.filter(pk=rerouted.pk).update(
        response_due_at=timezone.now() - datetime.timedelta(hours=30),
        next_escalation_at=timezone.now() - datetime.timedelta(hours=40),
    )
    sweep()
    # A role that waits for a second administrator, and a security notice.
    admin = demo.users["admin.riga"]
    strom_actions.request_role(
        by=admin,
        user=demo.users["sw.riga"],
        actor=demo.actors["riga-social"],
        role=Role.ADMINISTRATOR,
    )
    strom_actions.set_person_password(
        by=admin, person=demo.users["sw.riga"], password="a-new-long-password-14"
    )
    # Invitations to every Riga training.
    for event in TrainingEvent.objects.filter(municipality=demo.municipalities["RIX"]):
        invite(by=admin, event=event)
    # Agreement reviews and ends, training reminders: the daily jobs, for the coming year.
    today = timezone.localdate()
    for days in range(0, 400, 7):
        agreements_daily(today=today + datetime.timedelta(days=days))
    for hours in range(0, 24 * 120, 12):
        send_reminders(now=timezone.now() + datetime.timedelta(hours=hours))


def test_every_notification_link_opens_for_its_recipient(demo, client_for, riga_case):
    _scenario(demo, riga_case)
    notifications = list(Notification.objects.exclude(url="").select_related("user").order_by("pk"))
    kinds = {n.kind for n in notifications}
    assert {"referral_received", "referral_declined", "referral_reminder"} <= kinds
    assert {"referral_overdue", "referral_escalated", "training_invitation"} <= kinds
    assert {
        "referral_withdrawn",
        "role_requested",
        "security",
        "training_reminder",
        "agreement_review",
    } <= kinds
    # The people who must be told still are: the shelter's worker of what was sent to her,
    # the coordinator of the escalation, the national coordinator of the national level.
    told = {(n.user.username, n.kind) for n in notifications}
    assert {
        ("provider.riga", "referral_received"),
        ("provider.riga", "referral_reminder"),
        ("coord.riga", "referral_declined"),
        ("coord.riga", "referral_overdue"),
        ("national.lv", "referral_escalated"),
    } <= told
    broken = []
    for notification in notifications:
        client = client_for(notification.user)
        status = _opens(client, notification.url)
        if status != 200:
            broken.append((notification.user.username, notification.kind, notification.url, status))
        client.logout()
    assert broken == []


def test_the_administrator_is_not_told_of_a_referral_to_her_organisation(
    demo, riga_case, mailoutbox, django_capture_on_commit_callbacks
):
    coord = demo.users["coord.riga"]
    _first, second = actions.start_pathway(
        by=coord, case=riga_case, pathway=make_riga_pathway(demo)
    )
    with django_capture_on_commit_callbacks(execute=True):
        actions.send(by=coord, referral=second, to_actor=demo.actors["riga-social"])
    told = set(
        Notification.objects.filter(
            kind="referral_received", url=second.get_absolute_url()
        ).values_list("user__username", flat=True)
    )
    assert "admin.riga" not in told
    assert "coord.riga" in told
    mailed = {a for m in mailoutbox for a in m.to}
    assert demo.users["coord.riga"].email in mailed
    assert demo.users["admin.riga"].email not in mailed
