"""Issue 13, finding 6: whoever may edit a service but not see its confidential address (a
shelter's) may not change the fields that decide who sees it (provider, municipality) nor the
address itself; every change is audited with the names of the fields it changed."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from services import actions
from services.models import Service
from strom.audit import AuditAction, AuditEvent
from strom.models import Membership, Role

pytestmark = pytest.mark.django_db

SECRET = "Slepenā iela 7, Rīga"


@pytest.fixture
def shelter(demo):
    service = Service.objects.get(name="Safe House shelter for women and children")
    Service.objects.filter(pk=service.pk).update(address=SECRET, address_confidential=True)
    service.refresh_from_db()
    return service


def form_data(form):
    """What a browser sends for the form as shown: every enabled field with its value."""
    data = {}
    for field in form:
        if field.field.disabled:
            continue
        value = field.value()
        if field.widget_type == "checkbox":
            if value:
                data[field.name] = "on"
        elif isinstance(value, list | tuple):
            data[field.name] = [str(v) for v in value]
        else:
            data[field.name] = "" if value is None else str(value)
    return data


def snapshot(service):
    service = Service.objects.get(pk=service.pk)
    return {
        **{f.attname: getattr(service, f.attname) for f in Service._meta.concrete_fields},
        "categories": sorted(service.categories.values_list("category", flat=True)),
        "languages": sorted(service.languages.values_list("code", flat=True)),
        "hours": sorted(service.hours.values_list("weekday", "opens_at", "closes_at")),
    }


def change_events(service):
    return AuditEvent.objects.filter(
        action=AuditAction.CHANGE, object_type="services.service", object_id=str(service.pk)
    )


def test_administrator_posting_her_own_organisation_as_provider_is_refused(
    demo, client_for, shelter
):
    """The attack: admin.riga edits the shelter and posts provider = Riga Social Service,
    her own organisation, so that the address would become her organisation's to see."""
    client = client_for(demo.users["admin.riga"])
    url = reverse("service_edit", args=[shelter.pk])
    data = form_data(client.get(url).context["form"])
    data["provider"] = str(demo.actors["riga-social"].pk)
    before, events = snapshot(shelter), change_events(shelter).count()

    response = client.post(url, data)

    assert response.status_code == 200
    assert "provider" in response.context["form"].errors
    assert SECRET not in response.content.decode()
    assert snapshot(shelter) == before
    assert change_events(shelter).count() == events
    detail = client.get(reverse("service_detail", args=[shelter.pk])).content.decode()
    assert SECRET not in detail
    assert Service.objects.get(pk=shelter.pk).provider == demo.actors["riga-shelter"]


def test_administrator_who_coordinates_elsewhere_cannot_move_the_shelter_there(
    demo, client_for, shelter
):
    admin = demo.users["admin.riga"]
    Membership.objects.create(
        user=admin, actor=demo.actors["jelgava-social"], role=Role.COORDINATOR
    )
    client = client_for(admin)
    url = reverse("service_edit", args=[shelter.pk])
    data = form_data(client.get(url).context["form"])
    data["municipality"] = str(demo.municipalities["JEL"].pk)
    before = snapshot(shelter)

    response = client.post(url, data)

    assert response.status_code == 200
    assert "municipality" in response.context["form"].errors
    assert snapshot(shelter) == before
    assert SECRET not in client.get(reverse("service_detail", args=[shelter.pk])).content.decode()


@pytest.mark.parametrize(
    "posted",
    [
        {"address_confidential": ""},
        {"address": "Somewhere else 1"},
        {"latitude": "56.9", "longitude": "24.1"},
    ],
)
def test_administrator_cannot_change_the_address_she_may_not_see(demo, client_for, shelter, posted):
    client = client_for(demo.users["admin.riga"])
    url = reverse("service_edit", args=[shelter.pk])
    data = {**form_data(client.get(url).context["form"]), **posted}
    before = snapshot(shelter)

    response = client.post(url, data)

    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert snapshot(shelter) == before


def test_administrator_still_edits_what_she_may_see(demo, client_for, shelter):
    client = client_for(demo.users["admin.riga"])
    url = reverse("service_edit", args=[shelter.pk])
    form = client.get(url).context["form"]
    assert form.fields["provider"].disabled and form.fields["municipality"].disabled
    data = form_data(form)
    data["name"] = "Safe House (renamed)"

    response = client.post(url, data)

    assert response.status_code == 302
    shelter.refresh_from_db()
    assert shelter.name == "Safe House (renamed)"
    assert shelter.provider == demo.actors["riga-shelter"]
    assert shelter.address == SECRET and shelter.address_confidential
    event = change_events(shelter).latest("pk")
    assert event.detail == "fields: name"


def test_the_action_refuses_a_provider_change_by_whoever_may_not_see_the_address(demo, shelter):
    admin = demo.users["admin.riga"]
    before = snapshot(shelter)
    service = Service.objects.get(pk=shelter.pk)
    service.provider = demo.actors["riga-social"]
    with pytest.raises(ValidationError) as caught:
        actions.save_service(
            by=admin, service=service, categories=before["categories"], languages=[], hours=[]
        )
    assert "provider" in caught.value.message_dict
    assert snapshot(shelter) == before


def test_coordinator_may_move_the_shelter_and_the_audit_names_the_changed_fields(
    demo, client_for, shelter
):
    client = client_for(demo.users["coord.riga"])
    url = reverse("service_edit", args=[shelter.pk])
    form = client.get(url).context["form"]
    assert not form.fields["provider"].disabled
    data = form_data(form)
    data.update(
        provider=str(demo.actors["riga-church"].pk),
        address="Cita iela 9, Rīga",
        capacity_maximum="14",
        categories=[*data["categories"], "legal"],
    )

    response = client.post(url, data)

    assert response.status_code == 302
    event = change_events(shelter).latest("pk")
    assert event.user == demo.users["coord.riga"]
    assert event.detail == "fields: address, capacity_maximum, categories, provider"
    assert SECRET not in event.detail and "Cita" not in event.detail


def test_saving_without_changes_writes_no_change_event(demo, client_for, shelter):
    client = client_for(demo.users["coord.riga"])
    url = reverse("service_edit", args=[shelter.pk])
    events = change_events(shelter).count()
    response = client.post(url, form_data(client.get(url).context["form"]))
    assert response.status_code == 302
    assert change_events(shelter).count() == events


def test_capacity_update_names_the_changed_fields(demo, client_for, shelter):
    client = client_for(demo.users["provider.riga"])
    client.post(
        reverse("service_capacity", args=[shelter.pk]),
        {"capacity_available": "5", "capacity_maximum": str(shelter.capacity_maximum)},
    )
    event = change_events(shelter).latest("pk")
    assert event.detail.startswith("fields: capacity_available;")
