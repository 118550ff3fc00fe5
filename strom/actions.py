"""State changes of the shared core. Each is one transaction and writes the audit log.

Callers pass objects they fetched through `strom.access`; these functions check
the rule once more, so that a view that forgets cannot widen anyone's rights.
"""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from . import access
from .audit import AuditAction, record
from .models import Actor, ActorLevel, Membership

User = get_user_model()


@transaction.atomic
def create_actor(*, by, request=None, municipality, **fields):
    access.require(access.administered_municipalities(by).filter(pk=municipality.pk).exists())
    actor = Actor(
        municipality=municipality,
        country=municipality.country,
        level=ActorLevel.LOCAL,
        **fields,
    )
    actor.full_clean()
    actor.save()
    record(AuditAction.CREATE, request=request, user=by, obj=actor)
    return actor


@transaction.atomic
def update_actor(*, by, request=None, actor, **fields):
    access.require(access.editable_actors(by).filter(pk=actor.pk).exists())
    changed = access.changed_fields(actor, fields)
    for name, value in fields.items():
        setattr(actor, name, value)
    actor.full_clean()
    actor.save()
    if changed:
        record(
            AuditAction.CHANGE,
            request=request,
            user=by,
            obj=actor,
            detail="fields: " + ", ".join(changed),
        )
    return actor


def _check_membership_allowed(by, actor, role):
    access.require(role in access.assignable_roles(by))
    access.require(access.editable_actors(by).filter(pk=actor.pk).exists() or by.is_superuser)


@transaction.atomic
def create_person(
    *, by, request=None, username, first_name, last_name, email, password, actor, role
):
    """A new user account, with her first membership (a user without one would be
    invisible to every administrator)."""
    _check_membership_allowed(by, actor, role)
    user = User(username=username, first_name=first_name, last_name=last_name, email=email)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    record(AuditAction.CREATE, request=request, user=by, obj=user, municipality=actor.municipality)
    add_membership(by=by, request=request, user=user, actor=actor, role=role)
    return user


@transaction.atomic
def update_person(*, by, request=None, person, municipality, **fields):
    access.require(access.manageable_people(by).filter(pk=person.pk).exists())
    changed = access.changed_fields(person, fields)
    for name, value in fields.items():
        setattr(person, name, value)
    person.full_clean(exclude=["password"])
    person.save()
    if changed:
        record(
            AuditAction.CHANGE,
            request=request,
            user=by,
            obj=person,
            municipality=municipality,
            detail="fields: " + ", ".join(changed),
        )
    return person


@transaction.atomic
def set_person_password(*, by, request=None, person, password, municipality):
    access.require(access.manageable_people(by).filter(pk=person.pk).exists())
    person.set_password(password)
    person.save(update_fields=["password"])
    record(
        AuditAction.CHANGE,
        request=request,
        user=by,
        obj=person,
        municipality=municipality,
        detail="password set by an administrator",
    )


@transaction.atomic
def add_membership(*, by, request=None, user, actor, role):
    _check_membership_allowed(by, actor, role)
    membership = Membership(user=user, actor=actor, role=role)
    membership.full_clean()
    membership.save()
    actor.group.user_set.add(user)
    record(
        AuditAction.GRANT,
        request=request,
        user=by,
        obj=membership,
        detail=f"{role} at actor {actor.pk} for user {user.pk}",
    )
    return membership


@transaction.atomic
def end_membership(*, by, request=None, membership):
    access.require(access.manageable_memberships(by).filter(pk=membership.pk).exists())
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.ended_at is not None:
        return membership
    membership.ended_at = timezone.now()
    membership.save(update_fields=["ended_at"])
    still_there = Membership.objects.active().filter(
        user_id=membership.user_id, actor_id=membership.actor_id
    )
    if not still_there.exists():
        membership.actor.group.user_set.remove(membership.user)
    record(
        AuditAction.REVOKE,
        request=request,
        user=by,
        obj=membership,
        detail=f"{membership.role} at actor {membership.actor_id} for user {membership.user_id}",
    )
    return membership


def is_locked_out(person):
    from axes.models import AccessAttempt
    from django.conf import settings

    return AccessAttempt.objects.filter(
        username=person.get_username(), failures_since_start__gte=settings.AXES_FAILURE_LIMIT
    ).exists()


@transaction.atomic
def reset_second_factor(*, by, request=None, person, municipality):
    """An administrator removes a person's lost authenticator and recovery codes; the
    person sets up a new one at her next sign-in."""
    from . import twofactor

    access.require(access.manageable_people(by).filter(pk=person.pk).exists())
    twofactor.reset(person)
    record(
        AuditAction.TWO_FACTOR_RESET,
        request=request,
        user=by,
        obj=person,
        municipality=municipality,
    )


@transaction.atomic
def unlock(*, by, request=None, person, municipality):
    """An administrator lifts the lockout of one of her municipality's people."""
    from axes.utils import reset

    access.require(access.manageable_people(by).filter(pk=person.pk).exists())
    reset(username=person.get_username())
    record(AuditAction.UNLOCK, request=request, user=by, obj=person, municipality=municipality)
