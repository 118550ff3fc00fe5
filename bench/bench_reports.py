"""How long each report takes, and how many queries it runs, with 100,000 cases and their
referrals across 50 municipalities.

Usage: DJANGO_DEBUG=true python bench/bench_reports.py [--cases 100000] [--repeat 3]
"""

import argparse
import datetime
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "strom.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

from cases.models import (  # noqa: E402
    Case,
    ExploitationFormRecord,
    Need,
    Person,
    first_of_next_month,
)
from referrals.models import Pathway, PathwayStep, Referral, Transition  # noqa: E402
from reports import figures  # noqa: E402
from reports.scorecard import scorecard  # noqa: E402
from strom.models import Actor, Country, Membership, Municipality, Role  # noqa: E402
from strom.twofactor import pass_for_test_client  # noqa: E402

MUNICIPALITIES = 50
FORMS = ["forced_labour", "sexual_prostitution", "forced_begging", "criminal_activities"]
NEEDS = ["safe_accommodation", "medical_care", "legal", "interpretation"]
STATUSES = ["potential", "presumed", "identified", "not_victim"]


def seed(total):
    rng = random.Random(7)
    User = get_user_model()
    country = Country.objects.create(code="LV", name="Latvia", languages=["lv"])
    national = User.objects.create_user("national", password="x")
    office = Actor.objects.create(
        name="Office", kind="national_coordinator_office", level="national", country=country
    )
    Membership.objects.create(user=national, actor=office, role=Role.NATIONAL_COORDINATOR)
    worker = User.objects.create_user("worker", password="x")
    now = timezone.now()
    today = timezone.localdate()
    per = total // MUNICIPALITIES
    for m in range(MUNICIPALITIES):
        municipality = Municipality.objects.create(
            country=country,
            name=f"Municipality {m:02d}",
            code="M" + chr(65 + m // 26) + chr(65 + m % 26),
        )
        social = Actor.objects.create(
            name=f"Social {m}", kind="social_service", municipality=municipality, country=country
        )
        shelter = Actor.objects.create(
            name=f"Shelter {m}", kind="shelter", municipality=municipality, country=country
        )
        pathway = Pathway.objects.create(name="P", country=country, municipality=municipality)
        step = PathwayStep.objects.create(
            pathway=pathway, order=1, name="Accommodation", response_limit=24
        )
        cases = Case.objects.bulk_create(
            [
                Case(
                    reference=f"{municipality.code}-2026-{i:06d}",
                    municipality=municipality,
                    owner=social,
                    created_by=worker,
                    first_contact_on=today - datetime.timedelta(days=rng.randrange(700)),
                    identification=rng.choice(STATUSES),
                )
                for i in range(per)
            ],
            batch_size=5000,
        )
        Person.objects.bulk_create(
            [
                Person(
                    case=c,
                    gender=rng.choice(["woman", "man", "not_specified"]),
                    age_years=rng.randrange(10, 60),
                    age_recorded_on=today,
                    adult_from=first_of_next_month(
                        today + datetime.timedelta(days=rng.randrange(-9000, 2000))
                    ),
                    citizenship=rng.choice(["LV", "UA", "VN", "LT", ""]),
                )
                for c in cases
            ],
            batch_size=5000,
        )
        ExploitationFormRecord.objects.bulk_create(
            [ExploitationFormRecord(case=c, form=rng.choice(FORMS)) for c in cases], batch_size=5000
        )
        Need.objects.bulk_create(
            [
                Need(
                    case=c,
                    category=rng.choice(NEEDS),
                    updated_by=worker,
                    status=rng.choice(["identified", "met", "being_met"]),
                )
                for c in cases
            ],
            batch_size=5000,
        )
        referrals = Referral.objects.bulk_create(
            [
                Referral(
                    case=c,
                    step=step,
                    from_actor=social,
                    to_actor=shelter,
                    status=rng.choice(["sent", "accepted", "declined", "completed"]),
                    sent_at=now - datetime.timedelta(hours=rng.randrange(1, 5000)),
                    response_due_at=now,
                )
                for c in cases[::2]
            ],
            batch_size=5000,
        )
        Transition.objects.bulk_create(
            [
                Transition(referral=r, from_status="sent", to_status="accepted", by=worker)
                for r in referrals
                if r.status != "sent"
            ],
            batch_size=5000,
        )
    return national


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        started = time.perf_counter()
        national = seed(args.cases)
        print(
            f"database: {connection.vendor}; seeded in {time.perf_counter() - started:.0f} s: "
            f"{Case.objects.count()} cases, {Referral.objects.count()} referrals, "
            f"{MUNICIPALITIES} municipalities"
        )
        scope = figures.Scope(
            list(Municipality.objects.select_related("country")),
            datetime.date(2024, 1, 1),
            datetime.date(2030, 12, 31),
        )
        parts = {
            "status": lambda: figures.cases_by_status(scope),
            "trend": lambda: figures.trend(scope),
            "forms": lambda: figures.cases_by_form_and_gender(scope),
            "age": lambda: figures.cases_by_age_band(scope),
            "child": lambda: figures.cases_by_child(scope),
            "citizenship": lambda: figures.cases_by_citizenship(scope),
            "referrals": lambda: figures.referrals(scope),
            "timings": lambda: figures.timings(scope),
            "escalations": lambda: figures.escalations(scope),
            "needs": lambda: figures.needs(scope),
            "eurostat": lambda: figures.eurostat(scope),
            "scorecard": lambda: scorecard(scope.municipalities, scope.start, scope.end),
        }
        print(f"{'report':<14} {'ms (best)':>10} {'queries':>8}")
        for name, run in parts.items():
            best, count = None, 0
            for _ in range(args.repeat):
                reset_queries()
                with CaptureQueriesContext(connection) as queries:
                    begin = time.perf_counter()
                    run()
                    elapsed = (time.perf_counter() - begin) * 1000
                best = elapsed if best is None else min(best, elapsed)
                count = len(queries)
            print(f"{name:<14} {best:>10.0f} {count:>8}")
        client = Client()
        client.force_login(national)
        pass_for_test_client(client, national)
        reset_queries()
        with CaptureQueriesContext(connection) as queries:
            begin = time.perf_counter()
            response = client.get("/reports/", {"start": "2024-01-01", "end": "2030-12-31"})
            elapsed = (time.perf_counter() - begin) * 1000
        assert response.status_code == 200
        print(f"{'whole page':<14} {elapsed:>10.0f} {len(queries):>8}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
