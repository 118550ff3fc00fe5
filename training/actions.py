"""Organising trainings, registering, attendance and certificates."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from strom import access
from strom.audit import AuditAction, record
from strom.models import Membership, Role
from strom.notifications import notify

from .models import Certificate, EventTopic, Registration, TrainingEvent


@transaction.atomic
def save_event(*, by, request=None, event, topics):
    creating = event.pk is None
    if creating:
        access.require(
            access.administered_municipalities(by).filter(pk=event.municipality_id).exists()
        )
        event.created_by = by
    else:
        access.require(access.organised_trainings(by).filter(pk=event.pk).exists())
    event.full_clean()
    event.save()
    event.topics.all().delete()
    EventTopic.objects.bulk_create([EventTopic(event=event, topic=t) for t in sorted(set(topics))])
    record(
        AuditAction.CREATE if creating else AuditAction.CHANGE, request=request, user=by, obj=event
    )
    return event


def _lock_event(event):
    return TrainingEvent.objects.select_for_update().get(pk=event.pk)


def _check_place(event, *, organiser=False):
    """Self-registration closes when the training starts; the organiser's list does not:
    she records who took part after the event (a training entered afterwards)."""
    if event.registrations.count() >= event.capacity:
        raise ValidationError(_("The training is full."))
    if not organiser and event.starts_at <= timezone.now():
        raise ValidationError(_("The training has already started."))


# The roles that take part in trainings (as access.can_register_for_training).
TRAINING_ROLES = (Role.SOCIAL_WORKER, Role.COORDINATOR, Role.SERVICE_PROVIDER, Role.ADMINISTRATOR)


def staff_to_add(event):
    """Members of staff the organiser may add: active in the training's municipality, in a
    role that takes part in trainings, and not on the list yet."""
    from django.contrib.auth import get_user_model

    staff = Membership.objects.active().filter(
        actor__municipality=event.municipality, role__in=TRAINING_ROLES
    )
    return (
        get_user_model()
        .objects.filter(is_active=True, pk__in=staff.values("user_id"))
        .exclude(pk__in=event.registrations.filter(user__isnull=False).values("user_id"))
        .order_by("first_name", "last_name", "username")
    )


@transaction.atomic
def register(*, by, request=None, event):
    """A member of staff registers herself."""
    access.require(access.trainings_for(by).filter(pk=event.pk).exists())
    access.require(access.can_register_for_training(by))
    event = _lock_event(event)
    if event.registrations.filter(user=by).exists():
        raise ValidationError(_("You are already registered."))
    _check_place(event)
    registration = Registration.objects.create(event=event, user=by)
    return registration


@transaction.atomic
def register_staff(*, by, request=None, event, user):
    """The organiser puts a member of staff on the list, before or after the training."""
    access.require(access.organised_trainings(by).filter(pk=event.pk).exists())
    event = _lock_event(event)
    if not staff_to_add(event).filter(pk=user.pk).exists():
        if event.registrations.filter(user=user).exists():
            raise ValidationError(
                _("%(name)s is already registered.")
                % {"name": user.get_full_name() or user.get_username()}
            )
        raise ValidationError(_("Only staff of the municipality can be added."))
    _check_place(event, organiser=True)
    registration = Registration.objects.create(event=event, user=user)
    record(
        AuditAction.CREATE,
        request=request,
        user=by,
        obj=event,
        detail=f"staff participant {registration.pk}",
    )
    return registration


@transaction.atomic
def register_external(*, by, request=None, event, name, organisation):
    access.require(access.organised_trainings(by).filter(pk=event.pk).exists())
    event = _lock_event(event)
    if not name.strip():
        raise ValidationError({"name": _("Give the participant's name.")})
    _check_place(event, organiser=True)
    registration = Registration(
        event=event, external_name=name.strip(), external_organisation=organisation.strip()
    )
    registration.full_clean()
    registration.save()
    record(
        AuditAction.CREATE,
        request=request,
        user=by,
        obj=event,
        detail=f"external participant {registration.pk}",
    )
    return registration


@transaction.atomic
def cancel(*, by, request=None, registration):
    own = registration.user_id == by.pk
    access.require(own or access.organised_trainings(by).filter(pk=registration.event_id).exists())
    if registration.event.starts_at <= timezone.now():
        raise ValidationError(_("The training has already started."))
    registration.delete()


@transaction.atomic
def mark_attendance(*, by, request=None, event, attended_ids, now=None):
    """Attendance after the event: those in `attended_ids` attended, the others did not.
    Attendees get a certificate."""
    access.require(access.organised_trainings(by).filter(pk=event.pk).exists())
    now = now or timezone.now()
    if event.starts_at > now:
        raise ValidationError(_("Attendance can be marked once the training has started."))
    registrations = list(event.registrations.all())
    known = {r.pk for r in registrations}
    if not set(attended_ids) <= known:
        raise ValidationError(_("Someone in the list is not registered for this training."))
    for registration in registrations:
        registration.attended = registration.pk in attended_ids
        registration.attendance_marked_at = now
        registration.save(update_fields=["attended", "attendance_marked_at"])
        if registration.attended:
            Certificate.objects.get_or_create(registration=registration)
    record(
        AuditAction.CHANGE,
        request=request,
        user=by,
        obj=event,
        detail=f"attendance: {len(attended_ids)} of {len(registrations)}",
    )


REMINDER_BEFORE = datetime.timedelta(days=2)


def send_reminders(now=None):
    """Two days before a training, each registered user is reminded once (idempotent:
    `reminded_at` is set in the same transaction, claimed with skip_locked)."""
    now = now or timezone.now()
    sent = 0
    with transaction.atomic():
        due = list(
            Registration.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("event", "user")
            .filter(
                user__isnull=False,
                reminded_at__isnull=True,
                event__starts_at__gt=now,
                event__starts_at__lte=now + REMINDER_BEFORE,
            )
        )
        for registration in due:
            event = registration.event
            notify(
                [registration.user],
                kind="training_reminder",
                url=event.get_absolute_url(),
                title=_("Training on %(date)s: %(title)s")
                % {
                    "date": timezone.localtime(event.starts_at).strftime("%Y-%m-%d %H:%M"),
                    "title": event.title,
                },
            )
            Registration.objects.filter(pk=registration.pk).update(reminded_at=now)
            sent += 1
    return sent


def invite(*, by, request=None, event):
    """Tell the staff the training is meant for (its roles and kinds of organisation)."""
    access.require(access.organised_trainings(by).filter(pk=event.pk).exists())
    staff = Membership.objects.active().filter(actor__municipality=event.municipality)
    if event.target_roles:
        staff = staff.filter(role__in=event.target_roles)
    if event.target_kinds:
        staff = staff.filter(actor__kind__in=event.target_kinds)
    users = [m.user for m in staff.select_related("user")]
    notify(
        users,
        kind="training_invitation",
        url=event.get_absolute_url(),
        title=_("Invitation: %(title)s") % {"title": event.title},
    )
    record(
        AuditAction.CHANGE,
        request=request,
        user=by,
        obj=event,
        detail=f"invitation to {len({u.pk for u in users})} people",
    )
    return len({u.pk for u in users})
