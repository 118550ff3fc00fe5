"""State changes of the shared core. Each is one transaction and writes the audit log.

Callers pass objects they fetched through `strom.access`; these functions check
the rule once more, so that a view that forgets cannot widen anyone's rights.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from . import access
from .audit import AuditAction, record
from .models import (
    CONFIRMED_ROLES,
    Actor,
    ActorLevel,
    Membership,
    Municipality,
    Role,
    RoleRequest,
    RoleRequestOutcome,
)
from .notifications import notify

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


def _check_person_allowed(by, user):
    # Her roles are the administrator's to change if she works (or is asked to) in the
    # administrator's municipality, or is a new account with no role anywhere yet.
    access.require(
        access.manageable_people(by).filter(pk=user.pk).exists()
        or not (user.is_superuser or user.memberships.exists() or user.role_requests.exists())
    )


def _check_not_for_herself(by, user):
    # Nobody gives herself a role, not even a superuser: a second person always decides.
    if by.pk == user.pk:
        raise ValidationError(
            _("You cannot give yourself a role. Ask another administrator to do it.")
        )


def _person_municipalities(person):
    """Every municipality the person works for now (or is asked to): a change to her account
    goes into each one's audit log, so that none of them misses it."""
    working = Q(actors__memberships__user=person, actors__memberships__ended_at__isnull=True) | Q(
        actors__role_requests__user=person, actors__role_requests__outcome="pending"
    )
    return list(Municipality.objects.filter(working).distinct().order_by("code")) or [None]


def _record_for_person(action, *, request, by, person, detail=""):
    for municipality in _person_municipalities(person):
        record(
            action,
            request=request,
            user=by,
            obj=person,
            municipality=municipality,
            detail=detail,
        )


def _staff(municipality, *roles, exclude=()):
    if municipality is None:
        return []
    ids = {u.pk for u in exclude}
    return [
        m.user
        for m in Membership.objects.active()
        .filter(role__in=roles, actor__municipality=municipality)
        .select_related("user")
        if m.user_id not in ids
    ]


def _name(user):
    return user.get_full_name() or user.get_username()


@transaction.atomic
def create_person(
    *, by, request=None, username, first_name, last_name, email, password, actor, role
):
    """A new user account, with her first role (a user without one would be invisible to
    every administrator). A role that needs a second administrator's confirmation is asked
    for: the account has no membership until it is confirmed."""
    _check_membership_allowed(by, actor, role)
    user = User(username=username, first_name=first_name, last_name=last_name, email=email)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        # Someone made the same user name between the check above and this insert.
        raise ValidationError(
            {"username": _("A user with that username already exists.")}
        ) from None
    record(AuditAction.CREATE, request=request, user=by, obj=user, municipality=actor.municipality)
    give_role(by=by, request=request, user=user, actor=actor, role=role)
    return user


@transaction.atomic
def update_person(*, by, request=None, person, **fields):
    """Name and e-mail. Whoever changes the e-mail address could take the account over, so
    only for people the administrator manages entirely (access.account_manageable_people)."""
    access.require(access.account_manageable_people(by).filter(pk=person.pk).exists())
    changed = access.changed_fields(person, fields)
    for name, value in fields.items():
        setattr(person, name, value)
    person.full_clean(exclude=["password"])
    person.save()
    if changed:
        _record_for_person(
            AuditAction.CHANGE,
            request=request,
            by=by,
            person=person,
            detail="fields: " + ", ".join(changed),
        )
    return person


def _tell_person(person, *, title, message, by):
    """In the app, and by e-mail whatever her preferences (twofactor.tell_owner): someone
    who took over the account could have turned e-mail copies off."""
    from . import twofactor

    twofactor.tell_owner(person, title=title, message=message, name=_name(by))


@transaction.atomic
def set_person_password(*, by, request=None, person, password):
    access.require(access.account_manageable_people(by).filter(pk=person.pk).exists())
    person.set_password(password)
    person.save(update_fields=["password"])
    _record_for_person(
        AuditAction.CHANGE,
        request=request,
        by=by,
        person=person,
        detail="password set by an administrator",
    )
    _tell_person(
        person,
        by=by,
        title=_("An administrator set a new password for your account"),
        message=_(
            "On %(when)s, the administrator %(name)s set a new password for your STROM "
            "account. This happens when you ask for it, for example after forgetting yours."
        ),
    )


def _grant(*, by, request, user, actor, role, detail=""):
    membership = Membership(user=user, actor=actor, role=role)
    membership.full_clean()
    membership.save()
    actor.group.user_set.add(user)
    record(
        AuditAction.GRANT,
        request=request,
        user=by,
        obj=membership,
        detail=f"{role} at actor {actor.pk} for user {user.pk}{detail}",
    )
    if role == Role.COORDINATOR:
        notify(
            _staff(actor.municipality, Role.COORDINATOR, exclude=[user]),
            kind="coordinator_added",
            title=_("New coordinator in %(municipality)s: %(name)s")
            % {"municipality": actor.municipality, "name": _name(user)},
            url=reverse("person_detail", args=[user.pk]),
        )
    return membership


@transaction.atomic
def add_membership(*, by, request=None, user, actor, role):
    """Give a role at once. A role in CONFIRMED_ROLES only a superuser gives at once; an
    administrator asks for it (`give_role`, `request_role`)."""
    _check_not_for_herself(by, user)
    _check_membership_allowed(by, actor, role)
    _check_person_allowed(by, user)
    access.require(role not in CONFIRMED_ROLES or by.is_superuser)
    return _grant(by=by, request=request, user=user, actor=actor, role=role)


def needs_confirmation(by, role):
    return role in CONFIRMED_ROLES and not by.is_superuser


@transaction.atomic
def give_role(*, by, request=None, user, actor, role):
    """What an administrator's "Give a role" does: the Membership at once, or a RoleRequest
    that a second administrator confirms. Returns the one or the other."""
    if needs_confirmation(by, role):
        return request_role(by=by, request=request, user=user, actor=actor, role=role)
    return add_membership(by=by, request=request, user=user, actor=actor, role=role)


@transaction.atomic
def request_role(*, by, request=None, user, actor, role):
    """Ask for a role that needs a second administrator's confirmation. Gives no access."""
    _check_not_for_herself(by, user)
    _check_membership_allowed(by, actor, role)
    _check_person_allowed(by, user)
    if Membership.objects.filter(
        user=user, actor=actor, role=role, ended_at__isnull=True
    ).exists():
        raise ValidationError(_("This person already has this role at this actor."))
    role_request = RoleRequest(user=user, actor=actor, role=role, requested_by=by)
    role_request.full_clean()
    role_request.save()
    record(
        AuditAction.GRANT_REQUESTED,
        request=request,
        user=by,
        obj=role_request,
        detail=f"{role} at actor {actor.pk} for user {user.pk}",
    )
    notify(
        _staff(actor.municipality, Role.COORDINATOR, Role.ADMINISTRATOR, exclude=[by, user]),
        kind="role_requested",
        title=_("%(role)s asked for %(name)s in %(municipality)s: waiting for confirmation")
        % {
            "role": Role(role).label,
            "name": _name(user),
            "municipality": actor.municipality,
        },
        url=reverse("person_detail", args=[user.pk]),
    )
    return role_request


def _pending_request_for_update(by, role_request):
    access.require(access.decidable_role_requests(by).filter(pk=role_request.pk).exists())
    locked = RoleRequest.objects.select_for_update().get(pk=role_request.pk)
    if not locked.is_pending:
        raise ValidationError(_("This request has already been decided."))
    return RoleRequest.objects.select_related("user", "actor__municipality", "requested_by").get(
        pk=locked.pk
    )


@transaction.atomic
def confirm_role_request(*, by, request=None, role_request):
    """A second administrator of the municipality (or a superuser) confirms: only now does
    the person get the role."""
    role_request = _pending_request_for_update(by, role_request)
    if not access.may_confirm_role_request(by, role_request):
        raise ValidationError(
            _(
                "Another administrator must confirm this role: neither the one who asked "
                "for it nor the person herself."
            )
        )
    _check_membership_allowed(by, role_request.actor, role_request.role)
    membership = _grant(
        by=by,
        request=request,
        user=role_request.user,
        actor=role_request.actor,
        role=role_request.role,
        detail=f", asked by user {role_request.requested_by_id} (request {role_request.pk})",
    )
    _decide(role_request, by=by, outcome=RoleRequestOutcome.CONFIRMED)
    return membership


@transaction.atomic
def refuse_role_request(*, by, request=None, role_request):
    """Any administrator of the municipality refuses (the one who asked withdraws it)."""
    role_request = _pending_request_for_update(by, role_request)
    _decide(role_request, by=by, outcome=RoleRequestOutcome.REFUSED)
    record(
        AuditAction.GRANT_REFUSED,
        request=request,
        user=by,
        obj=role_request,
        detail=(
            f"{role_request.role} at actor {role_request.actor_id} for user "
            f"{role_request.user_id}, asked by user {role_request.requested_by_id}"
        ),
    )
    return role_request


def _decide(role_request, *, by, outcome):
    role_request.outcome = outcome
    role_request.decided_by = by
    role_request.decided_at = timezone.now()
    role_request.save(update_fields=["outcome", "decided_by", "decided_at"])
    if by.pk != role_request.requested_by_id:
        notify(
            [role_request.requested_by],
            kind="role_request_decided",
            title=(
                _("Confirmed: %(role)s for %(name)s")
                if outcome == RoleRequestOutcome.CONFIRMED
                else _("Refused: %(role)s for %(name)s")
            )
            % {"role": role_request.get_role_display(), "name": _name(role_request.user)},
            url=reverse("person_detail", args=[role_request.user_id]),
        )


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
def reset_second_factor(*, by, request=None, person):
    """An administrator removes a person's lost authenticator and recovery codes; the
    person sets up a new one at her next sign-in."""
    from . import twofactor

    access.require(access.account_manageable_people(by).filter(pk=person.pk).exists())
    twofactor.reset(person)
    _record_for_person(AuditAction.TWO_FACTOR_RESET, request=request, by=by, person=person)
    _tell_person(
        person,
        by=by,
        title=_("An administrator reset the second factor of your account"),
        message=_(
            "On %(when)s, the administrator %(name)s reset the second factor of your STROM "
            "account: you set up your authenticator app again at your next sign-in. This "
            "happens when you ask for it, for example after losing your phone."
        ),
    )


@transaction.atomic
def unlock(*, by, request=None, person):
    """An administrator lifts the lockout of one of her municipality's people."""
    from axes.utils import reset

    access.require(access.account_manageable_people(by).filter(pk=person.pk).exists())
    reset(username=person.get_username())
    _record_for_person(AuditAction.UNLOCK, request=request, by=by, person=person)
