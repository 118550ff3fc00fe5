"""Issue 13, finding 9: an HSDS file nested 200,000 brackets deep gave a 500 (RecursionError),
and a 39 MB description was imported (its page was then 40 MB). Bad input gives a clear
message and imports nothing."""

import pytest
from django.core.files import uploadhandler
from django.urls import reverse

from services import hsds
from services.models import Service

from .test_hsds import _counts, _document, _service, _upload

pytestmark = pytest.mark.django_db

IMPORT_URL = reverse("services_hsds_import")
MB = 1024 * 1024


def _nested(depth):
    """A document whose one service has an attribute value nested `depth` lists deep."""
    service = _service()
    text = _document(service)
    marker = '"status": "active"'
    return text.replace(marker, '"deep": ' + "[" * depth + "]" * depth + ", " + marker, 1)


def _import(text, demo):
    with pytest.raises(hsds.HsdsImportError) as caught:
        hsds.import_document(text, municipality=demo.municipalities["JEL"])
    return [str(message) for _line, message in caught.value.errors]


@pytest.mark.parametrize(
    "text",
    [
        '{"services": [' + "[" * 200_000 + "]" * 200_000 + "]}",
        '{"services": [' + "[" * 200_000,
        "[" * 200_000,
        '{"services": [' + '{"a": ' * 200_000 + "1" + "}" * 200_000 + "]}",
    ],
    ids=["balanced", "unclosed", "bare", "objects"],
)
def test_json_nested_200000_deep_is_refused_with_a_clear_message(demo, text):
    before = _counts()
    messages = _import(text, demo)
    assert messages == [
        f"The file is nested too deeply (more than {hsds.MAX_DEPTH} levels); "
        "it is not an HSDS file."
    ]
    assert _counts() == before


def test_nesting_just_over_the_limit_is_refused_and_at_the_limit_is_read(demo):
    # The service object is at depth 3 (document, list, service); "deep" adds its lists.
    assert _import(_nested(hsds.MAX_DEPTH - 2), demo)[0].startswith("The file is nested too deeply")
    [created] = hsds.import_document(
        _nested(hsds.MAX_DEPTH - 3), municipality=demo.municipalities["JEL"]
    )
    assert created.name == "Drop-in counselling"


def test_import_page_answers_deeply_nested_json_with_its_message(demo, client_for):
    client = client_for(demo.users["admin.riga"])
    before = _counts()
    response = client.post(
        IMPORT_URL,
        {
            "municipality": demo.municipalities["RIX"].pk,
            "file": _upload('{"services": [' + "[" * 200_000 + "]" * 200_000 + "]}"),
        },
    )
    assert response.status_code == 200
    assert "nested too deeply" in response.content.decode()
    assert _counts() == before


def test_a_39_mb_description_is_refused(demo):
    before = _counts()
    messages = _import(_document(_service(description="x" * (39 * MB))), demo)
    limit = Service._meta.get_field("description").max_length
    assert messages == [
        f"description: Ensure this value has at most {limit} characters (it has {39 * MB})."
    ]
    assert _counts() == before


TEXT_FIELDS = {
    # field in the HSDS service object: Service field
    "name": "name",
    "description": "description",
    "email": "email",
    "application_process": "application_process",
    "fees_description": "fees_description",
    "eligibility_description": "eligibility_description",
}


@pytest.mark.parametrize("key", sorted(TEXT_FIELDS))
def test_every_imported_text_field_has_a_length_limit(demo, key):
    field = Service._meta.get_field(TEXT_FIELDS[key])
    assert field.max_length, f"{field.name} has no length limit"
    assert field.max_length <= 5000
    too_long = "a" * (field.max_length + 1) if key != "email" else "a" * 320 + "@example.org"
    before = _counts()
    messages = _import(_document(_service(**{key: too_long})), demo)
    assert any(str(field.verbose_name) in message for message in messages), messages
    assert _counts() == before


def test_text_at_the_limit_is_imported(demo):
    limits = {
        key: Service._meta.get_field(key).max_length
        for key in ("description", "application_process", "eligibility_description")
    }
    [created] = hsds.import_document(
        _document(_service(**{key: "a" * n for key, n in limits.items()})),
        municipality=demo.municipalities["JEL"],
    )
    assert len(created.description) == limits["description"]


@pytest.mark.parametrize(
    "changes",
    [
        {"status": "x" * MB},
        {"languages": [{"id": "l", "code": "x" * MB}]},
        {"schedules": [{"id": "s", "byday": "MO," + "x" * MB, "opens_at": "9:00"}]},
        {"capacities": [{"id": "c", "available": 1, "unit": {"id": "u", "name": "x" * MB}}]},
    ],
    ids=["status", "language", "day", "unit"],
)
def test_messages_do_not_repeat_a_huge_value(demo, changes):
    messages = _import(_document(_service(**changes)), demo)
    assert messages
    assert all(len(message) < 500 for message in messages), [m[:200] for m in messages]


def test_service_form_refuses_a_description_over_the_limit(demo, client_for):
    from .test_directory import new_service

    limit = Service._meta.get_field("description").max_length
    response = client_for(demo.users["admin.riga"]).post(
        reverse("service_create"), new_service(demo, description="x" * (limit + 1))
    )
    assert response.status_code == 200
    assert "description" in response.context["form"].errors
    assert not Service.objects.filter(name="Day centre for men").exists()


def test_too_many_json_values_are_refused_before_they_fill_memory(demo):
    text = '{"services": [], "padding": [' + "[]," * hsds.MAX_CONTAINERS + "[]]}"
    messages = _import(text, demo)
    assert messages == [
        f"The file has more than {hsds.MAX_CONTAINERS} JSON objects and lists; "
        "split it into smaller files."
    ]


def test_the_upload_stops_being_stored_past_the_size_limit(demo, client_for, monkeypatch, settings):
    """An oversized upload is refused while it arrives: neither memory nor disk gets more
    than the limit, and the form says why."""
    monkeypatch.setattr(hsds, "MAX_BYTES", MB)
    settings.STROM_UPLOAD_MAX_MB = 1
    stored = []
    original = uploadhandler.MemoryFileUploadHandler.receive_data_chunk

    def receive(self, raw_data, start):
        stored.append(len(raw_data))
        return original(self, raw_data, start)

    monkeypatch.setattr(uploadhandler.MemoryFileUploadHandler, "receive_data_chunk", receive)
    client = client_for(demo.users["admin.riga"])
    before = _counts()
    response = client.post(
        IMPORT_URL,
        {"municipality": demo.municipalities["RIX"].pk, "file": _upload("x" * (3 * MB))},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [
        "The file is larger than 1 MB; split it into smaller files."
    ]
    assert sum(stored) <= MB
    assert _counts() == before


def test_command_refuses_a_file_over_the_limit_before_reading_it(demo, tmp_path, monkeypatch):
    from django.core.management import CommandError, call_command

    monkeypatch.setattr(hsds, "MAX_BYTES", 10)
    path = tmp_path / "big.json"
    path.write_text(_document(_service()), encoding="utf-8")
    before = _counts()
    with pytest.raises(CommandError, match="larger than"):
        call_command("hsds", "import", "--municipality", "JEL", str(path))
    assert _counts() == before
