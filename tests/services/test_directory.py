"""The service directory: who reads and edits what, and where a confidential address may
appear (pages, map data, HTMX fragments, forms, case matching)."""

import json
import re

import pytest
from django.urls import reverse

from services.models import Service

pytestmark = pytest.mark.django_db

SECRET = "Slepenā iela 7, Rīga"


@pytest.fixture
def shelter(demo):
    service = Service.objects.get(name="Safe House shelter for women and children")
    Service.objects.filter(pk=service.pk).update(address=SECRET)
    service.refresh_from_db()
    return service


def names(response):
    return {service.name for service, _may_see in response.context["rows"]}


def test_social_worker_reads_her_municipality_and_national_services(demo, client_for):
    response = client_for(demo.users["sw.riga"]).get(reverse("service_list"))
    listed = names(response)
    assert "Free legal counselling" in listed
    assert "Residence permits for victims of trafficking" in listed  # national
    assert "Job search support" not in listed  # Jelgava
    assert "Caritas shelter and psychological support" not in listed  # Vilnius


def test_national_coordinator_reads_every_service_of_her_country(demo, client_for):
    listed = names(client_for(demo.users["national.lv"]).get(reverse("service_list")))
    assert {"Free legal counselling", "Job search support"} <= listed
    assert "Social welfare counselling" not in listed  # Tallinn


@pytest.mark.parametrize("username", ["sw.riga", "admin.riga", "national.lv"])
def test_confidential_address_reaches_no_one_else(demo, client_for, shelter, username):
    client = client_for(demo.users[username])
    pages = [
        client.get(reverse("service_list")),
        client.get(reverse("service_detail", args=[shelter.pk])),
        client.get(reverse("service_list"), {"category": "safe_accommodation"}),
    ]
    for response in pages:
        assert response.status_code == 200
        assert SECRET not in response.content.decode()
    points = json.loads(
        re.search(
            r'id="service-map-points"[^>]*>(.*?)</script>', pages[0].content.decode(), re.S
        ).group(1)
    )
    assert shelter.name not in {p["name"] for p in points}
    assert points, "other services still have pins"


def test_administrator_edits_the_shelter_without_seeing_its_address(demo, client_for, shelter):
    client = client_for(demo.users["admin.riga"])
    response = client.get(reverse("service_edit", args=[shelter.pk]))
    assert response.status_code == 200
    assert SECRET not in response.content.decode()
    assert "address" not in response.context["form"].fields


@pytest.mark.parametrize("username", ["coord.riga", "provider.riga"])
def test_coordinator_and_shelter_staff_see_the_address(demo, client_for, shelter, username):
    client = client_for(demo.users[username])
    assert SECRET in client.get(reverse("service_detail", args=[shelter.pk])).content.decode()
    page = client.get(reverse("service_list")).content.decode()
    assert SECRET in page and '"name": "Safe House shelter for women and children"' in page


def test_capacity_fragment_for_an_administrator_has_no_address(demo, client_for, shelter):
    response = client_for(demo.users["admin.riga"]).post(
        reverse("service_capacity", args=[shelter.pk]),
        {"capacity_available": "2", "capacity_maximum": "12"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert SECRET not in response.content.decode()


def test_case_matching_shows_the_address_only_to_those_allowed(
    demo, client_for, shelter, riga_case
):
    url = reverse("case_find_services", args=[riga_case.reference])
    assert SECRET not in client_for(demo.users["sw.riga"]).get(url).content.decode()
    assert SECRET in client_for(demo.users["coord.riga"]).get(url).content.decode()


def test_provider_updates_free_beds_and_everyone_sees_when(demo, client_for, shelter):
    client = client_for(demo.users["provider.riga"])
    response = client.post(
        reverse("service_capacity", args=[shelter.pk]),
        {"capacity_available": "5", "capacity_maximum": "12"},
    )
    assert response.status_code == 302
    shelter.refresh_from_db()
    assert shelter.capacity_available == 5
    assert shelter.capacity_updated_by == demo.users["provider.riga"]
    page = client_for(demo.users["sw.riga"]).get(reverse("service_list")).content.decode()
    assert "5 of 12 beds" in page and "updated" in page


@pytest.mark.parametrize(
    "data",
    [
        {"capacity_available": "-1", "capacity_maximum": "12"},
        {"capacity_available": "14", "capacity_maximum": "12"},
        {"capacity_available": "many", "capacity_maximum": "12"},
        {"capacity_available": "", "capacity_maximum": "12"},
    ],
)
def test_bad_capacity_is_refused_and_changes_nothing(demo, client_for, shelter, data):
    before = shelter.capacity_available
    response = client_for(demo.users["provider.riga"]).post(
        reverse("service_capacity", args=[shelter.pk]), data, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert "error-summary" in response.content.decode()
    shelter.refresh_from_db()
    assert shelter.capacity_available == before


@pytest.mark.parametrize(
    "username", ["sw.riga", "admin.jelgava", "provider.tallinn", "national.lv"]
)
def test_others_cannot_change_capacity(demo, client_for, shelter, username):
    response = client_for(demo.users[username]).post(
        reverse("service_capacity", args=[shelter.pk]),
        {"capacity_available": "0", "capacity_maximum": "12"},
    )
    assert response.status_code == 404
    shelter.refresh_from_db()
    assert shelter.capacity_available == 3


def test_provider_edits_only_her_organisations_services(demo, client_for, shelter):
    client = client_for(demo.users["provider.riga"])
    assert client.get(reverse("service_edit", args=[shelter.pk])).status_code == 200
    clinic = Service.objects.get(name__startswith="Medical check")
    assert client.get(reverse("service_edit", args=[clinic.pk])).status_code == 404


PAGES = {
    "service_list": None,
    "service_create": {"coord.riga", "admin.riga", "provider.riga"},
    "service_gaps": {"coord.riga", "admin.riga", "national.lv"},
}


@pytest.mark.parametrize("page", sorted(PAGES))
@pytest.mark.parametrize(
    "username", ["sw.riga", "coord.riga", "admin.riga", "provider.riga", "national.lv"]
)
def test_service_pages_answer_only_to_allowed_roles(demo, client_for, page, username):
    allowed = PAGES[page]
    response = client_for(demo.users[username]).get(reverse(page))
    assert response.status_code == (200 if allowed is None or username in allowed else 404)


@pytest.mark.parametrize("username", ["sw.jelgava", "coord.tallinn", "provider.tallinn"])
def test_services_of_other_municipalities_are_404(demo, client_for, shelter, username):
    client = client_for(demo.users[username])
    assert client.get(reverse("service_detail", args=[shelter.pk])).status_code == 404
    assert client.get(reverse("service_edit", args=[shelter.pk])).status_code == 404


def new_service(demo, **overrides):
    data = {
        "provider": demo.actors["riga-church"].pk,
        "name": "Day centre for men",
        "status": "active",
        "provision": "provides",
        "area_level": "municipality",
        "municipality": demo.municipalities["RIX"].pk,
        "categories": ["safe_accommodation", "social_assistance"],
        "languages": ["lv", "ru"],
        "required_status": "none",
        "accepts_men": "on",
        "capacity_available": "2",
        "capacity_maximum": "6",
        "capacity_unit": "beds",
        "latitude": "56.95",
        "longitude": "24.12",
        "opens_0": "09:00",
        "closes_0": "17:00",
    }
    data.update(overrides)
    return data


def test_administrator_adds_a_service_with_hours(demo, client_for):
    client = client_for(demo.users["admin.riga"])
    response = client.post(reverse("service_create"), new_service(demo))
    service = Service.objects.get(name="Day centre for men")
    assert response.status_code == 302
    assert service.country.code == "LV"
    assert {c.category for c in service.categories.all()} == {
        "safe_accommodation",
        "social_assistance",
    }
    assert [(h.weekday, str(h.opens_at), str(h.closes_at)) for h in service.hours.all()] == [
        (0, "09:00:00", "17:00:00")
    ]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"capacity_available": "-2"}, "capacity_available"),
        ({"capacity_available": "9"}, None),  # above the maximum: a form-wide error
        ({"opens_0": "17:00", "closes_0": "09:00"}, "closes_0"),
        ({"opens_0": "09:00", "closes_0": ""}, "closes_0"),
        ({"latitude": "95"}, "latitude"),
        ({"longitude": "-181"}, "longitude"),
        ({"latitude": "56.9", "longitude": ""}, "longitude"),
        ({"minimum_age": "30", "maximum_age": "18"}, None),
        ({"categories": []}, "categories"),
        ({"provider": "999999"}, "provider"),
        ({"municipality": "JEL"}, "municipality"),
    ],
)
def test_bad_service_input_gives_an_error_and_writes_nothing(demo, client_for, overrides, field):
    if overrides.get("municipality") == "JEL":
        overrides["municipality"] = demo.municipalities["JEL"].pk
    client = client_for(demo.users["admin.riga"])
    count = Service.objects.count()
    response = client.post(reverse("service_create"), new_service(demo, **overrides))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors
    if field:
        assert field in errors
    assert Service.objects.count() == count


def test_administrator_cannot_register_a_service_for_another_municipalitys_actor(demo, client_for):
    client = client_for(demo.users["admin.riga"])
    response = client.post(
        reverse("service_create"), new_service(demo, provider=demo.actors["jelgava-social"].pk)
    )
    assert "provider" in response.context["form"].errors


@pytest.mark.parametrize(
    ("params", "expected", "absent"),
    [
        (
            {"category": "safe_accommodation"},
            "Safe House shelter for women and children",
            "Free legal counselling",
        ),
        (
            {"language": "vi"},
            "Interpreting for social and health services",
            "Free legal counselling",
        ),
        (
            {"accepts_potential": "false"},
            "Employment and reintegration programme",
            "Free legal counselling",
        ),
        ({"has_capacity": "true"}, "Free legal counselling", "Hostel beds for men"),
        ({"provision": "could_provide"}, "Hostel beds for men", "Free legal counselling"),
        ({"open_now": "true"}, "Hostel beds for men", None),
    ],
)
def test_directory_filters(demo, client_for, params, expected, absent):
    listed = names(client_for(demo.users["coord.riga"]).get(reverse("service_list"), params))
    assert expected in listed
    if absent:
        assert absent not in listed


def test_directory_uses_a_constant_number_of_queries(
    demo, client_for, django_assert_max_num_queries
):
    from services.models import ServiceCategory

    for i in range(40):
        service = Service.objects.create(
            provider=demo.actors["riga-clinic"],
            name=f"Extra {i}",
            country_id=demo.municipalities["RIX"].country_id,
            municipality=demo.municipalities["RIX"],
        )
        ServiceCategory.objects.create(service=service, category="medical_care")
    client = client_for(demo.users["coord.riga"])
    # Session, user, second-factor device, memberships, then the page's own queries.
    with django_assert_max_num_queries(11):
        response = client.get(reverse("service_list"))
    assert len(response.context["rows"]) == 47  # 6 in Riga, 1 national, 40 added
