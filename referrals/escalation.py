"""The escalation sweep (DESIGN.md: deadlines and escalation).

A referral that waits for an answer escalates in levels: a reminder to the recipient some
hours before the answer is due, the municipality's coordinators at the deadline, and the
national coordinator after a grace period. The sweep claims due rows with
`select_for_update(skip_locked=True)`, records one EscalationEvent per (referral, round,
kind, level) under a unique constraint and notifies after commit, so running it twice, or
in two workers at once, escalates each level exactly once. Answering, holding, withdrawing
or re-routing stops it (they clear or restart `next_escalation_at`)."""

import datetime
import logging

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from strom import access
from strom.models import Membership, Role
from strom.notifications import notify

from .models import EscalationEvent, EscalationLevel, Referral, ReferralStatus

log = logging.getLogger(__name__)
BATCH = 200


def level_time(referral, level):
    due = referral.response_due_at
    if due is None:
        return None
    step = referral.step
    if level == EscalationLevel.REMINDER:
        return due - datetime.timedelta(hours=step.reminder_hours)
    if level == EscalationLevel.COORDINATOR:
        return due
    if level == EscalationLevel.NATIONAL:
        return due + datetime.timedelta(hours=step.grace_hours)
    return None


def next_escalation(referral, level):
    """When the sweep should next look at the referral, from `level` on."""
    for candidate in range(level, EscalationLevel.NATIONAL + 1):
        at = level_time(referral, candidate)
        if at is not None:
            return at
    return None


def _people(referral, level):
    if level == EscalationLevel.REMINDER:
        from .actions import recipients

        return (
            recipients(referral),
            "referral_reminder",
            _("Reminder: answer referral %(reference)s by %(due)s"),
        )
    if level == EscalationLevel.COORDINATOR:
        users = [
            m.user
            for m in Membership.objects.active()
            .filter(
                role=Role.COORDINATOR,
                actor__municipality_id=referral.case.municipality_id,
            )
            .select_related("user")
        ]
        return (
            users,
            "referral_overdue",
            _("Overdue: %(actor)s has not answered referral %(reference)s (due %(due)s)"),
        )
    users = [
        m.user
        for m in Membership.objects.active()
        .filter(
            role=Role.NATIONAL_COORDINATOR,
            actor__country_id=referral.case.municipality.country_id,
        )
        .select_related("user")
    ]
    return (
        users,
        "referral_escalated",
        _("Escalated: referral %(reference)s to %(actor)s unanswered since %(due)s"),
    )


def _escalate(referral, now):
    """Record and notify every level that is due; return how many were new."""
    new = 0
    for level in EscalationLevel:
        at = level_time(referral, level)
        if at is None or at > now:
            break
        try:
            with transaction.atomic():
                EscalationEvent.objects.create(
                    referral=referral, round=referral.round, kind="response", level=level
                )
        except IntegrityError:
            continue  # already escalated at this level
        new += 1
        users, kind, title = _people(referral, level)
        due = timezone.localtime(referral.response_due_at).strftime("%Y-%m-%d %H:%M")
        # A national coordinator reads an escalated referral on her home page, not on the
        # referral's page (which is the case side's and the recipient's): each gets a link
        # she can open.
        if level == EscalationLevel.NATIONAL:
            url = reverse("home")
        else:
            users, url = access.referral_readers(users, referral), referral.get_absolute_url()
        notify(
            users,
            kind=kind,
            url=url,
            title=title
            % {"reference": referral.case.reference, "due": due, "actor": referral.to_actor},
            body=_("Case %(reference)s, step “%(step)s”, %(actor)s.")
            % {
                "reference": referral.case.reference,
                "step": referral.step.name,
                "actor": referral.to_actor,
            },
        )
    remaining = [lv for lv in EscalationLevel if (level_time(referral, lv) or now) > now]
    referral.next_escalation_at = level_time(referral, remaining[0]) if remaining else None
    Referral.objects.filter(pk=referral.pk).update(next_escalation_at=referral.next_escalation_at)
    return new


def sweep(now=None):
    """Escalate every referral whose next escalation is due. Returns the number of new
    escalation events."""
    now = now or timezone.now()
    total = 0
    while True:
        with transaction.atomic():
            due = list(
                Referral.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("case__municipality", "step", "to_actor")
                .filter(status=ReferralStatus.SENT, next_escalation_at__lte=now)
                .order_by("next_escalation_at")[:BATCH]
            )
            for referral in due:
                total += _escalate(referral, now)
        if len(due) < BATCH:
            break
    if total:
        log.info("escalation sweep: %s new escalations", total)
    return total
