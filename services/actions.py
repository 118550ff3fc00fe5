"""Changes to the service map: one transaction each, checked against the access policy,
written to the audit log."""

from django.db import transaction
from django.utils import timezone

from strom import access
from strom.audit import AuditAction, record

from .models import OpeningHours, Service, ServiceCategory, ServiceLanguage


@transaction.atomic
def save_service(*, by, request=None, service, categories, languages, hours):
    """Create or change a service with its need categories, languages and opening hours
    (a list of (weekday, opens_at, closes_at))."""
    creating = service.pk is None
    if creating:
        access.require(access.service_providers_for(by).filter(pk=service.provider_id).exists())
    else:
        access.require(access.editable_services(by).filter(pk=service.pk).exists())
    if service.municipality_id:
        access.require(access.municipalities_for(by).filter(pk=service.municipality_id).exists())
    service.country_id = (
        service.municipality.country_id if service.municipality_id else service.provider.country_id
    )
    service.full_clean()
    service.save()
    service.categories.all().delete()
    ServiceCategory.objects.bulk_create(
        [ServiceCategory(service=service, category=c) for c in sorted(set(categories))]
    )
    service.languages.all().delete()
    ServiceLanguage.objects.bulk_create(
        [ServiceLanguage(service=service, code=code) for code in sorted(set(languages))]
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
    )
    return service


@transaction.atomic
def update_capacity(*, by, request=None, service, available, maximum):
    access.require(access.editable_services(by).filter(pk=service.pk).exists())
    service = Service.objects.select_for_update().get(pk=service.pk)
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
        detail=f"capacity {available}/{maximum}",
    )
    return service
