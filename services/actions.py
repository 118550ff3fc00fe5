"""Changes to the service map: one transaction each, checked against the access policy,
written to the audit log."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from strom import access
from strom.audit import AuditAction, record

from .models import OpeningHours, Service, ServiceCategory, ServiceLanguage

# Fields whose changes the audit names; the row's id and timestamps are not the editor's.
_NOT_AUDITED = {"id", "updated_at"}


def _child_rows(service):
    return {
        "categories": sorted(service.categories.values_list("category", flat=True)),
        "languages": sorted(service.languages.values_list("code", flat=True)),
        "hours": sorted(service.hours.values_list("weekday", "opens_at", "closes_at")),
    }


def _changes(stored, service, children):
    """Names of the fields and child rows the edit changes (for the audit: names only)."""
    changed = [
        field.name
        for field in Service._meta.concrete_fields
        if field.name not in _NOT_AUDITED
        and getattr(stored, field.attname) != getattr(service, field.attname)
    ]
    before = _child_rows(stored)
    changed += [name for name, rows in children.items() if rows != before[name]]
    return sorted(changed)


def _refuse_hidden_changes(by, stored, service, changed):
    """Whoever may not see a confidential address changes neither it nor the fields that
    decide who sees it, and no edit may show her an address she could not see."""
    locked = [name for name in access.locked_service_fields(by, stored) if name in changed]
    message = _(
        "The address of this service is confidential: only the municipality's coordinators "
        "and the provider's staff can change this. Nothing was saved."
    )
    if locked:
        raise ValidationError(dict.fromkeys(locked, message))
    may_see = access.address_reader(by)
    if not may_see(stored) and may_see(service):
        raise ValidationError(message)


@transaction.atomic
def save_service(*, by, request=None, service, categories, languages, hours):
    """Create or change a service with its need categories, languages and opening hours
    (a list of (weekday, opens_at, closes_at)). A change is audited with the names of the
    fields it changed; a save that changes nothing writes nothing."""
    creating = service.pk is None
    if creating:
        access.require(access.service_providers_for(by).filter(pk=service.provider_id).exists())
        stored = None
    else:
        access.require(access.editable_services(by).filter(pk=service.pk).exists())
        # The stored row, locked: the checks below compare against what is there now.
        stored = Service.objects.select_for_update().get(pk=service.pk)
        if service.provider_id != stored.provider_id:
            access.require(access.service_providers_for(by).filter(pk=service.provider_id).exists())
    if service.municipality_id and (creating or service.municipality_id != stored.municipality_id):
        access.require(access.municipalities_for(by).filter(pk=service.municipality_id).exists())
    service.country_id = (
        service.municipality.country_id if service.municipality_id else service.provider.country_id
    )
    children = {
        "categories": sorted(set(categories)),
        "languages": sorted(set(languages)),
        "hours": sorted(set(hours)),
    }
    changed = None
    if not creating:
        changed = _changes(stored, service, children)
        _refuse_hidden_changes(by, stored, service, changed)
        if not changed:
            return service
    service.full_clean()
    service.save()
    service.categories.all().delete()
    ServiceCategory.objects.bulk_create(
        [ServiceCategory(service=service, category=c) for c in children["categories"]]
    )
    service.languages.all().delete()
    ServiceLanguage.objects.bulk_create(
        [ServiceLanguage(service=service, code=code) for code in children["languages"]]
    )
    service.hours.all().delete()
    rows = [OpeningHours(service=service, weekday=d, opens_at=o, closes_at=c) for d, o, c in hours]
    for row in rows:
        row.full_clean()
    OpeningHours.objects.bulk_create(rows)
    # Editing a service after creation keeps it editable by the same people: the check above
    # runs on the stored row, so a coordinator cannot move a service out of her reach.
    record(
        AuditAction.CREATE if creating else AuditAction.CHANGE,
        request=request,
        user=by,
        obj=service,
        detail="" if creating else "fields: " + ", ".join(changed),
    )
    return service


@transaction.atomic
def update_capacity(*, by, request=None, service, available, maximum):
    access.require(access.editable_services(by).filter(pk=service.pk).exists())
    service = Service.objects.select_for_update().get(pk=service.pk)
    changed = access.changed_fields(
        service, {"capacity_available": available, "capacity_maximum": maximum}
    )
    service.capacity_available, service.capacity_maximum = available, maximum
    service.capacity_updated_at = timezone.now()
    service.capacity_updated_by = by
    service.full_clean()
    service.save(
        update_fields=[
            "capacity_available",
            "capacity_maximum",
            "capacity_updated_at",
            "capacity_updated_by",
            "updated_at",
        ]
    )
    record(
        AuditAction.CHANGE,
        request=request,
        user=by,
        obj=service,
        # A confirmation that nothing changed is worth its time stamp, and recorded too.
        detail=(f"fields: {', '.join(changed)}; " if changed else "")
        + f"capacity {available}/{maximum}",
    )
    return service
