"""The referral workflow: start a pathway on a case, send a step to an organisation, answer,
work, complete; hold, withdraw, re-route. Each change is one transaction, checked against
the access policy and the allowed transitions, recorded in the referral's history and the
audit log, and notified (never naming the person)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, remove_perm

from cases.choices import NeedStatus
from cases.models import SHAREABLE_WITHOUT_CONSENT, Case, Need, ShareItem, may_share
from services.matching import send_warnings
from strom import access
from strom.audit import AuditAction, record
from strom.models import Membership, Role
from strom.notifications import notify

from .deadlines import deadline
from .escalation import next_escalation
from .models import (
    COORDINATOR_TRANSITIONS,
    OPEN_FOR_NEED,
    RECIPIENT_TRANSITIONS,
    ConsentOverride,
    DeclineReason,
    Outcome,
    Referral,
    ReferralStatus,
    Transition,
)

S = ReferralStatus
PERMISSION = "referrals.view_referral"


def _refuse(message):
    raise ValidationError(message)


def _lock(referral):
    return (
        Referral.objects.select_for_update(of=("self",))
        .select_related("case__municipality__country", "step", "to_actor")
        .get(pk=referral.pk)
    )


def version(referral):
    """Which state of the referral a page shows: its latest transition. The coordinator's
    forms send it back as `seen`; every change adds a transition."""
    return referral.transitions.order_by("-pk").values_list("pk", flat=True).first() or 0


def _require_unchanged(referral, seen):
    """Refuse a change made from a page that showed an older state of the referral: a second
    coordinator who sends the same step at the same moment, or a double click, is told what
    happened instead of re-routing it (and notifying a second organisation)."""
    if seen is None or str(seen) == str(version(referral)):
        return
    last = referral.transitions.select_related("by").order_by("-pk").first()
    who = (last.by.get_full_name() or last.by.get_username()) if last and last.by else "–"
    if referral.status == S.SENT:
        _refuse(
            _(
                "Meanwhile %(user)s sent this step to %(actor)s. Nothing was changed: look at "
                "it again before you send it elsewhere."
            )
            % {"user": who, "actor": referral.to_actor}
        )
    _refuse(
        _(
            "Meanwhile %(user)s changed this step: it is now %(status)s. Nothing was changed: "
            "look at it again."
        )
        % {"user": who, "status": referral.get_status_display().lower()}
    )


def _move(referral, to_status, *, by, request, note="", allowed, detail=""):
    if referral.case.anonymised_at is not None:
        _refuse(_("The case is anonymised: its referrals cannot change."))
    if to_status not in allowed.get(referral.status, set()):
        _refuse(
            _("A referral that is %(status)s cannot become %(new)s.")
            % {
                "status": referral.get_status_display().lower(),
                "new": S(to_status).label.lower(),
            }
        )
    Transition.objects.create(
        referral=referral,
        from_status=referral.status,
        to_status=to_status,
        to_actor=referral.to_actor,
        note=note,
        by=by,
    )
    referral.status = to_status
    record(
        AuditAction.CHANGE,
        request=request,
        user=by,
        obj=referral,
        detail=detail or f"referral {referral.pk}: {to_status}",
    )


# The need a step serves ------------------------------------------------------------------


def _other_open_steps(referral):
    """Whether another step of the case, for the same need, is still open."""
    return (
        Referral.objects.filter(
            case_id=referral.case_id,
            step__need_category=referral.step.need_category,
            status__in=OPEN_FOR_NEED,
        )
        .exclude(pk=referral.pk)
        .exists()
    )


def _need_status_after(referral, need):
    """What the step just done means for its need, or None to leave the need as it is."""
    N = NeedStatus
    status = referral.status
    if status == S.SENT:
        return N.REFERRED if need.status in (N.IDENTIFIED, N.NO_PROVIDER) else None
    if status in (S.ACCEPTED, S.IN_PROGRESS):
        return N.BEING_MET if need.status != N.MET else None
    if status == S.COMPLETED:
        if referral.outcome == Outcome.GOT_HELP:
            return N.MET
        if referral.outcome == Outcome.NOT_INTERESTED:
            return N.DECLINED
    if need.status == N.MET or _other_open_steps(referral):
        return None
    if status == S.DECLINED and referral.decline_reason == DeclineReason.NO_CAPACITY:
        return N.NO_PROVIDER
    if status in (S.DECLINED, S.WITHDRAWN, S.EXPIRED, S.COMPLETED) and need.status in (
        N.REFERRED,
        N.BEING_MET,
    ):
        return N.IDENTIFIED
    return None


def _update_need(referral, *, by, request):
    """Carry the step's change to the need it serves, in the same transaction: the need's
    row is locked (after the referral's), its status follows, and the service chosen on the
    step is recorded on the need. Audited on the case, "by referral", unlike a change made
    by hand on the case page."""
    category = referral.step.need_category
    if not category:
        return None
    need = (
        Need.objects.select_for_update(of=("self",))
        .filter(case_id=referral.case_id, category=category)
        .first()
    )
    if need is None:
        return None
    status = _need_status_after(referral, need)
    fields = []
    if status is not None and status != need.status:
        need.status = status
        fields.append("status")
    if referral.service_id and referral.service_id != need.service_id:
        need.service_id = referral.service_id
        fields.append("service")
    if not fields:
        return need
    need.updated_by = by
    need.save(update_fields=[*fields, "updated_by", "updated_at"])
    record(
        AuditAction.CHANGE,
        request=request,
        user=by,
        obj=referral.case,
        detail=f"need {category}: {need.status}, by referral {referral.pk}"
        + (f", service {need.service_id}" if "service" in fields else ""),
    )
    return need


# People to tell ------------------------------------------------------------------------


def recipients(referral):
    """The receiving organisation's staff, and the named person there."""
    users = (
        [
            m.user
            for m in Membership.objects.active()
            .filter(actor=referral.to_actor)
            .select_related("user")
        ]
        if referral.to_actor_id
        else []
    )
    if referral.to_user_id:
        users.append(referral.to_user)
    return users


def case_side(referral):
    """The case's coordinators and its assigned workers."""
    coordinators = [
        m.user
        for m in Membership.objects.active()
        .filter(role=Role.COORDINATOR, actor__municipality_id=referral.case.municipality_id)
        .select_related("user")
    ]
    workers = [
        a.user
        for a in referral.case.assignments.filter(ended_at__isnull=True).select_related("user")
    ]
    return coordinators + workers


def _tell(users, referral, kind, title):
    notify(
        access.referral_readers(users, referral),
        kind=kind,
        title=title,
        url=referral.get_absolute_url(),
        body=_("Case %(reference)s, step “%(step)s”, %(actor)s.")
        % {
            "reference": referral.case.reference,
            "step": referral.step.name,
            "actor": referral.to_actor or "–",
        },
    )


# Starting a pathway ---------------------------------------------------------------------


@transaction.atomic
def start_pathway(*, by, request=None, case, pathway):
    """Every step of the pathway becomes a draft referral on the case, owned by the step's
    organisation where the pathway names one."""
    access.require(access.coordinated_cases(by).filter(pk=case.pk).exists())
    access.require(
        access.pathways_for(by).filter(pk=pathway.pk, municipality=case.municipality).exists()
    )
    # Locked: two starts at the same moment wait for each other, and the second is refused.
    case = Case.objects.select_for_update(of=("self",)).get(pk=case.pk)
    if case.is_closed:
        _refuse(_("The case is closed. Reopen it first."))
    if case.referrals.filter(step__pathway=pathway).exists():
        _refuse(_("This pathway has already been started on the case."))
    referrals = [
        Referral.objects.create(
            case=case, step=step, from_actor=case.owner, to_actor=step.responsible_actor
        )
        for step in pathway.steps.all()
    ]
    for referral in referrals:
        Transition.objects.create(
            referral=referral, to_status=S.DRAFT, to_actor=referral.to_actor, by=by
        )
    record(
        AuditAction.CHANGE,
        request=request,
        user=by,
        obj=case,
        detail=f"pathway {pathway.pk} started: {len(referrals)} steps",
    )
    return referrals


# The coordinator's side ------------------------------------------------------------------


def _grant(referral, actor):
    if actor is not None:
        assign_perm(PERMISSION, actor.group, referral)


def _revoke(referral, actor):
    if actor is not None:
        remove_perm(PERMISSION, actor.group, referral)


@transaction.atomic
def send(
    *,
    by,
    request=None,
    referral,
    to_actor,
    to_user=None,
    service=None,
    now=None,
    seen=None,
    override_reason="",
):
    """Send (or re-route) a step to an organisation: its staff are granted the referral, the
    deadlines start now, and escalation starts afresh. `seen`: the version() the sender's
    page showed; the step must not have changed since. If the choice may not fit the person
    (services.matching.send_warnings), `override_reason` must say why it is sent anyway: it
    is kept in the referral's history."""
    access.require(access.coordinated_referrals(by).filter(pk=referral.pk).exists())
    referral = _lock(referral)
    _require_unchanged(referral, seen)
    if referral.case.is_closed:
        _refuse(_("The case is closed. Reopen it first."))
    access.require(access.actors_for(by).filter(pk=to_actor.pk, is_active=True).exists())
    if (
        to_user is not None
        and not Membership.objects.active()
        .filter(user=to_user, actor=to_actor, role=Role.SERVICE_PROVIDER)
        .exists()
    ):
        _refuse(_("This person does not work at the organisation."))
    if service is not None and service.provider_id != to_actor.pk:
        _refuse(_("The service is not one of the organisation's."))
    warnings = send_warnings(referral.case, to_actor, service, now)
    override_reason = (override_reason or "").strip() if warnings else ""
    if warnings and not override_reason:
        _refuse(_("This choice may not fit the person. Give a reason for sending anyway."))
    rerouting = referral.status != S.DRAFT
    previous = referral.to_actor
    now = now or timezone.now()
    country = referral.case.municipality.country.code
    step = referral.step
    referral.to_actor, referral.to_user, referral.service = to_actor, to_user, service
    referral.decline_reason = ""
    referral.sent_at = now
    referral.response_due_at = deadline(now, step.response_limit, step.response_unit, country)
    referral.due_at = deadline(now, step.completion_limit, step.completion_unit, country)
    if rerouting:
        referral.round += 1
    referral.next_escalation_at = next_escalation(referral, level=0)
    _move(
        referral,
        S.SENT,
        by=by,
        request=request,
        allowed=COORDINATOR_TRANSITIONS,
        note=_send_note(rerouting, override_reason),
        detail=f"referral {referral.pk} sent to actor {to_actor.pk}"
        + (f" despite {len(warnings)} warning(s), with a reason" if warnings else ""),
    )
    referral.save()
    _update_need(referral, by=by, request=request)
    if previous is not None and previous != to_actor:
        _revoke(referral, previous)
    _grant(referral, to_actor)
    _tell(
        recipients(referral),
        referral,
        "referral_received",
        _("New referral %(reference)s: %(step)s")
        % {"reference": referral.case.reference, "step": step.name},
    )
    return referral


def _send_note(rerouting, override_reason):
    parts = [_("re-routed")] if rerouting else []
    if override_reason:
        parts.append(_("Sent anyway: %(reason)s") % {"reason": override_reason})
    return "; ".join(parts)[:500]


@transaction.atomic
def hold(*, by, request=None, referral, reason, seen=None):
    access.require(access.coordinated_referrals(by).filter(pk=referral.pk).exists())
    referral = _lock(referral)
    _require_unchanged(referral, seen)
    _move(referral, S.ON_HOLD, by=by, request=request, note=reason, allowed=COORDINATOR_TRANSITIONS)
    referral.note = reason
    referral.next_escalation_at = None
    referral.save()
    return referral


@transaction.atomic
def withdraw(*, by, request=None, referral, reason="", seen=None):
    access.require(access.coordinated_referrals(by).filter(pk=referral.pk).exists())
    referral = _lock(referral)
    _require_unchanged(referral, seen)
    _move(
        referral, S.WITHDRAWN, by=by, request=request, note=reason, allowed=COORDINATOR_TRANSITIONS
    )
    referral.note = reason
    referral.next_escalation_at = None
    referral.save()
    _update_need(referral, by=by, request=request)
    if referral.to_actor_id:
        _tell(
            recipients(referral),
            referral,
            "referral_withdrawn",
            _("Referral %(reference)s withdrawn") % {"reference": referral.case.reference},
        )
    return referral


@transaction.atomic
def expire(*, by, request=None, referral, reason="", seen=None):
    """Record that an unanswered referral lapsed; it can be sent again."""
    access.require(access.coordinated_referrals(by).filter(pk=referral.pk).exists())
    referral = _lock(referral)
    _require_unchanged(referral, seen)
    _move(referral, S.EXPIRED, by=by, request=request, note=reason, allowed=COORDINATOR_TRANSITIONS)
    referral.note = reason
    referral.next_escalation_at = None
    referral.save()
    _update_need(referral, by=by, request=request)
    _revoke(referral, referral.to_actor)
    return referral


@transaction.atomic
def override_consent(*, by, request=None, referral, item, reason):
    """Share an item without consent, for a recorded reason (for example a risk to life)."""
    access.require(access.coordinated_referrals(by).filter(pk=referral.pk).exists())
    if item not in ShareItem.values:
        _refuse(_("Unknown information item."))
    if not reason.strip():
        _refuse(_("Give the reason for sharing without consent."))
    if referral.case.anonymised_at is not None:
        _refuse(_("The case is anonymised: its referrals cannot change."))
    override, _created = ConsentOverride.objects.get_or_create(
        referral=referral, item=item, defaults={"reason": reason, "by": by}
    )
    record(
        AuditAction.GRANT,
        request=request,
        user=by,
        obj=referral,
        detail=f"consent override: {item}",
    )
    return override


# The recipient's side ----------------------------------------------------------------------


def _recipient_lock(by, referral):
    access.require(access.received_referrals(by).filter(pk=referral.pk).exists())
    return _lock(referral)


def _answered(referral, by, request, status, title):
    referral.next_escalation_at = None
    referral.save()
    _update_need(referral, by=by, request=request)
    _tell(case_side(referral), referral, f"referral_{status}", title)


@transaction.atomic
def accept(*, by, request=None, referral):
    referral = _recipient_lock(by, referral)
    _move(referral, S.ACCEPTED, by=by, request=request, allowed=RECIPIENT_TRANSITIONS)
    _answered(
        referral,
        by,
        request,
        "accepted",
        _("%(actor)s accepted %(reference)s")
        % {"actor": referral.to_actor, "reference": referral.case.reference},
    )
    return referral


@transaction.atomic
def decline(*, by, request=None, referral, reason, note=""):
    if reason not in DeclineReason.values:
        _refuse(_("Choose a reason for declining."))
    referral = _recipient_lock(by, referral)
    _move(referral, S.DECLINED, by=by, request=request, note=note, allowed=RECIPIENT_TRANSITIONS)
    referral.decline_reason, referral.note = reason, note
    _answered(
        referral,
        by,
        request,
        "declined",
        _("%(actor)s declined %(reference)s")
        % {"actor": referral.to_actor, "reference": referral.case.reference},
    )
    return referral


@transaction.atomic
def start_work(*, by, request=None, referral):
    referral = _recipient_lock(by, referral)
    _move(referral, S.IN_PROGRESS, by=by, request=request, allowed=RECIPIENT_TRANSITIONS)
    referral.save()
    _update_need(referral, by=by, request=request)
    return referral


@transaction.atomic
def complete(*, by, request=None, referral, outcome, note=""):
    if outcome not in Outcome.values:
        _refuse(_("Choose the outcome."))
    referral = _recipient_lock(by, referral)
    _move(referral, S.COMPLETED, by=by, request=request, note=note, allowed=RECIPIENT_TRANSITIONS)
    referral.outcome, referral.note = outcome, note
    _answered(
        referral,
        by,
        request,
        "completed",
        _("%(actor)s completed %(reference)s")
        % {"actor": referral.to_actor, "reference": referral.case.reference},
    )
    return referral


# What the recipient may read ---------------------------------------------------------------


def shared_items(referral):
    """The items this referral carries now: what needs no consent, plus what consent in force
    (or a recorded override) allows for the receiving organisation. Withdrawal of consent
    takes effect at once."""
    items = set(SHAREABLE_WITHOUT_CONSENT)
    if referral.to_actor_id is None:
        return items
    overridden = set(referral.overrides.values_list("item", flat=True))
    for item in ShareItem.values:
        if item in overridden or may_share(referral.case, item, referral.to_actor):
            items.add(item)
    return items
