"""Response time and query count of the core pages with a large world.

Usage: DJANGO_DEBUG=true python bench/bench_pages.py [--repeat N]
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "strom.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

from cases.models import Case  # noqa: E402
from strom.audit import AuditAction, AuditEvent  # noqa: E402
from strom.models import Actor, ActorKind, Country, Membership, Municipality, Role  # noqa: E402
from strom.twofactor import pass_for_test_client  # noqa: E402

MUNICIPALITIES, ACTORS_PER, USERS_PER, EVENTS, CASES = 60, 20, 50, 200_000, 1_000
SERVICES_PER = 25  # per municipality


def seed():
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    User = get_user_model()
    country = Country.objects.create(code="LV", name="Latvia", languages=["lv"])
    national_office = Actor.objects.create(
        name="National office",
        kind=ActorKind.NATIONAL_COORDINATOR_OFFICE,
        level="national",
        country=country,
    )
    national = User.objects.create_user("national", password="x")
    Membership.objects.create(user=national, actor=national_office, role=Role.NATIONAL_COORDINATOR)
    kinds = list(ActorKind.values)
    first_coord = first_admin = None
    for m in range(MUNICIPALITIES):
        municipality = Municipality.objects.create(
            country=country,
            name=f"Municipality {m}",
            code="M" + chr(65 + m // 26) + chr(65 + m % 26),
        )
        actors = [
            Actor.objects.create(
                name=f"Organisation {m}-{a}",
                kind=kinds[a % len(kinds)],
                country=country,
                municipality=municipality,
            )
            for a in range(ACTORS_PER)
        ]
        users = User.objects.bulk_create(
            [
                User(username=f"u{m}-{u}", first_name="User", last_name=f"{m}-{u}")
                for u in range(USERS_PER)
            ]
        )
        roles = (
            [Role.SOCIAL_WORKER] * 40
            + [Role.SERVICE_PROVIDER] * 8
            + [Role.COORDINATOR, Role.ADMINISTRATOR]
        )
        Membership.objects.bulk_create(
            [
                Membership(user=user, actor=actors[i % ACTORS_PER], role=roles[i])
                for i, user in enumerate(users)
            ]
        )
        if m == 0:
            first_coord, first_admin = users[48], users[49]
            first_coord.first_name = "Coordinator"
    now = timezone.now()
    all_users = list(User.objects.values_list("pk", "username"))
    municipality_ids = list(Municipality.objects.values_list("pk", flat=True))
    batch = []
    for i in range(EVENTS):
        pk, username = all_users[i % len(all_users)]
        batch.append(
            AuditEvent(
                user_id=pk,
                username=username,
                action=AuditAction.LOGIN if i % 3 else AuditAction.CHANGE,
                municipality_id=None if i % 3 else municipality_ids[i % len(municipality_ids)],
                occurred_at=now,
                object_label="x",
            )
        )
        if len(batch) == 5000:
            AuditEvent.objects.bulk_create(batch)
            batch = []
    AuditEvent.objects.bulk_create(batch)
    seed_services()
    seed_cases(first_coord)
    return {"coordinator": first_coord, "administrator": first_admin, "national": national}


def seed_services():
    """SERVICES_PER services in every municipality, each meeting two needs."""
    from services.models import Service, ServiceCategory, ServiceLanguage
    from strom.taxonomy import NeedCategory

    categories = list(NeedCategory.values)
    for municipality in Municipality.objects.all():
        actors = list(municipality.actors.all()[:5])
        services = Service.objects.bulk_create(
            [
                Service(
                    provider=actors[i % len(actors)],
                    name=f"Service {municipality.code}-{i}",
                    municipality=municipality,
                    country_id=municipality.country_id,
                    capacity_available=i % 4,
                    capacity_maximum=5,
                    open_24_7=i % 3 == 0,
                    accepts_men=i % 2 == 0,
                )
                for i in range(SERVICES_PER)
            ]
        )
        ServiceCategory.objects.bulk_create(
            [
                ServiceCategory(service=s, category=categories[(i + k) % len(categories)])
                for i, s in enumerate(services)
                for k in range(2)
            ]
        )
        ServiceLanguage.objects.bulk_create(
            [ServiceLanguage(service=s, code=code) for s in services for code in ("lv", "ru")]
        )


def seed_cases(coordinator):
    """CASES cases in the first municipality, registered the way staff do."""
    from datetime import timedelta

    from cases import actions
    from cases.models import Exploitation, Person

    municipality = Municipality.objects.get(code="MAA")
    today = timezone.localdate()
    for i in range(CASES):
        actions.open_case(
            by=coordinator,
            municipality=municipality,
            first_contact_on=today - timedelta(days=i % 700),
            person=Person(given_names=f"Person {i}", age_years=14 + i % 50, gender="woman"),
            exploitation=Exploitation(labour_sector="S"),
            forms=["forced_labour"] if i % 2 else ["sexual_prostitution"],
            needs=[("safe_accommodation", "immediate"), ("legal", "days")],
        )


def measure(client, url, repeat):
    timings = []
    reset_queries()
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    timings.sort()
    p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
    return statistics.median(timings), p95, len(queries)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        started = time.perf_counter()
        users = seed()
        print(
            f"database: {connection.vendor}; seeded in {time.perf_counter() - started:.1f} s: "
            f"{MUNICIPALITIES} municipalities, {Actor.objects.count()} organisations, "
            f"{get_user_model().objects.count()} users, {AuditEvent.objects.count()} audit events, "
            f"{Case.objects.count()} cases"
        )
        print(f"{'who':<14} {'page':<10} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
        pages = {
            "home": "/",
            "actors": "/actors/",
            "people": "/people/",
            "audit": "/audit/",
            "cases": "/cases/",
            "cases?child": "/cases/?age_group=child&open_needs=true",
            "services": "/services/",
            "gaps": "/services/gaps/",
        }
        for who, user in users.items():
            client = Client()
            client.force_login(user)
            pass_for_test_client(client, user)
            for name, url in pages.items():
                if who == "national" and name in ("people", "audit"):
                    continue
                if who != "coordinator" and name.startswith("cases"):
                    continue
                if who == "administrator" and name == "gaps":
                    continue
                median, p95, queries = measure(client, url, args.repeat)
                print(f"{who:<14} {name:<10} {median:>10.1f} {p95:>8.1f} {queries:>8}")
        client = Client()
        client.force_login(users["coordinator"])
        pass_for_test_client(client, users["coordinator"])
        case = Case.objects.filter(municipality__code="MAA").first()
        median, p95, queries = measure(client, f"/cases/{case.reference}/services/", args.repeat)
        print(f"{'coordinator':<14} {'matching':<10} {median:>10.1f} {p95:>8.1f} {queries:>8}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
