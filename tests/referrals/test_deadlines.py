import datetime
from zoneinfo import ZoneInfo

import time_machine

from referrals.deadlines import add_working_days, deadline

RIGA = ZoneInfo("Europe/Riga")


def at(*args):
    return datetime.datetime(*args, tzinfo=RIGA)


def test_working_days_skip_the_weekend():
    friday = at(2026, 11, 27, 15, 0)
    assert add_working_days(friday, 1, "LV") == at(2026, 11, 30, 15, 0)  # Monday
    assert add_working_days(friday, 5, "LV") == at(2026, 12, 4, 15, 0)


def test_working_days_skip_latvian_public_holidays():
    # 18 November is Latvia's Independence Day (a Wednesday in 2026).
    tuesday = at(2026, 11, 17, 10, 0)
    assert add_working_days(tuesday, 1, "LV") == at(2026, 11, 19, 10, 0)
    # Christmas Eve, Christmas and Second Christmas Day, then the weekend.
    assert add_working_days(at(2026, 12, 23, 9, 0), 1, "LV") == at(2026, 12, 28, 9, 0)


def test_the_same_day_is_a_holiday_in_one_country_and_not_another():
    # 16 February: Lithuania's Restoration of the State Day, a working day in Latvia.
    sunday = at(2026, 2, 15, 12, 0)
    assert add_working_days(sunday, 1, "LT") == at(2026, 2, 17, 12, 0)
    assert add_working_days(sunday, 1, "LV") == at(2026, 2, 16, 12, 0)


def test_hours_count_real_time_across_the_spring_daylight_saving_change():
    # On 29 March 2026 Riga's clocks go from 03:00 to 04:00: 24 hours later the wall clock
    # shows one hour more.
    start = at(2026, 3, 28, 12, 0)
    due = deadline(start, 24, "hours", "LV")
    assert due - start == datetime.timedelta(hours=24)
    assert due.astimezone(RIGA).hour == 13


def test_hours_count_real_time_across_the_autumn_change():
    start = at(2026, 10, 24, 12, 0)
    assert deadline(start, 24, "hours", "LV").astimezone(RIGA).hour == 11


def test_working_days_keep_the_local_time_across_daylight_saving():
    friday = at(2026, 3, 27, 9, 30)
    assert add_working_days(friday, 1, "LV").astimezone(RIGA) == at(2026, 3, 30, 9, 30)


@time_machine.travel(at(2026, 12, 31, 16, 0))
def test_deadlines_cross_the_new_year_with_next_years_holidays():
    from django.utils import timezone

    assert add_working_days(timezone.now(), 1, "LV") == at(2027, 1, 4, 16, 0)
