"""Identifying data is encrypted at rest, with keys apart from SECRET_KEY, and can be
re-encrypted under a new key."""

from io import StringIO

import pytest
from cryptography.fernet import Fernet
from django.core.management import CommandError, call_command
from django.db import connection

from cases import actions
from cases.models import CaseNote, Person

pytestmark = pytest.mark.django_db

SECRET_VALUES = {
    "given_names": "Lan",
    "family_name": "Nguyen",
    "date_of_birth": "2010-03-01",
    "phone": "+371 2000 1111",
    "address": "Brīvības iela 99",
    "identity_documents": "Passport C1234567",
    "health": "Asthma",
}


def raw(table, column, pk):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()[0]


def test_the_database_holds_no_plaintext_of_encrypted_fields(demo, open_case):
    case = open_case(**SECRET_VALUES)
    actions.add_note(
        by=demo.users["sw.riga"],
        case=case,
        kind="note",
        occurred_on=case.first_contact_on,
        text="Met at the nail salon on Tērbatas",
    )
    person = Person.objects.get(case=case)
    for field, value in SECRET_VALUES.items():
        stored = raw("cases_person", field, person.pk)
        assert value not in stored
        assert stored.startswith("fernet:")
        assert getattr(person, field) == value
    note = CaseNote.objects.get(case=case)
    assert "nail salon" not in raw("cases_casenote", "text", note.pk)
    assert note.text == "Met at the nail salon on Tērbatas"


def test_statistical_fields_stay_in_the_clear_for_lists_and_reports(open_case):
    case = open_case(citizenship="VN", gender="woman")
    person = Person.objects.get(case=case)
    assert raw("cases_person", "citizenship", person.pk) == "VN"
    assert raw("cases_person", "gender", person.pk) == "woman"


def test_values_are_unreadable_without_the_key(settings, open_case):
    case = open_case(given_names="Lan")
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(Exception, match="cannot be decrypted"):
        Person.objects.get(case=case).given_names  # noqa: B018


def test_rotation_re_encrypts_everything_under_the_new_key(settings, open_case):
    case = open_case(given_names="Lan", family_name="Nguyen")
    person_pk = Person.objects.get(case=case).pk
    old_token = raw("cases_person", "given_names", person_pk)
    old_key = settings.FIELD_ENCRYPTION_KEYS[0]
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode(), old_key]

    with pytest.raises(CommandError, match="older key"):
        call_command("reencrypt_fields", check=True, stdout=StringIO())
    call_command("reencrypt_fields", stdout=StringIO())
    call_command("reencrypt_fields", check=True, stdout=StringIO())

    assert raw("cases_person", "given_names", person_pk) != old_token
    settings.FIELD_ENCRYPTION_KEYS = settings.FIELD_ENCRYPTION_KEYS[:1]  # old key retired
    person = Person.objects.get(pk=person_pk)
    assert (person.given_names, person.family_name) == ("Lan", "Nguyen")


def test_encrypted_fields_cannot_be_searched_by_value(open_case):
    open_case(given_names="Lan")
    with pytest.raises(Exception, match="Unsupported lookup"):
        list(Person.objects.filter(given_names__icontains="Lan"))
