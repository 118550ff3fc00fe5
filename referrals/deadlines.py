"""Deadlines of referral steps: hours, or working days that skip weekends and the country's
public holidays (the `holidays` package). Hours are counted in absolute time, so a
24-hour limit across a daylight-saving change still means 24 hours."""

import datetime
from functools import lru_cache

import holidays
from django.utils import timezone

from .models import LimitUnit


@lru_cache(maxsize=32)
def _public_holidays(country_code, year):
    return holidays.country_holidays(country_code, years=[year])


def is_working_day(day, country_code):
    return day.weekday() < 5 and day not in _public_holidays(country_code, day.year)


def add_working_days(start, days, country_code):
    """The same local time of day, `days` working days after `start`."""
    local = timezone.localtime(start)
    day = local.date()
    counted = 0
    while counted < days:
        day += datetime.timedelta(days=1)
        if is_working_day(day, country_code):
            counted += 1
    naive = datetime.datetime.combine(day, local.time().replace(tzinfo=None))
    return timezone.make_aware(naive, timezone.get_current_timezone())


def deadline(start, amount, unit, country_code):
    if amount is None:
        return None
    if unit == LimitUnit.WORKING_DAYS:
        return add_working_days(start, amount, country_code)
    # In UTC: Python adds to an aware local time on the wall clock, which would make a
    # 24-hour limit 23 or 25 hours long on the days the clocks change.
    return start.astimezone(datetime.UTC) + datetime.timedelta(hours=amount)
