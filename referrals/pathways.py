"""Changes to referral pathways: one transaction each, checked again against the access
policy (`access.editable_pathways`), validated with `full_clean()` and written to the
audit log.

The national coordinator keeps her country's national pathway; a municipality's
coordinator adopts it as a copy (the copy and each of its steps keep their `origin`)
and adapts the copy. Nothing done to a copy touches the national pathway.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils.translation import gettext as _

from strom import access
from strom.audit import AuditAction, record
from strom.models import ActorLevel, Municipality, Role

from .models import LimitUnit, Pathway, PathwayStep

# The fields of a step that its keeper edits (order is changed by `move_step` only).
STEP_FIELDS = (
    "name",
    "description",
    "responsible_kind",
    "responsible_role",
    "responsible_actor",
    "need_category",
    "response_limit",
    "response_unit",
    "completion_limit",
    "completion_unit",
    "reminder_hours",
    "grace_hours",
)
UP, DOWN = "up", "down"


def _may_edit(by, pathway_id):
    return access.editable_pathways(by).filter(pk=pathway_id).exists()


def _lock(pathway_id):
    """Serialise changes to one pathway's steps (their order)."""
    return Pathway.objects.select_for_update().get(pk=pathway_id)


def _renumber(pathway_id):
    """Orders 1..n in the current order, without gaps."""
    steps = list(PathwayStep.objects.filter(pathway_id=pathway_id).order_by("order", "id"))
    changed = []
    for number, step in enumerate(steps, start=1):
        if step.order != number:
            step.order = number
            changed.append(step)
    PathwayStep.objects.bulk_update(changed, ["order"])
    return steps


# Who may be named -----------------------------------------------------------------


def responsible_actors(user, pathway, current=None):
    """Organisations a step of this pathway may name: in a municipal pathway the active
    actors of that municipality and the regional and national actors of its country; in
    a national pathway only the regional and national ones. Always within what the user
    may read (`access.actors_for`). `current` (the step's stored actor) stays allowed even
    if it has since become inactive, so that an unrelated edit does not fail."""
    supra_local = Q(
        country_id=pathway.country_id, level__in=[ActorLevel.REGIONAL, ActorLevel.NATIONAL]
    )
    scope = supra_local
    if pathway.municipality_id:
        scope |= Q(municipality_id=pathway.municipality_id)
    alive = Q(is_active=True)
    if current is not None:
        alive |= Q(pk=current)
    return access.actors_for(user).filter(scope).filter(alive)


def adoptable_municipalities(user, pathway):
    """Municipalities for which the user may adopt this national pathway: those of its
    country where she is coordinator (a superuser: every one of the country)."""
    if not pathway.is_national:
        return Municipality.objects.none()
    qs = Municipality.objects.filter(country_id=pathway.country_id).select_related("country")
    if user.is_superuser:
        return qs
    return qs.filter(id__in=access.municipality_ids(user, Role.COORDINATOR))


def creatable_owners(user):
    """(countries, municipalities) for which the user may start a pathway: the countries
    where she is national coordinator, the municipalities where she is coordinator."""
    from strom.models import Country

    if user.is_superuser:
        return Country.objects.all(), Municipality.objects.select_related("country")
    return (
        Country.objects.filter(id__in=access.national_country_ids(user)),
        Municipality.objects.filter(
            id__in=access.municipality_ids(user, Role.COORDINATOR)
        ).select_related("country"),
    )


# Pathways ---------------------------------------------------------------------------


@transaction.atomic
def create_pathway(*, by, request=None, country, municipality=None, name, description=""):
    """A new pathway: national (no municipality) or a municipality's own."""
    if municipality is not None and municipality.country_id != country.pk:
        raise ValidationError(
            {"municipality": _("The municipality is not in the pathway's country.")}
        )
    pathway = Pathway(
        country=country, municipality=municipality, name=name, description=description
    )
    pathway.full_clean()
    pathway.save()
    # The policy decides on the stored row; refusing here rolls the insert back.
    access.require(_may_edit(by, pathway.pk))
    record(AuditAction.CREATE, request=request, user=by, obj=pathway)
    return pathway


@transaction.atomic
def save_pathway(*, by, request=None, pathway):
    """Change a pathway's name and description (never its country, municipality or origin)."""
    access.require(pathway.pk is not None and _may_edit(by, pathway.pk))
    stored = _lock(pathway.pk)
    changed = [f for f in ("name", "description") if getattr(stored, f) != getattr(pathway, f)]
    stored.name, stored.description = pathway.name, pathway.description
    stored.full_clean()
    stored.save(update_fields=["name", "description", "updated_at"])
    if changed:
        record(
            AuditAction.CHANGE,
            request=request,
            user=by,
            obj=stored,
            detail="changed: " + ", ".join(changed),
        )
    return stored


@transaction.atomic
def adopt_pathway(*, by, request=None, pathway, municipality):
    """Copy a national pathway into a municipality as its local pathway. The copy and each
    copied step keep their `origin`; the national pathway is not changed."""
    access.require(access.pathways_for(by).filter(pk=pathway.pk).exists())
    national = _lock(pathway.pk)
    if not national.is_national:
        raise ValidationError(_("Only a national pathway can be adopted."))
    access.require(adoptable_municipalities(by, national).filter(pk=municipality.pk).exists())
    if Pathway.objects.filter(origin=national, municipality=municipality).exists():
        raise ValidationError(
            _("%(municipality)s has already adopted this pathway.")
            % {"municipality": municipality.name}
        )
    copy = Pathway(
        name=national.name,
        country_id=national.country_id,
        municipality=municipality,
        origin=national,
        description=national.description,
    )
    copy.full_clean()
    copy.save()
    access.require(_may_edit(by, copy.pk))
    allowed = set(responsible_actors(by, copy).values_list("pk", flat=True))
    steps = []
    for number, step in enumerate(national.steps.order_by("order", "id"), start=1):
        values = {f: getattr(step, f) for f in STEP_FIELDS if f != "responsible_actor"}
        actor_id = step.responsible_actor_id if step.responsible_actor_id in allowed else None
        clone = PathwayStep(
            pathway=copy, order=number, origin=step, responsible_actor_id=actor_id, **values
        )
        clone.full_clean()
        steps.append(clone)
    PathwayStep.objects.bulk_create(steps)
    record(
        AuditAction.CREATE,
        request=request,
        user=by,
        obj=copy,
        detail=f"adopted from pathway {national.pk} with {len(steps)} steps",
    )
    return copy


# Steps ---------------------------------------------------------------------------------


def _check_limits(step):
    """Beyond the model's own check (same unit): an answer due in N working days comes at
    least N×24 hours later, so completing within fewer hours is before the answer."""
    if (
        step.completion_limit is not None
        and step.response_unit == LimitUnit.WORKING_DAYS
        and step.completion_unit == LimitUnit.HOURS
        and step.completion_limit < step.response_limit * 24
    ):
        raise ValidationError(
            {"completion_limit": _("The step cannot have to be completed before it is answered.")}
        )


@transaction.atomic
def save_step(*, by, request=None, step):
    """Add a step at the end of its pathway, or change one. A step stays in its pathway and
    keeps its place (see `move_step`)."""
    creating = step.pk is None
    access.require(step.pathway_id is not None and _may_edit(by, step.pathway_id))
    pathway = _lock(step.pathway_id)
    stored = None
    if creating:
        step.order = (pathway.steps.aggregate(last=Max("order"))["last"] or 0) + 1
    else:
        stored = PathwayStep.objects.filter(pk=step.pk, pathway_id=pathway.pk).first()
        access.require(stored is not None)
        step.order = stored.order
        step.origin_id = stored.origin_id
    if step.responsible_actor_id is not None:
        current = stored.responsible_actor_id if stored else None
        if (
            not responsible_actors(by, pathway, current)
            .filter(pk=step.responsible_actor_id)
            .exists()
        ):
            raise ValidationError(
                {"responsible_actor": _("This organisation cannot be named in this pathway.")}
            )
    step.full_clean()
    _check_limits(step)
    step.save()
    pathway.save(update_fields=["updated_at"])
    if creating:
        record(
            AuditAction.CREATE,
            request=request,
            user=by,
            obj=step,
            municipality=pathway.municipality,
            detail=f"step {step.order} of pathway {pathway.pk}",
        )
    else:
        changed = [
            f
            for f in STEP_FIELDS
            if getattr(stored, f"{f}_id" if f == "responsible_actor" else f)
            != getattr(step, f"{f}_id" if f == "responsible_actor" else f)
        ]
        if changed:
            record(
                AuditAction.CHANGE,
                request=request,
                user=by,
                obj=step,
                municipality=pathway.municipality,
                detail="changed: " + ", ".join(changed),
            )
    return step


@transaction.atomic
def move_step(*, by, request=None, step, direction):
    """Move a step one place up or down; the pathway's orders become 1..n."""
    if direction not in (UP, DOWN):
        raise ValidationError(_("Move a step up or down."))
    access.require(_may_edit(by, step.pathway_id))
    pathway = _lock(step.pathway_id)
    steps = _renumber(pathway.pk)
    index = next((i for i, s in enumerate(steps) if s.pk == step.pk), None)
    access.require(index is not None)
    other = index - 1 if direction == UP else index + 1
    if not 0 <= other < len(steps):
        return steps[index]
    moved, neighbour = steps[index], steps[other]
    moved.order, neighbour.order = neighbour.order, moved.order
    PathwayStep.objects.bulk_update([moved, neighbour], ["order"])
    pathway.save(update_fields=["updated_at"])
    record(
        AuditAction.CHANGE,
        request=request,
        user=by,
        obj=moved,
        municipality=pathway.municipality,
        detail=f"moved {direction} to {moved.order}",
    )
    return moved


@transaction.atomic
def remove_step(*, by, request=None, step):
    """Remove a step that no referral uses; the others close ranks (1..n)."""
    access.require(_may_edit(by, step.pathway_id))
    pathway = _lock(step.pathway_id)
    step = PathwayStep.objects.filter(pk=step.pk, pathway_id=pathway.pk).first()
    access.require(step is not None)
    if step.referrals.exists():
        raise ValidationError(
            _("Referrals use this step, so it is kept. Change it instead of removing it.")
        )
    record(
        AuditAction.DELETE,
        request=request,
        user=by,
        obj=step,
        municipality=pathway.municipality,
        detail=f"step {step.order} of pathway {pathway.pk}",
    )
    step.delete()
    _renumber(pathway.pk)
    pathway.save(update_fields=["updated_at"])
