"""What the audit log's hash chain costs on PostgreSQL (migration strom 0010): how long an
insert takes with and without the chain trigger, how many events several connections can
write per second, and how long STROM's own requests and actions hold the chain's advisory
lock (from the audit insert that takes it to the commit that releases it: meanwhile every
other audit insert waits).

Usage: DATABASE_URL=postgres://postgres@127.0.0.1:5432/strom DJANGO_DEBUG=true \
       python bench/bench_audit_chain.py [--inserts N] [--threads N]
(a superuser: the script creates and drops a throw-away test database, and switches the
chain trigger off for the comparison.)
"""

import argparse
import os
import statistics
import sys
import threading
import time
from collections import defaultdict
from datetime import timedelta
from io import StringIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "strom.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from strom import audit  # noqa: E402
from strom.audit import AuditAction, AuditEvent  # noqa: E402
from strom.twofactor import pass_for_test_client  # noqa: E402

HOLDS = defaultdict(list)  # what held the lock -> [milliseconds]


def _watch_the_lock():
    """Time from the audit insert that takes the chain's lock to the commit that frees it."""
    original = AuditEvent.save

    def save(self, *args, **kwargs):
        pending = any(getattr(f, "audit_hold", False) for _, f, _ in connection.run_on_commit)
        started = time.perf_counter()
        original(self, *args, **kwargs)
        if pending:
            return  # this transaction holds the lock already

        def released(action=self.action, where=_WHERE.name):
            HOLDS[where].append((time.perf_counter() - started) * 1000)

        released.audit_hold = True
        transaction.on_commit(released)

    AuditEvent.save = save


class _Where:
    name = "?"


_WHERE = _Where()


def percentile(values, share):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * share))]


def chain_trigger(enabled):
    with connection.cursor() as cursor:
        state = "ENABLE" if enabled else "DISABLE"
        cursor.execute(f"ALTER TABLE strom_auditevent {state} TRIGGER strom_auditevent_chain")


def single_inserts(n):
    timings = []
    for i in range(n):
        started = time.perf_counter()
        audit.record(AuditAction.VIEW, username="bench", detail=str(i))
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings), percentile(timings, 0.99)


def concurrent_inserts(threads, per_thread, work_ms):
    """Each thread: per_thread transactions, each one audit insert then work_ms of other work."""
    barrier = threading.Barrier(threads)

    def run():
        barrier.wait()
        for i in range(per_thread):
            with transaction.atomic():
                audit.record(AuditAction.VIEW, username="bench", detail=str(i))
                if work_ms:
                    time.sleep(work_ms / 1000)
        connection.close()

    workers = [threading.Thread(target=run) for _ in range(threads)]
    started = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return threads * per_thread / (time.perf_counter() - started)


def requests_and_actions():
    from cases import actions as case_actions
    from cases.models import Case, Exploitation, Person
    from cases.tasks import anonymise_expired_cases
    from referrals.tasks import sweep_escalations
    from strom.models import Municipality

    User = get_user_model()
    coordinator = User.objects.get(username="coord.riga")
    worker = User.objects.get(username="sw.riga")
    riga = Municipality.objects.get(code="RIX")

    _WHERE.name = "sign-in (POST /accounts/login/)"
    for _ in range(20):
        Client().post(reverse("login"), {"username": "sw.riga", "password": "strom-demo"})
    client = Client()
    client.force_login(coordinator)
    pass_for_test_client(client, coordinator)
    cases = list(Case.objects.filter(municipality=riga)[:10])
    _WHERE.name = "case page (GET, a view event)"
    for case in cases * 3:
        client.get(f"/cases/{case.reference}/")
    _WHERE.name = "person page (GET, a view event)"
    for case in cases * 3:
        client.get(f"/cases/{case.reference}/person/")
    _WHERE.name = "open_case (action, one transaction)"
    for i in range(20):
        case_actions.open_case(
            by=worker,
            municipality=riga,
            first_contact_on=timezone.localdate() - timedelta(days=1),
            person=Person(given_names=f"Bench {i}", age_years=30),
            exploitation=Exploitation(labour_sector="S"),
            forms=["forced_labour"],
            needs=[("safe_accommodation", "immediate"), ("legal", "days")],
        )
    _WHERE.name = "add a note (POST)"
    for case in cases:
        client.post(
            reverse("case_note_add", args=[case.reference]),
            {"kind": "meeting", "occurred_on": timezone.localdate().isoformat(), "text": "x"},
        )
    _WHERE.name = "escalation sweep (task)"
    for _ in range(5):
        sweep_escalations()
    _WHERE.name = "anonymise_expired_cases (task)"
    anonymise_expired_cases()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--inserts", type=int, default=1000)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("PostgreSQL only: the chain's lock is PostgreSQL's (SQLite has one writer).")
    setup_test_environment()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STROM_DEMO_PASSWORD = "strom-demo"
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        call_command("load_demo", stdout=StringIO())
        print(f"PostgreSQL {connection.pg_version // 10000}, {AuditEvent.objects.count()} events")
        print("\none insert per transaction, one connection (median / 99th percentile ms):")
        single_inserts(100)  # warm up
        for enabled in (False, True):
            chain_trigger(enabled)
            median, p99 = single_inserts(args.inserts)
            label = "with the chain trigger" if enabled else "without it"
            print(f"  {label:<24} {median:6.2f} / {p99:6.2f}")
        print(f"\nevents per second, {args.threads} connections at once:")
        for work_ms in (0, 5):
            for enabled in (False, True):
                chain_trigger(enabled)
                rate = concurrent_inserts(args.threads, args.inserts // args.threads, work_ms)
                label = "with the chain trigger" if enabled else "without it"
                print(f"  {work_ms} ms of other work after the insert, {label:<24} {rate:8.0f}")
        chain_trigger(True)
        with connection.cursor() as cursor:  # what went in without the trigger
            cursor.execute("SET session_replication_role = replica")
            cursor.execute("DELETE FROM strom_auditevent WHERE seq IS NULL")
            cursor.execute("SET session_replication_role = DEFAULT")
        _watch_the_lock()
        requests_and_actions()
        print("\nhow long STROM holds the chain's lock (ms: median / 99th percentile / most):")
        for where, holds in HOLDS.items():
            print(
                f"  {where:<40} {statistics.median(holds):6.2f} / "
                f"{percentile(holds, 0.99):6.2f} / {max(holds):6.2f}  ({len(holds)} transactions)"
            )
        call_command("verify_audit", stdout=StringIO())
        print(f"\nverify_audit: chain intact, {AuditEvent.objects.count()} events")
        started = time.perf_counter()
        call_command("verify_audit", stdout=StringIO())
        per_1000 = (time.perf_counter() - started) * 1000 / AuditEvent.objects.count() * 1000
        print(f"verify_audit: {per_1000:.0f} ms per 1,000 events")
    finally:
        connection.close()
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
