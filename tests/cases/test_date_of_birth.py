"""The date of birth is encrypted, and nothing stored in the clear gives it away (issue 13,
finding 3). Statistics and the child/adult filter need only the month she turns 18: she counts
as a child until the end of that month (directive 2011/36/EU art. 13(2): when in doubt, a
child)."""

import calendar
import datetime
import importlib
from datetime import date, timedelta

import pytest
import time_machine
from dateutil.relativedelta import relativedelta
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from cases.models import Case, Person
from reports import figures
from strom.crypto import EncryptedTextField
from tests.cases.test_views import new_case_data

pytestmark = pytest.mark.django_db


def birth_date(years_ago=16, day=17):
    """A date of birth whose month and day are neither today's nor yesterday's (the day a
    case is registered), so that any stored date on one of its anniversaries gives it away."""
    today = timezone.localdate()
    month = (today.month + 5) % 12 + 1
    return date(today.year - years_ago, month, min(day, calendar.monthrange(2001, month)[1]))


def every_stored_value():
    """(table, column, value) of every column of every row in the whole database."""
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            # Table names come from the schema, never from input.
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            columns = [column[0] for column in cursor.description]
            for row in cursor.fetchall():
                found += [(table, c, v) for c, v in zip(columns, row, strict=True) if v is not None]
    return found


def as_date(value):
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str) and len(value) >= 10:
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def giveaways(born, case):
    """Every stored value from which `born` can be read to the day: the date written out, or
    any date on one of its anniversaries (18th birthday, a birthday the age was taken on)."""
    written = {
        born.isoformat(),
        born.strftime("%d.%m.%Y"),
        born.strftime("%d/%m/%Y"),
        born.strftime("%m/%d/%Y"),
        (born + relativedelta(years=18)).isoformat(),
    }
    found = []
    for table, column, value in every_stored_value():
        text = str(value)
        if any(needle in text for needle in written):
            found.append((table, column, text[:60]))
        day = as_date(value)
        if day is not None and (day.month, day.day) == (born.month, born.day):
            found.append((table, column, text[:60]))
    return found


def test_no_stored_value_gives_away_the_date_of_birth(demo, client_for):
    born = birth_date()
    client = client_for(demo.users["sw.riga"])
    data = new_case_data(demo, **{"person-date_of_birth": born.isoformat()})
    assert client.post(reverse("case_create"), data).status_code == 302
    case = Case.objects.order_by("-pk").first()
    # And once more through the person page, which derives the age again.
    person_data = {
        key.removeprefix("person-"): value
        for key, value in data.items()
        if key.startswith("person-")
    }
    person_data["age_years"] = ""
    response = client.post(reverse("case_person", args=[case.reference]), person_data)
    assert response.status_code == 302, response.context["form"].errors
    person = Person.objects.get(case=case)
    assert person.date_of_birth == born.isoformat()
    assert person.child_status() == "child"
    assert giveaways(born, case) == []


def clear_columns(person):
    """The stored value of every column of the person's row that is not encrypted."""
    columns = [
        f.column
        for f in Person._meta.concrete_fields
        if not isinstance(f, EncryptedTextField) and f.name not in ("id", "case")
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            # Column names come from the model, never from input.
            f"SELECT {', '.join(connection.ops.quote_name(c) for c in columns)} "  # noqa: S608
            f"FROM {connection.ops.quote_name(Person._meta.db_table)} WHERE id = %s",
            [person.pk],
        )
        return dict(zip(columns, cursor.fetchone(), strict=True))


@pytest.mark.parametrize("years_ago", [16, 17, 18, 30])
def test_the_clear_columns_are_the_same_whatever_the_day_of_birth_in_its_month(
    demo, open_case, years_ago
):
    """Two women born on the first and on the last day of the same month, registered on the
    same day, while one of them has had her birthday this month and the other not yet."""
    first = birth_date(years_ago, day=1)
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    registered_on = first.replace(year=timezone.localdate().year - 1, day=15)
    with time_machine.travel(datetime.datetime.combine(registered_on, datetime.time(12))):
        cases = [
            open_case(date_of_birth=born.isoformat(), age_years=None, age_is_estimate=False)
            for born in (first, last)
        ]
    rows = [clear_columns(case.person) for case in cases]
    assert rows[0] == rows[1]


def statuses(born, today):
    person = Person(date_of_birth=born.isoformat())
    person.derive_age(today=today)
    return person


def test_no_derived_value_depends_on_the_day_of_birth_whatever_the_day_it_is_taken():
    for month in (1, 2, 6, 12):
        days = range(1, calendar.monthrange(2008, month)[1] + 1)
        for offset in range(0, 400, 3):
            today = date(2025, 11, 20) + timedelta(days=offset)
            derived = {
                (p.age_years, p.age_is_estimate, p.age_recorded_on, p.adult_from)
                for p in (statuses(date(2008, month, day), today) for day in days)
            }
            assert len(derived) == 1, (month, today, derived)


def exactly_adult(born, today):
    return born + relativedelta(years=18) <= today


def test_child_or_adult_is_as_by_the_exact_date_of_birth_except_in_the_month_she_turns_18():
    for born in [date(2008, 1, 1), date(2008, 3, 17), date(2008, 2, 29), date(2008, 12, 31)]:
        turns_18 = born + relativedelta(years=18)
        for offset in range(-70, 70):
            today = turns_18 + timedelta(days=offset)
            person = statuses(born, today)
            in_that_month = (today.year, today.month) == (turns_18.year, turns_18.month)
            expected = "child" if in_that_month or not exactly_adult(born, today) else "adult"
            assert person.child_status(today) == expected, (born, today)
            assert person.is_treated_as_child(today) == (expected == "child")
            age = person.current_age(today)
            assert (age < 18) == (expected == "child"), (born, today, age)


def test_she_counts_as_a_child_until_the_end_of_the_month_she_turns_18(demo, open_case):
    born = date(2008, 3, 10)
    case = open_case(date_of_birth=born.isoformat(), age_years=None, age_is_estimate=False)
    person = case.person
    assert person.adult_from == date(2026, 4, 1)
    for today, child in [
        (date(2026, 3, 9), True),
        (date(2026, 3, 10), True),  # her 18th birthday: still a child
        (date(2026, 3, 31), True),
        (date(2026, 4, 1), False),
    ]:
        assert person.child_status(today) == ("child" if child else "adult"), today
        children = Case.objects.children(today).filter(pk=case.pk).exists()
        adults = Case.objects.adults(today).filter(pk=case.pk).exists()
        assert (children, adults) == (child, not child), today


def test_the_case_list_filter_and_the_report_figures_agree_on_the_boundary_month(
    demo, client_for, open_case
):
    born = date(2008, 3, 10)
    case = open_case(
        date_of_birth=born.isoformat(),
        age_years=None,
        age_is_estimate=False,
        gender="woman",
        days_ago=3001,
    )
    Case.objects.filter(pk=case.pk).update(identification="presumed")
    client = client_for(demo.users["coord.riga"])
    scope = figures.Scope(
        [demo.municipalities["RIX"]], case.first_contact_on, case.first_contact_on
    )
    for today, child in [
        (date(2026, 3, 9), True),
        (date(2026, 3, 31), True),
        (date(2026, 4, 1), False),
    ]:
        with time_machine.travel(datetime.datetime.combine(today, datetime.time(12))):
            listed = {
                group: case.reference
                in client.get(reverse("case_list"), {"age_group": group}).content.decode()
                for group in ("child", "adult")
            }
            by_child = figures.cases_by_child(scope).counts
            eurostat = figures.eurostat(scope).counts
        assert listed == {"child": child, "adult": not child}, today
        assert by_child == [[1, 0, 0] if child else [0, 1, 0]], today
        labour = eurostat[list(figures.EUROSTAT_FORMS).index("labour")]
        assert labour[:2] == ([1, 0] if child else [0, 1]), today


def test_an_estimated_age_counts_as_a_child_until_the_end_of_the_month_she_turns_18(demo):
    person = Person(age_years=17, age_is_estimate=True)
    person.derive_age(today=date(2026, 5, 12))
    assert person.adult_from == date(2027, 6, 1)
    assert person.child_status(date(2027, 5, 31)) == "presumed_child"
    assert person.child_status(date(2027, 6, 1)) == "adult"


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="schema changes inside a test need PostgreSQL"
)
def test_the_migration_converts_every_row_and_drops_the_date_of_turning_18(demo, open_case):
    from django.db.migrations.executor import MigrationExecutor

    born = date(2009, 7, 23)
    with_birth = open_case(date_of_birth=born.isoformat(), age_years=None, age_is_estimate=False)
    estimated = open_case(age_years=16)
    unknown = open_case(age_years=None, age_is_estimate=False)
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    migration = importlib.import_module("cases.migrations.0004_person_adult_from")
    executor = MigrationExecutor(connection)
    everything = executor.loader.graph.leaf_nodes()
    executor.migrate([("cases", "0003_retention_and_documents")])
    old = MigrationExecutor(connection).loader.project_state(
        ("cases", "0003_retention_and_documents")
    )
    OldPerson = old.apps.get_model("cases", "Person")
    # The rows as the old code left them: the exact 18th birthday, the day the age was taken.
    OldPerson.objects.filter(case_id=with_birth.pk).update(
        adult_on=born + relativedelta(years=18),
        age_years=16,
        age_recorded_on=date(2026, 7, 23),
    )
    OldPerson.objects.filter(case_id=estimated.pk).update(
        adult_on=date(2028, 5, 12), age_years=16, age_recorded_on=date(2026, 5, 12)
    )
    # Forward again to every app's latest migration, through this one.
    MigrationExecutor(connection).migrate(everything)
    with connection.cursor() as cursor:
        columns = [
            c.name for c in connection.introspection.get_table_description(cursor, "cases_person")
        ]
    assert "adult_on" not in columns
    rows = {p.case_id: p for p in Person.objects.filter(case__in=[with_birth, estimated, unknown])}
    expected = statuses(born, timezone.localdate())
    assert rows[with_birth.pk].adult_from == date(2027, 8, 1) == expected.adult_from
    assert (rows[with_birth.pk].age_years, rows[with_birth.pk].age_recorded_on) == (
        expected.age_years,
        expected.age_recorded_on,
    )
    assert rows[estimated.pk].adult_from == date(2028, 6, 1)
    assert rows[estimated.pk].age_recorded_on == date(2026, 5, 12)
    assert rows[unknown.pk].adult_from is None
    assert migration.first_of_next_month(date(2027, 12, 31)) == date(2028, 1, 1)
