"""The date she turns 18 gave away the date of birth (issue 13, finding 3): it was always the
encrypted date of birth plus 18 years. It becomes `adult_from`, the 1st of the month after the
month she turns 18: she counts as a child until the end of that month (directive 2011/36/EU
art. 13(2)).

Where the date of birth is known, the age is taken again on the 1st of the month after her
birthday month (cases.models.Person.derive_age): the old age and the day it was taken on could
together narrow the birthday down to the day. Anonymised cases (cases/retention.py) keep their
1 January and get the year the age was taken in, as anonymisation now leaves them.

The functions are copied here, not imported, so that the migration does not change with the
model code.
"""

from datetime import date

from dateutil.relativedelta import relativedelta
from django.db import migrations, models
from django.utils import timezone

ADULT_AGE = 18
BATCH = 2000


def first_of_next_month(day):
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _coarse_year(day):
    """The next 1 January (the day itself when it is one)."""
    if day is None or (day.month, day.day) == (1, 1):
        return day
    return date(day.year + 1, 1, 1)


def _convert(person, today):
    if person.case.anonymised_at is not None:
        # Retention left a 1 January that gives the right answer from then on.
        person.adult_from = _coarse_year(person.adult_on)
        person.age_recorded_on = _coarse_year(person.age_recorded_on)
    elif person.date_of_birth:
        born = date.fromisoformat(person.date_of_birth)
        after_birth_month = first_of_next_month(born)
        years = max(0, relativedelta(today, after_birth_month).years)
        person.age_years = years
        person.age_recorded_on = after_birth_month + relativedelta(years=years)
        person.adult_from = after_birth_month + relativedelta(years=ADULT_AGE)
    elif person.adult_on is not None:
        person.adult_from = first_of_next_month(person.adult_on)
    else:
        person.adult_from = None


def forwards(apps, schema_editor):
    Person = apps.get_model("cases", "Person")
    today = timezone.localdate()
    batch = []
    for person in Person.objects.select_related("case").order_by("pk").iterator(BATCH):
        _convert(person, today)
        batch.append(person)
        if len(batch) == BATCH:
            Person.objects.bulk_update(batch, ["adult_from", "age_years", "age_recorded_on"])
            batch = []
    if batch:
        Person.objects.bulk_update(batch, ["adult_from", "age_years", "age_recorded_on"])


def backwards(apps, schema_editor):
    # The exact day is gone for good: the old column gets the 1st of the month.
    Person = apps.get_model("cases", "Person")
    Person.objects.update(adult_on=models.F("adult_from"))


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0003_retention_and_documents"),
    ]

    operations = [
        migrations.AddField(
            model_name="person",
            name="adult_from",
            field=models.DateField(
                blank=True, editable=False, null=True, verbose_name="counts as an adult from"
            ),
        ),
        migrations.RunPython(forwards, backwards, elidable=False),
        migrations.RemoveField(
            model_name="person",
            name="adult_on",
        ),
    ]
