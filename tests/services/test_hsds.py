import json
from datetime import UTC, datetime, time
from decimal import Decimal
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import IntegrityError
from django.urls import reverse

from services import hsds
from services.models import OpeningHours, Service, ServiceCategory, ServiceLanguage
from strom.audit import AuditAction, AuditEvent
from strom.models import Actor

pytestmark = pytest.mark.django_db

SHELTER_ADDRESS = "Slepenā iela 7, Rīga"
# The demo data has services of its own; these names are the tests'.
SHELTER = "HSDS test shelter for women"
LEGAL = "HSDS test legal counselling"
EXPORT_URL = reverse("services_hsds_export")
IMPORT_URL = reverse("services_hsds_import")

# Fields an export and import carry over unchanged.
ROUND_TRIP_FIELDS = [
    "name",
    "description",
    "status",
    "provision",
    "area_level",
    "required_status",
    "accepts_women",
    "accepts_men",
    "accepts_gender_diverse",
    "minimum_age",
    "maximum_age",
    "eligibility_description",
    "capacity_available",
    "capacity_maximum",
    "capacity_unit",
    "capacity_updated_at",
    "fees_description",
    "application_process",
    "accessibility",
    "address",
    "latitude",
    "longitude",
    "address_confidential",
    "open_24_7",
    "contact_name",
    "phone",
    "email",
    "emergency_phone",
    "emergency_contact",
    "deputy_contact",
    "deputy_phone",
]


def make_service(provider, municipality, *, categories=(), languages=(), hours=(), **fields):
    """A service with its child rows, as the service forms would save it."""
    fields.setdefault("name", "Service")
    service = Service.objects.create(
        provider=provider, municipality=municipality, country=municipality.country, **fields
    )
    ServiceCategory.objects.bulk_create(
        ServiceCategory(service=service, category=code) for code in categories
    )
    ServiceLanguage.objects.bulk_create(
        ServiceLanguage(service=service, code=code) for code in languages
    )
    OpeningHours.objects.bulk_create(
        OpeningHours(service=service, weekday=day, opens_at=opens, closes_at=closes)
        for day, opens, closes in hours
    )
    return service


@pytest.fixture
def riga_services(demo):
    riga = demo.municipalities["RIX"]
    shelter = make_service(
        demo.actors["riga-shelter"],
        riga,
        name=SHELTER,
        description="Safe accommodation with psychological support.",
        categories=["safe_accommodation", "psychological_support"],
        languages=["lv", "ru", "en"],
        open_24_7=True,
        capacity_available=3,
        capacity_maximum=12,
        capacity_unit="beds",
        capacity_updated_at=datetime(2026, 3, 2, 9, 30, 15, 250000, tzinfo=UTC),
        address=SHELTER_ADDRESS,
        latitude=Decimal("56.951234"),
        longitude=Decimal("24.113456"),
        address_confidential=True,
        accessibility="Step-free entrance.",
        contact_name="Dace Liepa",
        phone="+371 2761 1911",
        email="shelter@safehouse.example",
        emergency_contact="Night duty",
        emergency_phone="+371 2000 0112",
        deputy_contact="Ieva Koka",
        deputy_phone="+371 2000 0113",
        accepts_men=False,
        minimum_age=18,
        maximum_age=65,
        eligibility_description="Adult women and their children.",
        fees_description="Free of charge.",
        application_process="Call the 24/7 phone; the social service refers.",
    )
    legal = make_service(
        demo.actors["riga-legal"],
        riga,
        name=LEGAL,
        categories=["legal"],
        languages=["lv", "en"],
        hours=[
            (0, time(9), time(17)),
            (2, time(9), time(12, 30)),
            (2, time(18), time(20)),
            (4, time(9), time(15)),
        ],
        provision="could_provide",
        required_status="presumed",
        area_level="region",
        status="temporarily closed",
        address="Brīvības iela 1, Rīga",
        latitude=Decimal("56.950000"),
        longitude=Decimal("24.110000"),
        phone="+371 6751 4201",
    )
    make_service(
        demo.actors["jelgava-social"],
        demo.municipalities["JEL"],
        name="Jelgava day centre",
        categories=["social_assistance"],
    )
    return [shelter, legal]


def _export(municipality_code, *extra):
    out = StringIO()
    call_command("hsds", "export", "--municipality", municipality_code, *extra, stdout=out)
    return out.getvalue()


def _snapshot(service):
    return {
        **{name: getattr(service, name) for name in ROUND_TRIP_FIELDS},
        "provider": (service.provider.name, service.provider.kind),
        "categories": sorted(service.categories.values_list("category", flat=True)),
        "languages": sorted(service.languages.values_list("code", flat=True)),
        "hours": sorted(service.hours.values_list("weekday", "opens_at", "closes_at")),
    }


def _counts():
    return (
        Service.objects.count(),
        Actor.objects.count(),
        ServiceCategory.objects.count(),
        ServiceLanguage.objects.count(),
        OpeningHours.objects.count(),
        AuditEvent.objects.count(),
    )


# Export ----------------------------------------------------------------------------------


def test_export_is_an_hsds_document_of_the_municipality_only(riga_services, demo):
    document = json.loads(_export("RIX"))
    assert document["hsds_version"] == "3.0"
    assert document["generator"] == "STROM"
    names = [s["name"] for s in document["services"]]
    assert sorted(names) == sorted(
        Service.objects.filter(municipality=demo.municipalities["RIX"]).values_list(
            "name", flat=True
        )
    )
    assert SHELTER in names and LEGAL in names
    assert "Jelgava day centre" not in names


def test_export_maps_strom_fields_to_hsds(riga_services):
    services = {
        s["name"]: s for s in json.loads(_export("RIX", "--include-confidential"))["services"]
    }
    shelter, legal = services[SHELTER], services[LEGAL]

    assert shelter["organization"]["name"] == 'Shelter "Safe House" (NGO)'
    kind = shelter["organization"]["attributes"][0]["taxonomy_term"]
    assert (kind["taxonomy"], kind["code"]) == ("strom:actor-kind", "shelter")
    assert shelter["schedules"] == [
        {
            "id": shelter["schedules"][0]["id"],
            "freq": "WEEKLY",
            "byday": "MO,TU,WE,TH,FR,SA,SU",
            "opens_at": "00:00",
            "closes_at": "23:59",
            "description": "24/7",
        }
    ]
    assert [(s["byday"], s["opens_at"], s["closes_at"]) for s in legal["schedules"]] == [
        ("MO", "09:00", "17:00"),
        ("WE", "09:00", "12:30"),
        ("WE", "18:00", "20:00"),
        ("FR", "09:00", "15:00"),
    ]
    assert sorted(lang["code"] for lang in shelter["languages"]) == ["en", "lv", "ru"]
    assert shelter["capacities"][0]["available"] == 3
    assert shelter["capacities"][0]["maximum"] == 12
    assert shelter["capacities"][0]["unit"]["identifier"] == "beds"
    assert shelter["minimum_age"] == 18 and shelter["maximum_age"] == 65
    assert {c["title"]: c["name"] for c in shelter["contacts"]} == {
        "Contact person": "Dace Liepa",
        "24/7 contact": "Night duty",
        "Deputy": "Ieva Koka",
    }
    assert shelter["service_areas"][0]["name"] == "Riga"
    assert legal["service_areas"][0]["name"] == "Latvia"
    terms = {
        (a["taxonomy_term"]["taxonomy"], a["taxonomy_term"]["code"]): a.get("value")
        for a in shelter["attributes"]
    }
    assert ("strom:need-category", "safe_accommodation") in terms
    assert ("strom:need-category", "psychological_support") in terms
    assert terms[("strom:accepts", "men")] == "false"
    assert terms[("strom:accepts", "women")] == "true"
    assert terms[("strom:address-confidential", "confidential")] == "true"
    assert ("strom:provision", "provides") in terms
    assert ("strom:required-status", "none") in terms
    assert ("strom:area-level", "municipality") in terms
    location = shelter["service_at_locations"][0]["location"]
    assert location["addresses"][0]["address_1"] == SHELTER_ADDRESS
    assert location["latitude"] == pytest.approx(56.951234)


def test_export_is_deterministic(riga_services):
    assert _export("RIX") == _export("RIX")


def test_command_export_hides_confidential_addresses_unless_asked(riga_services):
    hidden = _export("RIX")
    assert SHELTER_ADDRESS not in hidden
    assert "56.951234" not in hidden
    assert SHELTER_ADDRESS in _export("RIX", "--include-confidential")


def _riga_count(demo):
    return Service.objects.filter(municipality=demo.municipalities["RIX"]).count()


def test_command_export_writes_a_file_and_is_audited(riga_services, demo, tmp_path):
    target = tmp_path / "riga.json"
    call_command(
        "hsds", "export", "--municipality", "RIX", "--output", str(target), stderr=StringIO()
    )
    count = _riga_count(demo)
    assert len(json.loads(target.read_text(encoding="utf-8"))["services"]) == count
    event = AuditEvent.objects.filter(action=AuditAction.EXPORT).get()
    assert event.user is None
    assert event.username == "manage.py"
    assert event.municipality == demo.municipalities["RIX"]
    assert event.detail == f"HSDS export: {count} services"


# Round trip --------------------------------------------------------------------------------


def test_round_trip_through_the_command_recreates_the_same_services(riga_services, demo, tmp_path):
    """Every service of Riga (the demo's and the tests'), exported with its confidential
    addresses and imported into Jelgava, comes back field by field."""
    riga, jelgava = demo.municipalities["RIX"], demo.municipalities["JEL"]
    originals = list(Service.objects.filter(municipality=riga))
    path = tmp_path / "riga.json"
    path.write_text(_export("RIX", "--include-confidential"), encoding="utf-8")
    before = set(Service.objects.filter(municipality=jelgava).values_list("pk", flat=True))
    out = StringIO()
    call_command("hsds", "import", "--municipality", "JEL", str(path), stdout=out)
    assert f"Imported {len(originals)} services" in out.getvalue()

    imported = {
        (s.provider.name, s.name): s
        for s in Service.objects.filter(municipality=jelgava).exclude(pk__in=before)
    }
    assert set(imported) == {(s.provider.name, s.name) for s in originals}
    for original in originals:
        copy = imported[(original.provider.name, original.name)]
        assert _snapshot(copy) == _snapshot(original), original.name
        assert copy.country == jelgava.country
        assert copy.provider.municipality == jelgava
        assert copy.provider.level == "local"
    event = AuditEvent.objects.filter(
        action=AuditAction.CREATE, detail=f"HSDS import: {len(originals)} services"
    ).get()
    assert event.username == "manage.py"
    assert event.user is None
    assert event.municipality == jelgava


def test_import_matches_organisations_by_name_in_the_municipality(riga_services, demo):
    text = _export("RIX", "--include-confidential")
    actors = Actor.objects.count()
    created = hsds.import_document(text, municipality=demo.municipalities["RIX"])
    assert len(created) == len(json.loads(text)["services"])
    assert Actor.objects.count() == actors
    providers = {s.name: s.provider for s in created}
    assert providers[SHELTER] == demo.actors["riga-shelter"]
    assert providers[LEGAL] == demo.actors["riga-legal"]


def test_import_of_an_export_without_confidential_addresses_keeps_them_confidential(
    riga_services, demo
):
    created = hsds.import_document(_export("RIX"), municipality=demo.municipalities["JEL"])
    shelter = next(s for s in created if s.name == SHELTER)
    assert shelter.address_confidential
    assert shelter.address == ""
    assert shelter.latitude is None


# Bad files ------------------------------------------------------------------------------------


def _service(**changes):
    service = {
        "id": "svc-1",
        "name": "Drop-in counselling",
        "status": "active",
        "organization": {"id": "org-1", "name": "Brand-new NGO", "description": ""},
        "languages": [{"id": "l1", "code": "lv"}],
        "schedules": [
            {
                "id": "s1",
                "freq": "WEEKLY",
                "byday": "MO,TU",
                "opens_at": "09:00",
                "closes_at": "17:00",
            }
        ],
        "capacities": [
            {"id": "c1", "available": 2, "maximum": 5, "unit": {"id": "u", "name": "places"}}
        ],
        "service_at_locations": [
            {
                "id": "sal1",
                "location": {
                    "id": "loc1",
                    "location_type": "physical",
                    "latitude": 56.6,
                    "longitude": 23.7,
                },
            }
        ],
        "attributes": [
            {
                "id": "a1",
                "taxonomy_term": {
                    "id": "t1",
                    "code": "legal",
                    "name": "Legal",
                    "description": "",
                    "taxonomy": "strom:need-category",
                },
            }
        ],
    }
    service.update(changes)
    return service


def _document(*services):
    return json.dumps({"hsds_version": "3.0", "services": list(services)}, indent=2)


def _start_line(text, service_id):
    """The line of the service's opening brace: the line before its "id" (indent=2 output)."""
    return text[: text.index(f'"id": "{service_id}"')].count("\n")


BAD_VALUES = [
    (
        "negative capacity",
        {"capacities": [{"id": "c", "available": -1, "maximum": 5}]},
        "capacity available (-1) cannot be negative",
    ),
    (
        "available above maximum",
        {"capacities": [{"id": "c", "available": 14, "maximum": 12}]},
        "capacity available (14) is above maximum (12)",
    ),
    (
        "closes before opens",
        {"schedules": [{"id": "s", "byday": "MO", "opens_at": "17:00", "closes_at": "09:00"}]},
        "closes_at (09:00) before opens_at (17:00) on MO",
    ),
    (
        "latitude 95",
        {
            "service_at_locations": [
                {
                    "id": "x",
                    "location": {
                        "id": "l",
                        "location_type": "physical",
                        "latitude": 95,
                        "longitude": 24,
                    },
                }
            ]
        },
        "latitude 95 is off the globe",
    ),
    (
        "unknown category",
        {
            "attributes": [
                {
                    "id": "a",
                    "taxonomy_term": {
                        "id": "t",
                        "code": "x",
                        "name": "x",
                        "description": "",
                        "taxonomy": "strom:need-category",
                    },
                }
            ]
        },
        "unknown need category 'x'",
    ),
    ("missing name", {"name": ""}, "missing service name"),
    ("unknown language", {"languages": [{"id": "l", "code": "zz"}]}, "unknown language code 'zz'"),
    ("bad status", {"status": "open"}, "status 'open' must be one of active, inactive"),
    (
        "minimum age above maximum",
        {"minimum_age": 30, "maximum_age": 18},
        "minimum age (30) is above maximum age (18)",
    ),
    ("name too long", {"name": "x" * 201}, "name: Ensure this value has at most 200 characters"),
    (
        "bad unit",
        {"capacities": [{"id": "c", "available": 1, "unit": {"id": "u", "name": "tents"}}]},
        "unknown capacity unit 'tents'",
    ),
]


@pytest.mark.parametrize(("case", "changes", "message"), BAD_VALUES, ids=[b[0] for b in BAD_VALUES])
def test_bad_value_is_refused_with_its_line_and_nothing_is_written(demo, case, changes, message):
    text = _document(_service(), _service(id="svc-bad", **changes))
    before = _counts()
    with pytest.raises(hsds.HsdsImportError) as caught:
        hsds.import_document(text, municipality=demo.municipalities["JEL"])
    errors = caught.value.errors
    assert {line for line, _msg in errors} == {_start_line(text, "svc-bad")}, errors
    assert any(message in str(msg) for _line, msg in errors), errors
    assert _counts() == before


def test_valid_document_imports(demo):
    created = hsds.import_document(_document(_service()), municipality=demo.municipalities["JEL"])
    [service] = created
    assert service.provider.name == "Brand-new NGO"
    assert service.provider.kind == "other"
    assert service.capacity_unit == "places"
    assert list(service.hours.values_list("weekday", flat=True)) == [0, 1]
    assert service.latitude == Decimal("56.600000")


def test_every_error_of_every_service_is_reported(demo):
    text = _document(
        _service(id="first", name=""),
        _service(id="second", status="open", languages=[{"id": "l", "code": "zz"}]),
    )
    with pytest.raises(hsds.HsdsImportError) as caught:
        hsds.import_document(text, municipality=demo.municipalities["JEL"])
    assert [line for line, _msg in caught.value.errors] == [
        _start_line(text, "first"),
        _start_line(text, "second"),
        _start_line(text, "second"),
    ]


def test_malformed_json_is_refused_with_the_decoders_line(demo):
    text = '{\n  "services": [\n    {"name": }\n  ]\n}\n'
    before = _counts()
    with pytest.raises(hsds.HsdsImportError) as caught:
        hsds.import_document(text, municipality=demo.municipalities["JEL"])
    [(line, message)] = caught.value.errors
    assert line == 3
    assert "not valid JSON" in str(message)
    assert _counts() == before


@pytest.mark.parametrize("text", ["[]x", '{"services": NaN}', '{"services": {}}', '"services"', ""])
def test_documents_that_are_not_hsds_are_refused(demo, text):
    with pytest.raises(hsds.HsdsImportError):
        hsds.import_document(text, municipality=demo.municipalities["JEL"])


def test_too_many_services_are_refused(demo):
    text = json.dumps({"services": [{}] * (hsds.MAX_SERVICES + 1)})
    with pytest.raises(hsds.HsdsImportError) as caught:
        hsds.import_document(text, municipality=demo.municipalities["JEL"])
    assert "at most 5000" in str(caught.value.errors[0][1])


def test_a_file_over_the_size_limit_is_refused(demo):
    text = json.dumps({"services": [_service(description="x" * hsds.MAX_BYTES)]})
    with pytest.raises(hsds.HsdsImportError) as caught:
        hsds.import_document(text, municipality=demo.municipalities["JEL"])
    assert "larger than 40 MB" in str(caught.value.errors[0][1])


def test_a_failure_while_writing_leaves_nothing_half_imported(demo, monkeypatch):
    def fail(*args, **kwargs):
        raise IntegrityError("boom")

    monkeypatch.setattr(OpeningHours.objects, "bulk_create", fail)
    before = _counts()
    with pytest.raises(hsds.HsdsImportError):
        hsds.import_document(
            _document(_service(), _service(id="svc-2", name="Second")),
            municipality=demo.municipalities["JEL"],
        )
    assert _counts() == before


def test_command_import_prints_every_error_and_fails(demo, tmp_path):
    path = tmp_path / "bad.json"
    text = _document(_service(id="bad", name="", status="open"))
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        call_command("hsds", "import", "--municipality", "JEL", str(path))
    line = _start_line(text, "bad")
    assert f"line {line}: missing service name" in str(caught.value)
    assert f"line {line}: status 'open' must be one of" in str(caught.value)


# Pages ------------------------------------------------------------------------------------------


def test_administrator_downloads_the_export_without_confidential_addresses(
    riga_services, demo, client_for
):
    riga = demo.municipalities["RIX"]
    response = client_for(demo.users["admin.riga"]).get(EXPORT_URL, {"municipality": riga.pk})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="strom-services-RIX-')
    content = response.content.decode()
    assert SHELTER_ADDRESS not in content
    assert "56.951234" not in content
    services = {s["name"]: s for s in json.loads(content)["services"]}
    location = services[SHELTER]["service_at_locations"][0]["location"]
    assert "addresses" not in location and "latitude" not in location
    assert location["attributes"][0]["taxonomy_term"]["taxonomy"] == "strom:address-confidential"
    # The public address of another service is exported.
    assert "Brīvības iela 1, Rīga" in content


def test_export_is_audited(riga_services, demo, client_for):
    riga = demo.municipalities["RIX"]
    client_for(demo.users["admin.riga"]).get(EXPORT_URL, {"municipality": riga.pk})
    assert AuditEvent.objects.filter(
        action=AuditAction.EXPORT,
        user=demo.users["admin.riga"],
        municipality=riga,
        detail=f"HSDS export: {_riga_count(demo)} services",
    ).exists()


@pytest.mark.parametrize("username", ["coord.riga", "sw.riga", "provider.riga", "national.lv"])
def test_non_administrators_get_404(demo, client_for, username):
    client = client_for(demo.users[username])
    riga = demo.municipalities["RIX"]
    assert client.get(EXPORT_URL, {"municipality": riga.pk}).status_code == 404
    assert client.get(IMPORT_URL).status_code == 404
    assert client.post(IMPORT_URL, {"municipality": riga.pk}).status_code == 404


@pytest.mark.parametrize("municipality", ["RIX", "999999", "abc", None])
def test_administrator_of_jelgava_cannot_export_riga(demo, client_for, municipality):
    client = client_for(demo.users["admin.jelgava"])
    params = (
        {}
        if municipality is None
        else {
            "municipality": demo.municipalities[municipality].pk
            if municipality == "RIX"
            else municipality
        }
    )
    assert client.get(EXPORT_URL, params).status_code == 404
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


def test_import_page_shows_the_form(demo, client_for):
    response = client_for(demo.users["admin.riga"]).get(IMPORT_URL)
    assert response.status_code == 200
    assert list(response.context["form"].fields["municipality"].queryset) == [
        demo.municipalities["RIX"]
    ]


def _upload(text, name="services.json"):
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="application/json")


def test_administrator_imports_a_file(demo, client_for):
    riga = demo.municipalities["RIX"]
    client = client_for(demo.users["admin.riga"])
    response = client.post(
        IMPORT_URL,
        {
            "municipality": riga.pk,
            "file": _upload(_document(_service(), _service(id="2", name="Second"))),
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/services/"
    assert (
        Service.objects.filter(
            municipality=riga, name__in=["Drop-in counselling", "Second"]
        ).count()
        == 2
    )
    assert AuditEvent.objects.filter(
        action=AuditAction.CREATE,
        user=demo.users["admin.riga"],
        municipality=riga,
        detail="HSDS import: 2 services",
    ).exists()
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == ["2 services imported."]


def test_import_page_lists_the_errors_and_writes_nothing(demo, client_for):
    riga = demo.municipalities["RIX"]
    text = _document(
        _service(), _service(id="bad", capacities=[{"id": "c", "available": 14, "maximum": 12}])
    )
    client = client_for(demo.users["admin.riga"])  # signing in is audited: count after it
    before = _counts()
    response = client.post(IMPORT_URL, {"municipality": riga.pk, "file": _upload(text)})
    assert response.status_code == 200
    content = response.content.decode()
    assert 'class="error-summary" role="alert"' in content
    assert f"Line {_start_line(text, 'bad')}" in content
    assert "capacity available (14) is above maximum (12)" in content
    assert _counts() == before


def test_import_page_shows_malformed_json(demo, client_for):
    riga = demo.municipalities["RIX"]
    client = client_for(demo.users["admin.riga"])  # signing in is audited: count after it
    before = _counts()
    response = client.post(
        IMPORT_URL, {"municipality": riga.pk, "file": _upload('{"services": [\n}')}
    )
    assert response.status_code == 200
    assert "not valid JSON" in response.content.decode()
    assert _counts() == before


def test_administrator_cannot_import_into_another_municipality(demo, client_for):
    client = client_for(demo.users["admin.riga"])  # signing in is audited: count after it
    before = _counts()
    response = client.post(
        IMPORT_URL,
        {"municipality": demo.municipalities["JEL"].pk, "file": _upload(_document(_service()))},
    )
    assert response.status_code == 200
    assert "municipality" in response.context["form"].errors
    assert _counts() == before


def test_import_refuses_a_user_who_does_not_administer_the_municipality(demo):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        hsds.import_document(
            _document(_service()),
            municipality=demo.municipalities["JEL"],
            by=demo.users["admin.riga"],
        )


def test_the_import_checks_every_check_constraint_of_the_models():
    """The import checks the constraints itself (with line numbers) instead of a query per
    row; a new constraint on these models needs a check in services/hsds.py too."""
    from django.db.models import CheckConstraint

    names = {
        constraint.name
        for model in (Service, ServiceCategory, ServiceLanguage, OpeningHours)
        for constraint in model._meta.constraints
        if isinstance(constraint, CheckConstraint)
    }
    assert names == hsds.CHECKED_CONSTRAINTS


def test_a_predicate_hides_only_confidential_addresses(riga_services, demo):
    document = hsds.export_document(
        Service.objects.filter(pk__in=[s.pk for s in riga_services]),
        may_see_address=lambda service: False,
    )
    locations = {s["name"]: s["service_at_locations"][0]["location"] for s in document["services"]}
    assert "addresses" not in locations[SHELTER]
    assert locations[LEGAL]["addresses"][0]["address_1"] == "Brīvības iela 1, Rīga"
    assert locations[LEGAL]["latitude"] == pytest.approx(56.95)


def test_export_makes_a_constant_number_of_queries(
    riga_services, demo, django_assert_max_num_queries
):
    services = Service.objects.filter(municipality=demo.municipalities["RIX"])
    with django_assert_max_num_queries(4):
        hsds.export_document(services, may_see_address=lambda service: True)


def test_import_reads_values_as_other_hsds_publishers_write_them(demo):
    service = _service(
        languages=[{"id": "l", "code": "lav"}, {"id": "m", "code": "en-GB"}],
        schedules=[
            {"id": "s", "byday": "SA", "opens_at": "10:00:00Z", "closes_at": "14:30:00+02:00"},
            {"id": "t", "byday": "MO", "opens_at": "08:00", "closes_at": "24:00"},
        ],
        capacities=[{"id": "c", "available": 1.0, "unit": {"id": "u", "name": "Bed"}}],
        contacts=[
            {"id": "c1", "name": "Anna", "phones": [{"id": "p", "number": "+371 1"}]},
            {"id": "c2", "name": "Night line", "title": "24/7 hotline"},
        ],
        phones=[{"id": "p2", "number": "+371 2", "description": "24/7 hotline"}],
        organization={"id": "o", "name": "Brand-new NGO", "website": "ngo.example"},
        service_at_locations=[
            {
                "id": "x",
                "location": {
                    "id": "l",
                    "location_type": "physical",
                    "latitude": 56.65123456789,
                    "longitude": 23.72,
                    "addresses": [
                        {
                            "id": "a",
                            "address_1": "Lielā iela 1",
                            "city": "Jelgava",
                            "postal_code": "LV-3001",
                            "country": "LV",
                        }
                    ],
                },
            }
        ],
    )
    [created] = hsds.import_document(_document(service), municipality=demo.municipalities["JEL"])
    assert sorted(created.languages.values_list("code", flat=True)) == ["en", "lv"]
    assert list(created.hours.values_list("weekday", "opens_at", "closes_at")) == [
        (0, time(8), time(23, 59)),
        (5, time(10), time(14, 30)),
    ]
    assert (created.capacity_available, created.capacity_unit) == (1, "beds")
    assert (created.contact_name, created.phone) == ("Anna", "+371 1")
    assert (created.emergency_contact, created.emergency_phone) == ("Night line", "+371 2")
    assert created.provider.website == "https://ngo.example"
    assert created.provider.kind == "other"
    assert created.address == "Lielā iela 1, LV-3001 Jelgava"
    assert created.latitude == Decimal("56.651235")
    assert not created.open_24_7


def test_a_24_7_schedule_is_read_as_open_day_and_night(demo):
    service = _service(
        schedules=[{"id": "s", "description": "24/7"}], capacities=[], service_at_locations=[]
    )
    [created] = hsds.import_document(_document(service), municipality=demo.municipalities["JEL"])
    assert created.open_24_7
    assert not created.hours.exists()


def test_import_form_refuses_a_file_over_the_limit(demo, client_for, monkeypatch):
    monkeypatch.setattr(hsds, "MAX_BYTES", 10)
    client = client_for(demo.users["admin.riga"])
    before = _counts()
    response = client.post(
        IMPORT_URL,
        {"municipality": demo.municipalities["RIX"].pk, "file": _upload(_document(_service()))},
    )
    assert response.status_code == 200
    assert "file" in response.context["form"].errors
    assert _counts() == before
