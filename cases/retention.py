"""Retention and anonymisation of cases (GDPR art. 5(1)(e) and art. 17).

A closed case is kept for its country's `retention_years` after `closed_on`; then the
daily task `cases.tasks.anonymise_expired_cases` anonymises it. A coordinator can also
anonymise a case at once on a lawful erasure request. Anonymising erases every
identifying and free-text value about the person, in every app, and keeps exactly what
the reports count (reports/figures.py), so that no figure changes:

kept    the case row (reference, municipality, dates, identification status, lifecycle,
        closure reason, cooperation with law enforcement), the person's gender,
        age in years when recorded, whether she may be a child, citizenship, the
        exploitation's categories (forms, sector, means of control, recruiter
        relationship, countries, period), identification status history without notes,
        needs (category, urgency, status, chosen service), consents (recipient, items,
        dates) without purpose or reasons, referrals and their history without notes,
        escalations, assignments (staff, not the person) and the audit log (which names
        the case by its reference code only).
erased  every encrypted column of every row linked to the case (names, contacts, date
        of birth, documents, guardian, notes, special-category data, indicators, need
        tailoring, withdrawal reasons, identification notes), the plain free-text
        columns (consent purpose, referral and transition notes, reasons for sharing
        without consent), languages, and the case's notes and documents (rows and files).
coarsened the month she counts as an adult from to a 1 January that gives the same
        child/adult answer from the day of anonymisation on, and the day the age was taken
        on (the month after her birthday month, when the date of birth was known) to the
        next 1 January.

Anonymising is idempotent: an anonymised case is skipped. Afterwards the case is read-only
(cases.actions refuse every change) and its page says when and why it was anonymised.
"""

import json
import logging
from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from strom import access
from strom.audit import AuditAction, AuditEvent, record
from strom.crypto import EncryptedTextField
from strom.models import Country

from .choices import AnonymisedBecause, ClosureReason, ErasureGround, Lifecycle
from .models import Case, CaseDocument, CaseNote, Person

logger = logging.getLogger(__name__)

REQUEST_REFERENCE_MAX = 60


class RetentionState(models.TextChoices):
    OPEN = "open", gettext_lazy("Open")
    RETAINED = "retained", gettext_lazy("Retained")
    DUE = "due", gettext_lazy("Due for anonymisation")
    ANONYMISED = "anonymised", gettext_lazy("Anonymised")


# Dates ---------------------------------------------------------------------------------


def _add_years(day, years):
    until = day + relativedelta(years=years)
    if day.month == 2 and day.day == 29 and until.day == 28:
        # 29 February + n years is 1 March in a common year, so that `retention_until`
        # and `cases_due` (which subtracts the years from today) always agree.
        until += relativedelta(days=1)
    return until


def retention_until(case):
    """The day the case may be anonymised: closed on + the country's retention years.
    None while the case is open."""
    if case.closed_on is None:
        return None
    return _add_years(case.closed_on, case.municipality.country.retention_years)


@dataclass(frozen=True)
class Retention:
    state: str
    until: date | None = None

    @property
    def label(self):
        return RetentionState(self.state).label


def retention_state(case, today=None):
    """Open, retained until D, due (since D), or anonymised."""
    if case.anonymised_at is not None:
        return Retention(RetentionState.ANONYMISED)
    if case.lifecycle != Lifecycle.CLOSED or case.closed_on is None:
        return Retention(RetentionState.OPEN)
    today = today or timezone.localdate()
    until = retention_until(case)
    return Retention(RetentionState.DUE if until <= today else RetentionState.RETAINED, until)


def _due_q(today):
    """Closed, not anonymised, and closed at least the country's retention years ago. One
    condition per country (there are few), so it runs on SQLite and PostgreSQL alike."""
    per_country = models.Q(pk__in=[])
    for country_id, years in Country.objects.values_list("pk", "retention_years"):
        per_country |= models.Q(
            municipality__country_id=country_id, closed_on__lte=today - relativedelta(years=years)
        )
    return models.Q(lifecycle=Lifecycle.CLOSED, anonymised_at__isnull=True) & per_country


def cases_due(today=None, queryset=None):
    """Cases whose retention period has ended and that are not yet anonymised."""
    today = today or timezone.localdate()
    queryset = Case.objects.all() if queryset is None else queryset
    return queryset.filter(_due_q(today))


def retention_cases(queryset, state="", today=None):
    """The retention list: closed or anonymised cases of `queryset` (already scoped by the
    access policy), the soonest due first, optionally of one state."""
    today = today or timezone.localdate()
    qs = queryset.filter(
        models.Q(lifecycle=Lifecycle.CLOSED) | models.Q(anonymised_at__isnull=False)
    )
    if state == RetentionState.ANONYMISED:
        qs = qs.filter(anonymised_at__isnull=False)
    elif state == RetentionState.DUE:
        qs = qs.filter(_due_q(today))
    elif state == RetentionState.RETAINED:
        qs = qs.filter(anonymised_at__isnull=True).exclude(_due_q(today))
    # Within a country the due date follows the closing date; anonymised cases last.
    return qs.order_by(
        models.F("anonymised_at").desc(nulls_first=True), "closed_on", "reference"
    ).select_related("municipality__country")


# Anonymisation -----------------------------------------------------------------------------

# Plain (unencrypted) free-text columns of rows linked to a case. Every encrypted column of
# every linked row is erased anyway (see _blank_encrypted).
PLAIN_FREE_TEXT = {
    # Required in the consent form; an erased consent keeps an empty purpose.
    "cases.consent": ["purpose"],
    "referrals.referral": ["note"],
    "referrals.transition": ["note"],
    "referrals.consentoverride": ["reason"],
}


def _linked(parent_model, parents):
    """(model, queryset) for every model with a foreign key to `parent_model`, the
    queryset limited to the rows pointing at `parents` (a queryset of `parent_model`)."""
    for relation in parent_model._meta.related_objects:
        if not (relation.one_to_many or relation.one_to_one):
            continue
        related = relation.related_model
        yield related, related._default_manager.filter(**{f"{relation.field.name}__in": parents})


def _erase_columns(model, queryset):
    names = [f.name for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]
    names += PLAIN_FREE_TEXT.get(model._meta.label_lower, [])
    if names:
        queryset.update(**dict.fromkeys(names, ""))


def _coarse_adult_from(adult_from, today):
    """A 1 January that gives the same child/adult answer as `adult_from` from today on:
    the start of its year when she is an adult already, the start of the next year while
    she is a child (she then counts as a child a few months longer, never shorter)."""
    if adult_from is None:
        return None
    if adult_from <= today:
        return date(adult_from.year, 1, 1)
    return _next_new_year(adult_from)


def _next_new_year(day):
    """The next 1 January (the day itself when it is one): the age taken on it is never
    more than she is."""
    if day is None or (day.month, day.day) == (1, 1):
        return day
    return date(day.year + 1, 1, 1)


def _delete_documents(case):
    """Delete the case's documents: rows now, the encrypted files once the transaction has
    committed (a rollback must not leave rows without their files)."""
    documents = list(CaseDocument.objects.filter(case=case))
    files = [(document.file.storage, document.file.name) for document in documents if document.file]
    CaseDocument.objects.filter(pk__in=[document.pk for document in documents]).delete()

    def remove_files():
        for storage, name in files:
            try:
                storage.delete(name)
            except OSError:
                # The row is gone and the file is encrypted; an operator removes it later.
                logger.exception("Could not delete a document file of case %s", case.reference)

    transaction.on_commit(remove_files)
    return len(documents)


def validate_erasure(case, *, ground, request_reference):
    errors = {}
    if ground not in ErasureGround.values:
        errors["ground"] = _("Choose the ground for erasure.")
    reference = (request_reference or "").strip()
    if not reference:
        errors["request_reference"] = _("Give the data protection officer's request reference.")
    elif len(reference) > REQUEST_REFERENCE_MAX:
        errors["request_reference"] = _("At most %(n)d characters.") % {"n": REQUEST_REFERENCE_MAX}
    if errors:
        raise ValidationError(errors)
    return reference


def anonymise(case, *, because, by=None, request=None, ground="", request_reference="", today=None):
    """Erase every identifying and free-text value of the case, in one transaction, and
    record it in the audit log under the case's reference code. Returns False when the
    case was anonymised already (nothing happens), True otherwise.

    `because` is RETENTION (the daily task: the case must be due) or ERASURE (a
    coordinator `by`, with a GDPR art. 17(1) `ground` and the DPO's `request_reference`).
    """
    today = today or timezone.localdate()
    if because == AnonymisedBecause.ERASURE:
        request_reference = validate_erasure(
            case, ground=ground, request_reference=request_reference
        )
    elif because != AnonymisedBecause.RETENTION:
        raise ValueError(f"Unknown reason for anonymising: {because}")
    else:
        ground, request_reference = "", ""
    with transaction.atomic():
        if by is not None:
            access.require(access.privacy_cases(by).filter(pk=case.pk).exists())
        case = (
            Case.objects.select_for_update(of=("self",))
            .select_related("municipality__country")
            .get(pk=case.pk)
        )
        if case.anonymised_at is not None:
            return False
        if (
            because == AnonymisedBecause.RETENTION
            and not cases_due(today).filter(pk=case.pk).exists()
        ):
            raise ValidationError(_("The retention period of this case has not ended."))
        _erase(case, today)
        fields = {
            "anonymised_at": timezone.now(),
            "anonymised_because": because,
            "erasure_ground": ground,
            "erasure_request_reference": request_reference,
        }
        if case.lifecycle != Lifecycle.CLOSED:
            # Erasure of an open case (the person objects, or the processing was unlawful)
            # also closes it: nobody can work on a case without a person, and leaving it
            # open would keep it on workers' lists and referral deadlines running. The
            # closure reason is "other" because none of the others is known to be true;
            # the ground for erasure says why.
            fields.update(
                lifecycle=Lifecycle.CLOSED, closure_reason=ClosureReason.OTHER, closed_on=today
            )
        Case.objects.filter(pk=case.pk).update(**fields)
        case.refresh_from_db()
        if because == AnonymisedBecause.ERASURE:
            detail = f"erased on request {request_reference}, ground {ground}"
            action = AuditAction.ERASE
        else:
            detail = f"retention period ended (closed on {case.closed_on.isoformat()})"
            action = AuditAction.ANONYMISE
        record(action, request=request, user=by, obj=case, detail=detail)
    return True


def _erase(case, today):
    from referrals.models import Referral

    cases = Case.objects.filter(pk=case.pk)
    _delete_documents(case)
    CaseNote.objects.filter(case=case).delete()
    # Every row linked to the case, and every row linked to its referrals.
    for model, queryset in _linked(Case, cases):
        _erase_columns(model, queryset)
    referrals = Referral.objects.filter(case=case)
    for model, queryset in _linked(Referral, referrals):
        _erase_columns(model, queryset)
    # No more escalations or reminders for an anonymised case.
    referrals.update(next_escalation_at=None)
    person = Person.objects.filter(case=case).first()
    if person is not None:
        Person.objects.filter(pk=person.pk).update(
            languages=[],
            interpreter_needed=False,
            adult_from=_coarse_adult_from(person.adult_from, today),
            age_recorded_on=_next_new_year(person.age_recorded_on),
        )


# The daily task ----------------------------------------------------------------------------


@dataclass
class RunResult:
    anonymised: list
    failed: list

    def __str__(self):
        return f"{len(self.anonymised)} anonymised, {len(self.failed)} failed"


def anonymise_expired(today=None, *, dry_run=False):
    """Anonymise every case whose retention period has ended, each in its own transaction:
    one case that fails is logged and the others go on. With `dry_run`, only list them."""
    today = today or timezone.localdate()
    due = list(cases_due(today).order_by("closed_on", "pk").values_list("pk", "reference"))
    result = RunResult([], [])
    for pk, reference in due:
        if dry_run:
            result.anonymised.append(reference)
            continue
        try:
            if anonymise(
                Case(pk=pk, reference=reference),
                because=AnonymisedBecause.RETENTION,
                today=today,
            ):
                result.anonymised.append(reference)
        except Exception:
            logger.exception("Anonymising case %s failed", reference)
            result.failed.append(reference)
    return result


# Data-subject access export (GDPR art. 15) -------------------------------------------------

EXPORT_FORMAT = "strom-subject-access"
EXPORT_VERSION = 1


def _choice(obj, name):
    value = getattr(obj, name)
    if value in ("", None):
        return None
    return {"code": value, "label": str(getattr(obj, f"get_{name}_display")())}


def _user(user):
    if user is None:
        return None
    return {"username": user.get_username(), "name": user.get_full_name()}


def _actor(actor):
    return None if actor is None else {"id": actor.pk, "name": actor.name}


def _countries(values):
    return [{"code": c.code, "name": str(c.name)} for c in values or []]


def subject_access_data(case):
    """Everything STROM holds about the person of `case`, as plain data (dates and times
    as Python objects; `subject_access_json` serialises it). Labels are in the active
    language. The structure is stable: its `format` and `version` say which one it is;
    docs/security.md describes it.

    It includes the special-category fields: art. 15 entitles the person to all data
    held about her, and this export is for her alone, never for sharing."""
    from referrals.models import Referral

    if case.anonymised_at is not None:
        raise ValidationError(_("The case is anonymised: nothing is held about the person."))
    case = Case.objects.select_related(
        "municipality__country", "owner", "created_by", "person", "exploitation"
    ).get(pk=case.pk)
    person, exploitation = case.person, case.exploitation
    referrals = list(
        Referral.objects.filter(case=case)
        .select_related("step", "from_actor", "to_actor", "to_user", "service")
        .prefetch_related("transitions__by", "transitions__to_actor", "overrides__by")
    )
    documents = list(case.documents.select_related("uploaded_by"))
    audit = AuditEvent.objects.filter(
        models.Q(object_type="cases.case", object_id=str(case.pk))
        | models.Q(object_type="referrals.referral", object_id__in=[str(r.pk) for r in referrals])
        | models.Q(object_type="cases.casedocument", object_id__in=[str(d.pk) for d in documents])
    ).order_by("occurred_at", "id")
    state = retention_state(case)
    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "generated_at": timezone.now(),
        "controller": case.municipality.name,
        "case": {
            "reference": case.reference,
            "municipality": case.municipality.name,
            "responsible_organisation": _actor(case.owner),
            "first_contact_on": case.first_contact_on,
            "registered_at": case.created_at,
            "registered_by": _user(case.created_by),
            "state": _choice(case, "lifecycle"),
            "closed_on": case.closed_on,
            "closure_reason": _choice(case, "closure_reason"),
            "identification": _choice(case, "identification"),
            "reflection_period": {
                "from": case.reflection_starts_on,
                "until": case.reflection_ends_on,
            },
            "law_enforcement_cooperation": _choice(case, "law_enforcement_cooperation"),
            "retention": {"state": state.state, "label": str(state.label), "until": state.until},
        },
        "person": {
            "given_names": person.given_names,
            "family_name": person.family_name,
            "other_names": person.aliases,
            "date_of_birth": person.date_of_birth,
            "age_years": person.age_years,
            "age_is_estimate": person.age_is_estimate,
            "age_recorded_on": person.age_recorded_on,
            "may_be_child": person.may_be_child,
            "counts_as_adult_from": person.adult_from,
            "gender": _choice(person, "gender"),
            "citizenship": (
                {"code": person.citizenship.code, "name": str(person.citizenship.name)}
                if person.citizenship
                else None
            ),
            "languages": [
                {"code": code, "name": str(name)}
                for code, name in zip(person.languages or [], person.language_names(), strict=True)
            ],
            "interpreter_needed": person.interpreter_needed,
            "phone": person.phone,
            "email": person.email,
            "address": person.address,
            "identity_documents": person.identity_documents,
            "guardian": person.guardian,
            "notes": person.notes,
            "special_category": {
                name: getattr(person, name) for name in Person.SPECIAL_CATEGORY_FIELDS
            },
        },
        "exploitation": {
            "forms": [
                {"code": r.form, "label": str(r.get_form_display())}
                for r in case.exploitation_forms.order_by("form")
            ],
            "labour_sector": _choice(exploitation, "labour_sector"),
            "means_of_control": list(exploitation.means_of_control or []),
            "recruiter_relationship": _choice(exploitation, "recruiter_relationship"),
            "recruitment_countries": _countries(exploitation.recruitment_countries),
            "transit_countries": _countries(exploitation.transit_countries),
            "exploitation_countries": _countries(exploitation.exploitation_countries),
            "period": _choice(exploitation, "period"),
            "indicators": exploitation.indicators,
        },
        "identification_history": [
            {
                "status": _choice(change, "status"),
                "decided_on": change.decided_on,
                "deciding_authority": _actor(change.deciding_actor),
                "note": change.note,
                "recorded_by": _user(change.recorded_by),
                "recorded_at": change.recorded_at,
            }
            for change in case.identification_changes.select_related(
                "deciding_actor", "recorded_by"
            )
        ],
        "needs": [
            {
                "need": _choice(need, "category"),
                "urgency": _choice(need, "urgency"),
                "status": _choice(need, "status"),
                "tailoring": need.tailoring,
                "service": None
                if need.service is None
                else {"id": need.service.pk, "name": need.service.name},
                "updated_at": need.updated_at,
            }
            for need in case.needs.select_related("service")
        ],
        "consents": [
            {
                "recipient": consent.recipient_label,
                "information": [
                    {"code": code, "label": str(label)}
                    for code, label in zip(consent.items, consent.item_labels(), strict=False)
                ],
                "purpose": consent.purpose,
                "given_how": _choice(consent, "given_how"),
                "interpreter_used": consent.interpreter_used,
                "given_on": consent.given_on,
                "valid_until": consent.expires_on,
                "guardian_consented": consent.guardian_consent,
                "child_assented": consent.child_assent,
                "recorded_by": _user(consent.recorded_by),
                "withdrawn_at": consent.withdrawn_at,
                "withdrawal_reason": consent.withdrawal_reason,
            }
            for consent in case.consents.select_related("recipient", "recorded_by")
        ],
        "notes": [
            {
                "date": note.occurred_on,
                "kind": _choice(note, "kind"),
                "text": note.text,
                "author": _user(note.author),
                "written_at": note.created_at,
            }
            for note in case.notes.select_related("author")
        ],
        "documents": [
            {
                "id": document.pk,
                "kind": _choice(document, "kind"),
                "title": document.title,
                "original_name": document.original_name,
                "content_type": document.content_type,
                "size": document.size,
                "uploaded_at": document.uploaded_at,
                "uploaded_by": _user(document.uploaded_by),
            }
            for document in documents
        ],
        "referrals": [
            {
                "id": referral.pk,
                "step": referral.step.name,
                "from": _actor(referral.from_actor),
                "to_organisation": _actor(referral.to_actor),
                "to_person": _user(referral.to_user),
                "service": None
                if referral.service is None
                else {"id": referral.service.pk, "name": referral.service.name},
                "status": _choice(referral, "status"),
                "decline_reason": _choice(referral, "decline_reason"),
                "outcome": _choice(referral, "outcome"),
                "note": referral.note,
                "sent_at": referral.sent_at,
                "answer_due_at": referral.response_due_at,
                "completion_due_at": referral.due_at,
                "history": [
                    {
                        "at": transition.at,
                        "from_status": transition.from_status,
                        "to_status": transition.to_status,
                        "to_organisation": _actor(transition.to_actor),
                        "note": transition.note,
                        "by": _user(transition.by),
                    }
                    for transition in referral.transitions.all()
                ],
                "shared_without_consent": [
                    {"item": o.item, "reason": o.reason, "by": _user(o.by), "at": o.at}
                    for o in referral.overrides.all()
                ],
            }
            for referral in referrals
        ],
        "assignments": [
            {
                "worker": _user(assignment.user),
                "primary": assignment.is_primary,
                "assigned_at": assignment.assigned_at,
                "assigned_by": _user(assignment.assigned_by),
                "ended_at": assignment.ended_at,
            }
            for assignment in case.assignments.select_related("user", "assigned_by")
        ],
        "access_log": [
            {
                "at": event.occurred_at,
                "user": event.username,
                "action": {"code": event.action, "label": str(event.get_action_display())},
                "object": event.object_label,
                "detail": event.detail,
            }
            for event in audit
        ],
    }


def subject_access_json(data):
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
