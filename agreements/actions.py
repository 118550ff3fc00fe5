"""Drafting, negotiating, signing and amending agreements. A version is frozen when every
party has signed; a frozen version never changes again (a change is a new version). From the
first signature on, its text, parties and dates stay as they were signed: changing them takes
withdrawing the signatures recorded (audited), so no party signs a text another never saw."""

import hashlib
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from strom import access, uploads
from strom.audit import AuditAction, record
from strom.models import ActorLevel, Membership, Municipality, Role
from strom.notifications import notify

from .models import (
    Agreement,
    AgreementStatus,
    AgreementVersion,
    Clause,
    ClauseTemplate,
    Reminder,
    Signature,
)
from .texts import CLAUSES

ST = AgreementStatus


def _editable(by, agreement):
    access.require(access.editable_agreements(by).filter(pk=agreement.pk).exists())


def _draft_version(by, version):
    """The version, locked, if parties may still sign it."""
    _editable(by, version.agreement)
    version = AgreementVersion.objects.select_for_update().get(pk=version.pk)
    if version.is_frozen:
        raise ValidationError(_("This version is signed and cannot change. Start an amendment."))
    return version


def signed_lock_message(version):
    """Why a version some parties signed cannot change, and what to do about it."""
    return _(
        "Parties have signed this version (%(signed)d of %(total)d): its text, parties and "
        "dates stay as they signed them. Withdraw their signatures first to change it."
    ) % {
        "signed": Signature.objects.filter(party__version=version).count(),
        "total": version.parties.count(),
    }


def _unsigned_version(by, version):
    """The version, locked, if its text, parties and dates may still change: nobody signed it.
    The lock is the one record_signature takes, so a signature and a change do not cross."""
    version = _draft_version(by, version)
    if version.has_signatures:
        raise ValidationError(signed_lock_message(version))
    return version


def _number(municipality, kind, year):
    """The next free number of the municipality's agreements of this kind and year. The
    municipality's row stays locked until the transaction ends, so two agreements created
    at once get consecutive numbers instead of the same one."""
    Municipality.objects.select_for_update().only("pk").get(pk=municipality.pk)
    prefix = f"{municipality.code}-{kind.upper()}-{year}-"
    taken = Agreement.objects.filter(number__startswith=prefix).values_list("number", flat=True)
    last = max((int(n[len(prefix) :]) for n in taken if n[len(prefix) :].isdigit()), default=0)
    return f"{prefix}{last + 1:02d}"


@transaction.atomic
def create_agreement(
    *,
    by,
    request=None,
    municipality,
    kind,
    title,
    language,
    effective_from,
    effective_until=None,
    review_on=None,
):
    """A draft from the clause templates of its language."""
    access.require(access.administered_municipalities(by).filter(pk=municipality.pk).exists())
    agreement = Agreement(
        municipality=municipality,
        kind=kind,
        title=title,
        language=language,
        effective_from=effective_from,
        effective_until=effective_until,
        review_on=review_on,
        created_by=by,
        number=_number(municipality, kind, effective_from.year),
    )
    agreement.full_clean()
    agreement.save()
    version = AgreementVersion.objects.create(agreement=agreement, number=1)
    # The templates in the database (adapted by a superuser), else the shipped ones.
    templates = [
        (t.key, t.title, t.body)
        for t in ClauseTemplate.objects.filter(language=language).order_by("order")
    ] or CLAUSES[language]
    Clause.objects.bulk_create(
        [
            Clause(version=version, order=index, key=key, title=title_, body=body)
            for index, (key, title_, body) in enumerate(templates, start=1)
        ]
    )
    record(AuditAction.CREATE, request=request, user=by, obj=agreement)
    return agreement


@transaction.atomic
def update_agreement(*, by, request=None, agreement, **fields):
    _editable(by, agreement)
    if agreement.current_version.is_frozen:
        raise ValidationError(_("The agreement is signed. Start an amendment to change it."))
    _unsigned_version(by, agreement.current_version)
    for name, value in fields.items():
        setattr(agreement, name, value)
    agreement.full_clean()
    agreement.save()
    record(
        AuditAction.CHANGE,
        request=request,
        user=by,
        obj=agreement,
        detail="fields: " + ", ".join(sorted(fields)),
    )
    return agreement


def _check_party_actor(agreement, actor):
    country = agreement.municipality.country_id
    if actor.country_id != country:
        raise ValidationError(
            {
                "actor": _(
                    "An organisation of another country can only join a national-level agreement."
                )
            }
        )
    if actor.municipality_id not in (None, agreement.municipality_id):
        raise ValidationError({"actor": _("The organisation belongs to another municipality.")})
    if actor.municipality_id is None and actor.level == ActorLevel.LOCAL:
        raise ValidationError({"actor": _("Choose an organisation of the municipality.")})


@transaction.atomic
def save_party(*, by, request=None, party):
    version = _unsigned_version(by, party.version)
    _check_party_actor(version.agreement, party.actor)
    if party.pk is None:
        party.order = (version.parties.aggregate(m=Max("order"))["m"] or 0) + 1
    party.full_clean()
    party.save()
    record(
        AuditAction.CHANGE,
        request=request,
        user=by,
        obj=version.agreement,
        detail=f"party {party.actor_id} saved",
    )
    return party


@transaction.atomic
def remove_party(*, by, request=None, party):
    version = _unsigned_version(by, party.version)
    party.delete()
    record(
        AuditAction.CHANGE,
        request=request,
        user=by,
        obj=version.agreement,
        detail=f"party {party.actor_id} removed",
    )


@transaction.atomic
def save_clause(*, by, request=None, clause):
    version = _unsigned_version(by, clause.version)
    if not clause.title.strip() or not clause.body.strip():
        raise ValidationError(_("A clause needs a title and a text."))
    if clause.pk is None:
        clause.order = (version.clauses.aggregate(m=Max("order"))["m"] or 0) + 1
    clause.full_clean()
    clause.save()
    record(
        AuditAction.CHANGE,
        request=request,
        user=by,
        obj=version.agreement,
        detail=f"clause {clause.order} saved",
    )
    return clause


@transaction.atomic
def move_clause(*, by, request=None, clause, direction):
    version = _unsigned_version(by, clause.version)
    clauses = list(version.clauses.all())
    index = next(i for i, c in enumerate(clauses) if c.pk == clause.pk)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(clauses):
        clauses[index], clauses[other] = clauses[other], clauses[index]
    for order, item in enumerate(clauses, start=1):
        Clause.objects.filter(pk=item.pk).update(order=order)


@transaction.atomic
def remove_clause(*, by, request=None, clause):
    version = _unsigned_version(by, clause.version)
    clause.delete()
    for order, item in enumerate(version.clauses.all(), start=1):
        Clause.objects.filter(pk=item.pk).update(order=order)
    record(
        AuditAction.CHANGE, request=request, user=by, obj=version.agreement, detail="clause removed"
    )


@transaction.atomic
def start_negotiation(*, by, request=None, agreement):
    _editable(by, agreement)
    version = agreement.current_version
    if agreement.status != ST.DRAFT:
        raise ValidationError(_("Only a draft goes into negotiation."))
    if version.parties.count() < 2:
        raise ValidationError(_("An agreement needs at least two parties."))
    Agreement.objects.filter(pk=agreement.pk).update(status=ST.NEGOTIATION)
    record(AuditAction.CHANGE, request=request, user=by, obj=agreement, detail="negotiation")


@transaction.atomic
def record_signature(*, by, request=None, party, signed_on, signatory_name, today=None):
    """Record one party's signature. When the last party signs, the version is frozen, its
    PDF rendered and stored, and the agreement is signed (in force from its start date)."""
    from .pdf import render

    version = _draft_version(by, party.version)
    agreement = version.agreement
    today = today or timezone.localdate()
    if agreement.status not in (ST.DRAFT, ST.NEGOTIATION):
        raise ValidationError(_("This agreement cannot be signed now."))
    if signed_on > today:
        raise ValidationError({"signed_on": _("The date cannot be in the future.")})
    if hasattr(party, "signature"):
        raise ValidationError(_("This party has already signed."))
    signature = Signature(
        party=party, signed_on=signed_on, signatory_name=signatory_name, recorded_by=by
    )
    signature.full_clean()
    signature.save()
    record(
        AuditAction.CHANGE,
        request=request,
        user=by,
        obj=agreement,
        detail=f"signature of party {party.actor_id} (version {version.number})",
    )
    if version.parties.filter(signature__isnull=True).exists():
        if agreement.status == ST.DRAFT:
            Agreement.objects.filter(pk=agreement.pk).update(status=ST.NEGOTIATION)
        return signature
    version.frozen_at = timezone.now()
    version.save(update_fields=["frozen_at"])
    content = render(version)
    version.pdf.save(f"{agreement.number}-v{version.number}.pdf", ContentFile(content), save=False)
    version.pdf_sha256 = hashlib.sha256(content).hexdigest()
    version.save(update_fields=["pdf", "pdf_sha256"])
    status = ST.IN_FORCE if agreement.effective_from <= today else ST.SIGNED
    Agreement.objects.filter(pk=agreement.pk).update(status=status)
    return signature


def signatures_of(version):
    """The signatures recorded on a version, in the order of its parties."""
    return (
        Signature.objects.filter(party__version=version)
        .select_related("party__actor", "recorded_by")
        .order_by("party__order", "party_id")
    )


@transaction.atomic
def withdraw_signatures(*, by, request=None, agreement, seen):
    """Withdraw every signature recorded on the current version, which not every party has
    signed yet, so that its text, parties and dates may change again. `seen` are the ids of the
    signatures the administrator confirmed: a signature recorded since is not withdrawn
    unseen. Audited, naming each signature withdrawn."""
    version = _draft_version(by, agreement.current_version)
    signatures = list(signatures_of(version))
    if not signatures:
        raise ValidationError(_("No party has signed this version."))
    if {str(s.pk) for s in signatures} != {str(pk) for pk in seen}:
        raise ValidationError(
            _("The signatures changed since you opened the page. Check them again.")
        )
    Signature.objects.filter(pk__in=[s.pk for s in signatures]).delete()
    record(
        AuditAction.CHANGE,
        request=request,
        user=by,
        obj=version.agreement,
        detail=f"signatures withdrawn from version {version.number}: "
        + "; ".join(
            f"party {s.party.actor_id} signed by {s.signatory_name} on {s.signed_on.isoformat()}"
            f" (recorded by {s.recorded_by.get_username()}"
            f" at {s.recorded_at.isoformat(timespec='minutes')})"
            for s in signatures
        ),
    )
    return signatures


def deletable_problem(agreement):
    """Why the agreement cannot be deleted, or None: only a draft nobody signed can go."""
    if agreement.versions.filter(frozen_at__isnull=False).exists() or agreement.status not in (
        ST.DRAFT,
        ST.NEGOTIATION,
    ):
        return _("A signed agreement cannot be deleted. Terminate it instead.")
    if Signature.objects.filter(party__version__agreement=agreement).exists():
        return _(
            "Parties have signed this agreement, so it cannot be deleted. Withdraw their "
            "signatures first."
        )
    return None


@transaction.atomic
def delete_agreement(*, by, request=None, agreement):
    """Delete a draft nobody signed, with its parties and clauses. Audited."""
    _editable(by, agreement)
    # The locks record_signature takes: no signature arrives while the draft goes.
    list(AgreementVersion.objects.select_for_update().filter(agreement_id=agreement.pk))
    agreement = Agreement.objects.get(pk=agreement.pk)
    problem = deletable_problem(agreement)
    if problem:
        raise ValidationError(problem)
    record(
        AuditAction.DELETE,
        request=request,
        user=by,
        obj=agreement,
        detail=f"draft deleted: {agreement.title[:200]}",
    )
    AgreementVersion.objects.filter(agreement_id=agreement.pk).delete()
    agreement.delete()


def attach_signed_scan(*, by, request=None, version, upload):
    """Keep the scan of the paper copy the parties signed, with a signed (frozen) version.

    The version's text stays as it was signed: the scan is an attachment to it. A new scan
    replaces the earlier one, whose file goes when the change has committed. One transaction;
    a file written to disk is removed again when it does not commit."""
    written = []
    try:
        with transaction.atomic():
            return _attach_signed_scan(
                by=by, request=request, version=version, upload=upload, written=written
            )
    except BaseException:
        for storage, name in written:
            storage.delete(name)
        raise


def _attach_signed_scan(*, by, request, version, upload, written):
    _editable(by, version.agreement)
    version = (
        AgreementVersion.objects.select_for_update()
        .select_related("agreement__municipality")
        .get(pk=version.pk)
    )
    if not version.is_frozen:
        raise ValidationError(
            _("Attach the scan of the signed paper copy once every party has signed.")
        )
    kind = uploads.validate_upload(upload, uploads.SIGNED_SCAN_KINDS)
    content = uploads.read_all(upload)
    storage, previous = version.signed_scan.storage, version.signed_scan.name
    version.signed_scan.save("", ContentFile(content), save=False)
    written.append((storage, version.signed_scan.name))
    version.signed_scan_type = kind.content_type
    version.signed_scan_sha256 = hashlib.sha256(content).hexdigest()
    version.save(update_fields=["signed_scan", "signed_scan_type", "signed_scan_sha256"])
    record(
        AuditAction.UPLOAD,
        request=request,
        user=by,
        obj=version.agreement,
        detail=f"scan of the signed version {version.number} ({kind.label}, {len(content)} bytes)"
        + (", replacing the earlier scan" if previous else ""),
    )
    if previous:
        transaction.on_commit(lambda: storage.delete(previous))
    return version


@transaction.atomic
def amend(*, by, request=None, agreement):
    """A new version from the signed one: the old version and its PDF are kept."""
    _editable(by, agreement)
    current = agreement.current_version
    if not current.is_frozen:
        raise ValidationError(_("The current version is not signed yet: edit it instead."))
    if agreement.status == ST.TERMINATED:
        raise ValidationError(_("A terminated agreement cannot be amended."))
    version = AgreementVersion.objects.create(agreement=agreement, number=current.number + 1)
    for party in current.parties.all():
        party.pk = None
        party.version = version
        party.save()
    Clause.objects.bulk_create(
        [
            Clause(version=version, order=c.order, key=c.key, title=c.title, body=c.body)
            for c in current.clauses.all()
        ]
    )
    Agreement.objects.filter(pk=agreement.pk).update(status=ST.NEGOTIATION)
    record(
        AuditAction.CHANGE,
        request=request,
        user=by,
        obj=agreement,
        detail=f"amendment: version {version.number}",
    )
    return version


@transaction.atomic
def terminate(*, by, request=None, agreement, terminated_on):
    _editable(by, agreement)
    if agreement.status in (ST.TERMINATED, ST.EXPIRED):
        raise ValidationError(_("The agreement has already ended."))
    Agreement.objects.filter(pk=agreement.pk).update(
        status=ST.TERMINATED, terminated_on=terminated_on
    )
    record(AuditAction.CHANGE, request=request, user=by, obj=agreement, detail="terminated")


# The daily task ------------------------------------------------------------------------------

REMINDER_DAYS = (60, 30)


def daily(today=None):
    """Put signed agreements in force on their start date, expire them after their end date,
    and remind administrators 60 and 30 days before the review and the end. Idempotent:
    a reminder is recorded once per (agreement, kind, days, date)."""
    today = today or timezone.localdate()
    started = Agreement.objects.filter(status=ST.SIGNED, effective_from__lte=today).update(
        status=ST.IN_FORCE
    )
    expired = Agreement.objects.filter(
        status__in=[ST.IN_FORCE, ST.SIGNED], effective_until__lt=today
    ).update(status=ST.EXPIRED)
    reminders = 0
    live = Agreement.objects.filter(status__in=[ST.SIGNED, ST.IN_FORCE]).select_related(
        "municipality"
    )
    for agreement in live:
        for kind, due in (("review", agreement.review_on), ("expiry", agreement.effective_until)):
            if due is None:
                continue
            for days in REMINDER_DAYS:
                if not (today >= due - timedelta(days=days) and today <= due):
                    continue
                with transaction.atomic():
                    _reminder, created = Reminder.objects.get_or_create(
                        agreement=agreement, kind=kind, days=days, due_on=due
                    )
                    if not created:
                        continue
                    admins = [
                        m.user
                        for m in Membership.objects.active()
                        .filter(
                            role=Role.ADMINISTRATOR,
                            actor__municipality_id=agreement.municipality_id,
                        )
                        .select_related("user")
                    ]
                    title = (
                        _("Review of %(number)s due on %(date)s")
                        if kind == "review"
                        else _("%(number)s ends on %(date)s")
                    )
                    notify(
                        admins,
                        kind=f"agreement_{kind}",
                        url=agreement.get_absolute_url(),
                        title=title % {"number": agreement.number, "date": due.isoformat()},
                    )
                    reminders += 1
    return {"in_force": started, "expired": expired, "reminders": reminders}
