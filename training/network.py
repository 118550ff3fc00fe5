"""Prevention work and the expert directory: one transaction each, checked against the access
policy; prevention activities are written to the audit log."""

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from strom import access
from strom import languages as spoken_languages
from strom.audit import AuditAction, record
from strom.models import Role

from .models import ExpertProfile


def latest_allowed_date(today=None):
    """Activities may be planned ahead, but not more than a year."""
    return (today or timezone.localdate()) + relativedelta(years=1)


def check_held_on(held_on):
    if held_on and held_on > latest_allowed_date():
        raise ValidationError(
            {"held_on": _("The date cannot be more than a year in the future.")},
            code="too_far_ahead",
        )


@transaction.atomic
def save_activity(*, by, request=None, activity):
    """Create or change a prevention activity. Only a coordinator of the activity's
    municipality records it; a stored activity stays with those who could edit it."""
    creating = activity.pk is None
    if not creating:
        # The stored row decides, so no one moves another municipality's activity into hers.
        access.require(access.editable_prevention(by).filter(pk=activity.pk).exists())
    access.require(activity.municipality_id in access.municipality_ids(by, Role.COORDINATOR))
    if creating:
        activity.created_by = by
    check_held_on(activity.held_on)
    activity.full_clean()
    activity.save()
    record(
        AuditAction.CREATE if creating else AuditAction.CHANGE,
        request=request,
        user=by,
        obj=activity,
    )
    return activity


@transaction.atomic
def save_profile(*, by, request=None, profile):
    """Create or change the user's own entry in the expert directory."""
    access.require(by.is_authenticated and profile.user_id == by.pk)
    if profile.pk is not None:
        access.require(ExpertProfile.objects.filter(pk=profile.pk, user_id=by.pk).exists())
    else:
        # One profile per user: saving a second one changes the first.
        existing = ExpertProfile.objects.filter(user_id=by.pk).values_list("pk", flat=True).first()
        if existing is not None:
            profile.pk = existing
            profile._state.adding = False
    unknown = sorted(set(profile.languages or []) - spoken_languages.codes())
    if unknown:
        raise ValidationError(
            {"languages": _("Unknown language codes: %(codes)s") % {"codes": ", ".join(unknown)}}
        )
    profile.languages = list(dict.fromkeys(profile.languages or []))
    if (
        profile.municipality_id
        and profile.country_id
        and profile.municipality.country_id != profile.country_id
    ):
        raise ValidationError(
            {"municipality": _("This municipality is not in the chosen country.")}
        )
    profile.full_clean()
    profile.save()
    return profile
