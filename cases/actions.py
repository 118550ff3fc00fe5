"""State changes of cases. Each is one transaction, re-checks the access policy and writes
the audit log with the case's reference code, never a name."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, remove_perm

from strom import access
from strom.audit import AuditAction, record

from .choices import Identification, Lifecycle
from .models import (
    Assignment,
    Case,
    CaseNote,
    CaseSequence,
    Consent,
    Exploitation,
    ExploitationFormRecord,
    IdentificationChange,
    Need,
    Person,
)

CASE_PERMISSIONS = ("cases.view_case", "cases.change_case")


def _require_readable(by, case):
    access.require(access.cases_for(by).filter(pk=case.pk).exists())
    _require_not_anonymised(case)


def _require_not_anonymised(case):
    # An anonymised case is read-only for good (cases/retention.py).
    if case.anonymised_at is not None:
        raise ValidationError(_("The case is anonymised: it cannot be changed."))


def _require_open(case):
    _require_not_anonymised(case)
    if case.lifecycle == Lifecycle.CLOSED:
        raise ValidationError(_("The case is closed. Reopen it first."))


def _lock(case):
    """The case, fresh and locked until the transaction ends: changes to one case wait for
    each other, so that a check and the write that follows it see the same case (two posts
    of the same need at once give one need and a form error, not a server error)."""
    return Case.objects.select_for_update(of=("self",)).get(pk=case.pk)


def _mark_active(case):
    if case.lifecycle == Lifecycle.OPEN:
        Case.objects.filter(pk=case.pk).update(lifecycle=Lifecycle.ACTIVE)
        case.lifecycle = Lifecycle.ACTIVE


def next_reference(municipality, year):
    """RIX-2026-0007: a number per municipality and year, never reused. The row lock makes
    two registrations at the same moment wait for each other instead of colliding."""
    sequence, _created = CaseSequence.objects.select_for_update().get_or_create(
        municipality=municipality, year=year
    )
    CaseSequence.objects.filter(pk=sequence.pk).update(last_number=F("last_number") + 1)
    sequence.refresh_from_db()
    return f"{municipality.code}-{year}-{sequence.last_number:04d}"


@transaction.atomic
def open_case(
    *,
    by,
    request=None,
    municipality,
    first_contact_on,
    person,
    exploitation,
    forms=(),
    needs=(),
    identification=Identification.POTENTIAL,
):
    """Register a case: the person, the exploitation, the first needs. The registering
    social worker becomes its primary worker."""
    access.require(access.case_municipalities(by).filter(pk=municipality.pk).exists())
    owner = next(
        m.actor for m in access.memberships(by) if m.actor.municipality_id == municipality.pk
    )
    case = Case(
        municipality=municipality,
        owner=owner,
        first_contact_on=first_contact_on,
        created_by=by,
        identification=identification,
    )
    case.reference = next_reference(municipality, first_contact_on.year)
    case.full_clean(exclude=["reference"])
    case.save()
    person.case = case
    person.derive_age()
    person.full_clean()
    person.save()
    exploitation.case = case
    exploitation.full_clean()
    exploitation.save()
    ExploitationFormRecord.objects.bulk_create(
        [ExploitationFormRecord(case=case, form=form) for form in forms]
    )
    for category, urgency in needs:
        Need.objects.create(case=case, category=category, urgency=urgency, updated_by=by)
    IdentificationChange.objects.create(
        case=case, status=identification, decided_on=first_contact_on, recorded_by=by
    )
    if identification in (Identification.PRESUMED, Identification.IDENTIFIED):
        case.reflection_starts_on, case.reflection_ends_on = case.reflection_period_for(
            first_contact_on
        )
        case.save(update_fields=["reflection_starts_on", "reflection_ends_on"])
    record(AuditAction.CREATE, request=request, user=by, obj=case)
    _assign(by=by, request=request, case=case, user=by, is_primary=True)
    return case


def _assign(*, by, request, case, user, is_primary):
    if is_primary:
        Assignment.objects.filter(case=case, is_primary=True, ended_at__isnull=True).update(
            is_primary=False
        )
    assignment = Assignment(case=case, user=user, is_primary=is_primary, assigned_by=by)
    assignment.validate_constraints()
    assignment.save()
    for permission in CASE_PERMISSIONS:
        assign_perm(permission, user, case)
    record(
        AuditAction.GRANT,
        request=request,
        user=by,
        obj=case,
        detail=f"case worker {user.get_username()}" + (" (primary)" if is_primary else ""),
    )
    return assignment


@transaction.atomic
def assign_worker(*, by, request=None, case, user, is_primary=False):
    access.require(access.coordinated_cases(by).filter(pk=case.pk).exists())
    case = _lock(case)
    _require_not_anonymised(case)
    if not access.case_workers(case.municipality).filter(pk=user.pk).exists():
        raise ValidationError({"user": _("This person does not work in the case's municipality.")})
    return _assign(by=by, request=request, case=case, user=user, is_primary=is_primary)


@transaction.atomic
def end_assignment(*, by, request=None, assignment):
    case = assignment.case
    access.require(access.coordinated_cases(by).filter(pk=case.pk).exists())
    if assignment.ended_at is not None:
        return assignment
    if assignment.is_primary:
        # The case must keep someone responsible: name another primary worker first.
        raise ValidationError(
            _("The primary case worker cannot be removed: make another worker primary first.")
        )
    assignment.ended_at = timezone.now()
    assignment.save(update_fields=["ended_at"])
    for permission in CASE_PERMISSIONS:
        remove_perm(permission, assignment.user, case)
    record(
        AuditAction.REVOKE,
        request=request,
        user=by,
        obj=case,
        detail=f"case worker {assignment.user.get_username()}",
    )
    return assignment


@transaction.atomic
def update_person(*, by, request=None, case, **fields):
    _require_readable(by, case)
    _require_open(case)
    person = Person.objects.select_for_update().get(case=case)
    changed = access.changed_fields(person, fields)
    for name, value in fields.items():
        setattr(person, name, value)
    person.derive_age()
    person.full_clean()
    person.save()
    _mark_active(case)
    # Field names only: the values may identify the person.
    record(
        AuditAction.CHANGE,
        request=request,
        user=by,
        obj=case,
        detail="person: " + ", ".join(changed),
    )
    return person


@transaction.atomic
def update_exploitation(*, by, request=None, case, forms, **fields):
    _require_readable(by, case)
    _require_open(case)
    exploitation = Exploitation.objects.select_for_update().get(case=case)
    changed = access.changed_fields(exploitation, fields)
    for name, value in fields.items():
        setattr(exploitation, name, value)
    exploitation.full_clean()
    exploitation.save()
    old_forms = set(case.exploitation_forms.values_list("form", flat=True))
    if set(forms) != old_forms:
        changed.append("forms")
        case.exploitation_forms.exclude(form__in=forms).delete()
        ExploitationFormRecord.objects.bulk_create(
            [ExploitationFormRecord(case=case, form=form) for form in set(forms) - old_forms]
        )
    _mark_active(case)
    record(
        AuditAction.CHANGE,
        request=request,
        user=by,
        obj=case,
        detail="exploitation: " + ", ".join(changed),
    )
    return exploitation


@transaction.atomic
def save_need(*, by, request=None, case, need=None, category, urgency, status, tailoring=""):
    """Record a need, or change one (one row per category)."""
    _require_readable(by, case)
    case = _lock(case)
    _require_open(case)
    if need is None:
        need = Need(case=case, category=category)
    elif need.case_id != case.pk:
        raise PermissionDenied
    need.urgency, need.status, need.tailoring, need.updated_by = urgency, status, tailoring, by
    need.full_clean()
    try:
        with transaction.atomic():
            need.save()
    except IntegrityError:
        # The lock above makes this unlikely; should it happen, a form error, not a 500.
        raise ValidationError(
            {"category": _("This need is already recorded on the case. Change it there.")}
        ) from None
    _mark_active(case)
    record(
        AuditAction.CHANGE,
        request=request,
        user=by,
        obj=case,
        # "manual": set by hand, as against a change carried over from a referral.
        detail=f"need {category}: {status}, {urgency}, manual",
    )
    return need


@transaction.atomic
def record_consent(*, by, request=None, case, consent):
    _require_readable(by, case)
    case = _lock(case)
    _require_open(case)
    consent.case = case
    consent.recorded_by = by
    consent.full_clean()
    consent.save()
    _mark_active(case)
    record(
        AuditAction.CHANGE,
        request=request,
        user=by,
        obj=case,
        detail=f"consent {consent.pk} to {consent.recipient_label}: {', '.join(consent.items)}",
    )
    return consent


@transaction.atomic
def withdraw_consent(*, by, request=None, consent, reason):
    case = consent.case
    _require_readable(by, case)
    consent = Consent.objects.select_for_update().get(pk=consent.pk)
    if consent.withdrawn_at is not None:
        return consent
    consent.withdrawn_at = timezone.now()
    consent.withdrawal_reason = reason
    consent.withdrawn_by = by
    consent.save(update_fields=["withdrawn_at", "withdrawal_reason", "withdrawn_by"])
    record(
        AuditAction.CHANGE,
        request=request,
        user=by,
        obj=case,
        detail=f"consent {consent.pk} withdrawn",
    )
    return consent


@transaction.atomic
def change_identification(
    *, by, request=None, case, status, decided_on, deciding_actor=None, note=""
):
    """Record a decision on the identification status, keep the history, and start the
    reflection period at the first reasonable-grounds decision."""
    access.require(access.coordinated_cases(by).filter(pk=case.pk).exists())
    case = (
        Case.objects.select_for_update(of=("self",))
        .select_related("municipality__country")
        .get(pk=case.pk)
    )
    _require_open(case)
    if decided_on < case.first_contact_on:
        raise ValidationError(
            {"decided_on": _("The decision cannot be dated before the first contact.")}
        )
    change = IdentificationChange(
        case=case,
        status=status,
        decided_on=decided_on,
        deciding_actor=deciding_actor,
        note=note,
        recorded_by=by,
    )
    change.full_clean()
    change.save()
    previous = case.identification
    case.identification = status
    fields = ["identification"]
    if (
        status in (Identification.PRESUMED, Identification.IDENTIFIED)
        and not case.reflection_starts_on
    ):
        case.reflection_starts_on, case.reflection_ends_on = case.reflection_period_for(decided_on)
        fields += ["reflection_starts_on", "reflection_ends_on"]
    if case.lifecycle == Lifecycle.OPEN:
        case.lifecycle = Lifecycle.ACTIVE
        fields.append("lifecycle")
    case.save(update_fields=fields)
    record(
        AuditAction.CHANGE,
        request=request,
        user=by,
        obj=case,
        detail=f"identification: {previous} -> {status}",
    )
    return change


@transaction.atomic
def add_note(*, by, request=None, case, kind, occurred_on, text):
    _require_readable(by, case)
    case = _lock(case)
    note = CaseNote(case=case, kind=kind, occurred_on=occurred_on, text=text, author=by)
    note.full_clean()
    note.save()
    record(
        AuditAction.CHANGE, request=request, user=by, obj=case, detail=f"note {note.pk} ({kind})"
    )
    return note


@transaction.atomic
def close_case(*, by, request=None, case, reason, closed_on):
    access.require(access.coordinated_cases(by).filter(pk=case.pk).exists())
    _require_open(case)
    Case.objects.filter(pk=case.pk).update(
        lifecycle=Lifecycle.CLOSED, closure_reason=reason, closed_on=closed_on
    )
    case.refresh_from_db()
    record(AuditAction.CHANGE, request=request, user=by, obj=case, detail=f"closed: {reason}")
    return case


@transaction.atomic
def reopen_case(*, by, request=None, case):
    access.require(access.coordinated_cases(by).filter(pk=case.pk).exists())
    _require_not_anonymised(case)
    if case.lifecycle != Lifecycle.CLOSED:
        return case
    Case.objects.filter(pk=case.pk).update(
        lifecycle=Lifecycle.ACTIVE, closure_reason="", closed_on=None
    )
    case.refresh_from_db()
    record(AuditAction.CHANGE, request=request, user=by, obj=case, detail="reopened")
    return case


@transaction.atomic
def choose_service(*, by, request=None, case, need, service):
    """The coordinator's pick of a service for a need (the referral comes after)."""
    from services.models import ServiceStatus

    access.require(access.coordinated_cases(by).filter(pk=case.pk).exists())
    _require_open(case)
    if need.case_id != case.pk:
        raise PermissionDenied
    access.require(access.services_for(by).filter(pk=service.pk).exists())
    if (
        service.status != ServiceStatus.ACTIVE
        or not service.categories.filter(category=need.category).exists()
    ):
        raise ValidationError(_("This service does not meet this need."))
    need.service = service
    need.updated_by = by
    need.save(update_fields=["service", "updated_by", "updated_at"])
    record(
        AuditAction.CHANGE,
        request=request,
        user=by,
        obj=case,
        detail=f"need {need.category}: service {service.pk} chosen",
    )
    return need
