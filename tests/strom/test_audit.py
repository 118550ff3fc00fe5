import hashlib
import threading
import time
from contextlib import redirect_stderr
from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import CommandError, ManagementUtility, call_command
from django.db import DatabaseError, connection, connections, transaction
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from strom.audit import (
    AppendOnlyError,
    AuditAction,
    AuditEvent,
    canonical_bytes,
    chain_fields,
    event_hash,
    record,
)
from tests.conftest import DEMO_PASSWORD, pass_second_factor

pytestmark = pytest.mark.django_db


def test_sign_in_is_logged_with_user_and_ip(demo, client):
    client.post(
        reverse("login"),
        {"username": "sw.riga", "password": DEMO_PASSWORD},
        REMOTE_ADDR="192.0.2.10",
    )
    event = AuditEvent.objects.get(action=AuditAction.LOGIN)
    assert event.user == demo.users["sw.riga"]
    assert event.ip_address == "192.0.2.10"


def test_failed_sign_in_is_logged_with_the_typed_name(demo, client):
    response = client.post(reverse("login"), {"username": "sw.riga", "password": "wrong"})
    assert response.status_code == 200
    assert "not correct" in response.content.decode()
    event = AuditEvent.objects.get(action=AuditAction.LOGIN_FAILED)
    assert event.username == "sw.riga"
    assert event.user == demo.users["sw.riga"]


def test_failed_sign_in_for_unknown_name_gives_the_same_message(demo, client):
    known = client.post(reverse("login"), {"username": "sw.riga", "password": "wrong"})
    unknown = client.post(reverse("login"), {"username": "nobody", "password": "wrong"})
    assert known.context["form"].errors == unknown.context["form"].errors
    event = AuditEvent.objects.get(action=AuditAction.LOGIN_FAILED, username="nobody")
    assert event.user is None


def test_sign_out_is_logged(demo, client):
    client.force_login(demo.users["coord.riga"])
    pass_second_factor(client, demo.users["coord.riga"])
    client.post(reverse("logout"))
    assert AuditEvent.objects.filter(
        action=AuditAction.LOGOUT, user=demo.users["coord.riga"]
    ).exists()


def test_event_cannot_be_changed_or_deleted_through_the_orm(demo):
    event = record(AuditAction.VIEW, user=demo.users["coord.riga"], obj=demo.actors["riga-shelter"])
    event.detail = "rewritten"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(detail="rewritten")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).detail == ""


def test_event_names_the_object_and_its_municipality(demo):
    event = record(AuditAction.VIEW, user=demo.users["coord.riga"], obj=demo.actors["riga-shelter"])
    assert event.object_type == "strom.actor"
    assert event.object_id == str(demo.actors["riga-shelter"].pk)
    assert event.municipality == demo.municipalities["RIX"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE strom_auditevent SET detail = 'rewritten'",
        "DELETE FROM strom_auditevent",
    ],
)
def test_postgresql_refuses_update_and_delete_in_raw_sql(demo, statement):
    record(AuditAction.VIEW, user=demo.users["coord.riga"], obj=demo.actors["riga-shelter"])
    count = AuditEvent.objects.count()
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement)
    assert AuditEvent.objects.count() == count
    assert not AuditEvent.objects.filter(detail="rewritten").exists()


def test_coordinator_browses_her_municipality_log_only(demo, client_for):
    record(AuditAction.CHANGE, user=demo.users["admin.riga"], obj=demo.actors["riga-shelter"])
    record(AuditAction.CHANGE, user=demo.users["admin.jelgava"], obj=demo.actors["jelgava-police"])
    client = client_for(demo.users["coord.riga"])
    page = client.get(reverse("audit_list")).content.decode()
    assert demo.actors["riga-shelter"].name.replace('"', "&quot;") in page
    assert demo.actors["jelgava-police"].name not in page


def test_coordinator_sees_sign_ins_of_her_staff_but_not_of_others(demo, client):
    for username in ["sw.riga", "sw.jelgava"]:
        client.post(reverse("login"), {"username": username, "password": DEMO_PASSWORD})
        client.post(reverse("logout"))
    client.force_login(demo.users["coord.riga"])
    pass_second_factor(client, demo.users["coord.riga"])
    response = client.get(reverse("audit_list"), {"action": "login"})
    usernames = {event.username for event in response.context["page"]}
    assert "sw.riga" in usernames
    assert "sw.jelgava" not in usernames


def test_failed_sign_ins_of_unknown_names_are_for_superusers_only(demo, client):
    client.post(reverse("login"), {"username": "intruder", "password": "x"})
    client.force_login(demo.users["admin.riga"])
    pass_second_factor(client, demo.users["admin.riga"])
    response = client.get(reverse("audit_list"), {"action": "login_failed"})
    assert "intruder" not in {e.username for e in response.context["page"]}


def test_audit_log_filters_by_user_name_and_dates(demo, client_for):
    record(AuditAction.CHANGE, user=demo.users["admin.riga"], obj=demo.actors["riga-shelter"])
    client = client_for(demo.users["coord.riga"])
    response = client.get(
        reverse("audit_list"), {"username": "admin.riga", "occurred_from": "2000-01-01"}
    )
    assert {e.username for e in response.context["page"]} == {"admin.riga"}
    response = client.get(reverse("audit_list"), {"occurred_from": "not a date"})
    assert response.status_code == 200
    assert response.context["filter"].form.errors


def test_audit_log_list_uses_a_constant_number_of_queries(
    demo, client_for, django_assert_max_num_queries
):
    client = client_for(demo.users["coord.riga"])
    for _ in range(60):
        record(AuditAction.VIEW, user=demo.users["sw.riga"], obj=demo.actors["riga-shelter"])
    with django_assert_max_num_queries(10):
        response = client.get(reverse("audit_list"))
    assert len(response.context["page"]) == 50


def test_coordinator_home_shows_recent_sign_ins_of_her_staff_only(demo, client):
    for username in ["sw.riga", "sw.jelgava"]:
        client.post(reverse("login"), {"username": username, "password": DEMO_PASSWORD})
        client.post(reverse("logout"))
    client.force_login(demo.users["coord.riga"])
    pass_second_factor(client, demo.users["coord.riga"])
    events = client.get(reverse("home")).context["sections"][0]["recent_events"]
    usernames = {event.username for event in events}
    assert "sw.riga" in usernames
    assert "sw.jelgava" not in usernames


# The time and the hash chain (issue 13, finding 12) ------------------------------------------

POSTGRESQL = connection.vendor == "postgresql"
needs_postgresql = pytest.mark.skipif(not POSTGRESQL, reason="the triggers are PostgreSQL's")


def _tamper(sql, params=None):
    """Change the log behind STROM's back, as the table's owner or a superuser could: on
    PostgreSQL with the triggers switched off for this session (superuser only)."""
    with connection.cursor() as cursor:
        if POSTGRESQL:
            cursor.execute("SET session_replication_role = replica")
        try:
            cursor.execute(sql, params)
        finally:
            if POSTGRESQL:
                cursor.execute("SET session_replication_role = DEFAULT")


def _database_now():
    if not POSTGRESQL:
        return timezone.now()
    with connection.cursor() as cursor:
        cursor.execute("SELECT clock_timestamp()")
        return cursor.fetchone()[0]


def _verify(*args):
    out = StringIO()
    call_command("verify_audit", *args, stdout=out, stderr=out)
    return out.getvalue()


def _three_events(demo):
    user = demo.users["coord.riga"]
    return [
        record(AuditAction.VIEW, user=user, obj=demo.actors["riga-shelter"], detail=f"event {i}")
        for i in range(3)
    ]


def test_an_event_gets_the_current_time_whatever_time_it_is_given(demo):
    fake = timezone.now() - timedelta(days=400)
    event = AuditEvent.objects.create(
        action=AuditAction.LOGIN, username="sw.riga", occurred_at=fake
    )
    stored = AuditEvent.objects.get(pk=event.pk).occurred_at
    assert stored == event.occurred_at
    assert abs(stored - _database_now()) < timedelta(minutes=1)


def test_events_created_in_bulk_get_the_current_time_and_are_chained(demo):
    fake = timezone.now() - timedelta(days=400)
    AuditEvent.objects.bulk_create(
        AuditEvent(action=AuditAction.VIEW, username=f"bulk-{i}", occurred_at=fake)
        for i in range(3)
    )
    times = AuditEvent.objects.filter(username__startswith="bulk-").values_list(
        "occurred_at", flat=True
    )
    assert all(abs(at - _database_now()) < timedelta(minutes=1) for at in times)
    assert "intact" in _verify()


@needs_postgresql
def test_a_raw_insert_with_a_fake_time_gets_the_database_time(demo):
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO strom_auditevent (occurred_at, username, action, object_type, object_id,"
            " object_label, detail) VALUES (now() - interval '400 days', 'sw.riga', 'login',"
            " '', '', '', '') RETURNING id"
        )
        pk = cursor.fetchone()[0]
    assert abs(AuditEvent.objects.get(pk=pk).occurred_at - _database_now()) < timedelta(minutes=1)
    assert "intact" in _verify()


def test_each_event_is_chained_to_the_one_before(demo):
    first, second, third = _three_events(demo)
    assert [second.seq, third.seq] == [first.seq + 1, first.seq + 2]
    for before, event in [(first, second), (second, third)]:
        stored = AuditEvent.objects.get(pk=event.pk)
        assert (stored.seq, stored.row_hash) == (event.seq, event.row_hash)
        assert stored.row_hash == event_hash(before.row_hash, **chain_fields(stored))
    # Any field changed gives another hash.
    fields = chain_fields(AuditEvent.objects.get(pk=third.pk))
    for name, value in fields.items():
        if name == "occurred_at":
            changed = value + timedelta(microseconds=1)
        elif isinstance(value, int):
            changed = value + 1
        else:
            changed = (value or "") + "x" if name != "ip_address" else "192.0.2.99"
        assert event_hash(second.row_hash, **dict(fields, **{name: changed})) != third.row_hash


CANONICAL = {
    "seq": 7,
    "occurred_at": datetime(2026, 1, 2, 3, 4, 5, 60, tzinfo=UTC),
    "user_id": 12,
    "username": "sw.riga",
    "action": "view",
    "object_type": "cases.case",
    "object_id": "34",
    "object_label": "RIX-2026-0007",
    "municipality_id": None,
    "ip_address": "2001:db8::1",
    "detail": "Pārskats: 2\nšķ",
}


def test_the_chain_hash_has_one_canonical_encoding():
    # Each field as its length in UTF-8 bytes, a colon, the value and a newline, after a
    # format tag; times in UTC with microseconds; no value is an empty field.
    assert canonical_bytes("ab" * 32, **CANONICAL) == (
        b"13:strom-audit-1\n64:" + b"ab" * 32 + b"\n1:7\n27:2026-01-02T03:04:05.000060Z\n"
        b"2:12\n7:sw.riga\n4:view\n10:cases.case\n2:34\n13:RIX-2026-0007\n0:\n"
        b"11:2001:db8::1\n" + "17:Pārskats: 2\nšķ\n".encode()
    )
    assert (
        event_hash("ab" * 32, **CANONICAL)
        == hashlib.sha256(canonical_bytes("ab" * 32, **CANONICAL)).hexdigest()
    )
    # A value cannot pass for the next field.
    moved = dict(CANONICAL, object_type="cases.case\n2:34", object_id="")
    assert event_hash("", **moved) != event_hash("", **CANONICAL)


@needs_postgresql
@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"user_id": None, "ip_address": None, "detail": ""},
        {"ip_address": "192.0.2.10", "username": "Ēriks 🙂", "object_label": "a:b\n\n"},
        {"ip_address": "::ffff:192.0.2.1", "occurred_at": datetime(2026, 7, 1, tzinfo=UTC)},
        {"municipality_id": 3, "seq": 1, "detail": "x" * 500},
    ],
)
def test_postgresql_and_python_compute_the_same_hash(changes):
    fields = dict(CANONICAL, **changes)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT strom_audit_row_hash(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s::inet, %s)",
            ["ab" * 32, *fields.values()],
        )
        assert cursor.fetchone()[0] == event_hash("ab" * 32, **fields)


@pytest.mark.parametrize("ip", ["192.0.2.10", "2001:DB8:0:0::1", "::ffff:192.0.2.1", None])
def test_events_stored_by_the_database_verify_in_python(demo, ip):
    # What the trigger (PostgreSQL) or save() (SQLite) computed, verify_audit recomputes.
    request = RequestFactory().get("/", REMOTE_ADDR=ip)
    request.user = AnonymousUser()
    record(
        AuditAction.LOGIN_FAILED,
        username="Ēriks 🙂\n:x",
        detail="a\r\nb",
        request=request if ip else None,
    )
    assert "intact" in _verify()


def test_verify_audit_passes_a_clean_log(demo):
    events = _three_events(demo)
    output = _verify()
    assert "intact" in output
    assert str(events[-1].seq) in output


def test_verify_audit_finds_an_edited_event(demo):
    first, second, third = _three_events(demo)
    _tamper("UPDATE strom_auditevent SET detail = 'rewritten' WHERE id = %s", [second.pk])
    with pytest.raises(CommandError, match=f"event {second.pk} .*changed"):
        _verify()


def test_verify_audit_finds_an_edited_event_whose_hash_was_recomputed(demo):
    first, second, third = _three_events(demo)
    forged = chain_fields(AuditEvent.objects.get(pk=second.pk))
    forged["username"] = "somebody.else"
    _tamper(
        "UPDATE strom_auditevent SET username = %s, row_hash = %s WHERE id = %s",
        [forged["username"], event_hash(first.row_hash, **forged), second.pk],
    )
    # The edited event matches its own hash now, but the next one no longer follows.
    with pytest.raises(CommandError, match=f"event {third.pk} "):
        _verify()


def test_verify_audit_finds_a_removed_event(demo):
    first, second, third = _three_events(demo)
    _tamper("DELETE FROM strom_auditevent WHERE id = %s", [second.pk])
    with pytest.raises(CommandError, match=f"{second.seq} is missing"):
        _verify()


def test_verify_audit_finds_an_event_outside_the_chain(demo):
    _three_events(demo)
    # Inserted with the triggers off: no place in the chain.
    _tamper(
        "INSERT INTO strom_auditevent (occurred_at, username, action, object_type, object_id,"
        " object_label, detail, row_hash) VALUES (%s, 'sw.riga', 'login', '', '', '', '', '')",
        [timezone.now()],
    )
    with pytest.raises(CommandError, match="outside the chain"):
        _verify()


def test_verify_audit_finds_time_going_back(demo):
    first, second, third = _three_events(demo)
    # A forger who recomputes the chain still cannot put an event 400 days back.
    forged = dict(
        chain_fields(AuditEvent.objects.get(pk=third.pk)),
        seq=third.seq + 1,
        occurred_at=timezone.now() - timedelta(days=400),
    )
    _tamper(
        "INSERT INTO strom_auditevent (occurred_at, username, action, object_type, object_id,"
        " object_label, detail, user_id, municipality_id, ip_address, seq, row_hash)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
        [
            forged["occurred_at"],
            forged["username"],
            forged["action"],
            forged["object_type"],
            forged["object_id"],
            forged["object_label"],
            forged["detail"],
            forged["user_id"],
            forged["municipality_id"],
            forged["ip_address"],
            forged["seq"],
            event_hash(third.row_hash, **forged),
        ],
    )
    with pytest.raises(CommandError, match="earlier than the event before it"):
        _verify()
    assert "intact" in _verify("--time-tolerance", str(401 * 24 * 3600))
    # Once looked into, it can be accepted: listed, but no longer a failure.
    forged_id = AuditEvent.objects.get(seq=forged["seq"]).pk
    output = _verify("--accept", str(forged_id))
    assert f"Accepted (--accept {forged_id})" in output
    assert "intact" in output


def test_verify_audit_with_anchors_finds_a_log_cut_short(demo, tmp_path):
    *_, last = _three_events(demo)
    anchors = tmp_path / "audit-anchors"
    assert "intact" in _verify("--anchors", str(anchors))
    assert anchors.read_text().split()[:2] == [str(last.seq), last.row_hash]
    # The last events are removed: the chain that is left is consistent, but the anchor
    # written last night is gone.
    _tamper("DELETE FROM strom_auditevent WHERE seq >= %s", [last.seq])
    with pytest.raises(CommandError, match=f"{last.seq}.*no longer"):
        _verify("--anchors", str(anchors))
    assert len(anchors.read_text().splitlines()) == 1


def test_verify_audit_exits_non_zero_when_the_chain_is_broken(demo, monkeypatch):
    first, second, third = _three_events(demo)
    _tamper("UPDATE strom_auditevent SET detail = 'rewritten' WHERE id = %s", [second.pk])
    # The command line closes the connections at the end: not the test's.
    monkeypatch.setattr(connections, "close_all", lambda: None)
    utility = ManagementUtility(["manage.py", "verify_audit", "--skip-checks"])
    with pytest.raises(SystemExit) as exit_status, redirect_stderr(StringIO()) as stderr:
        utility.execute()
    assert exit_status.value.code == 1
    assert f"event {second.pk}" in stderr.getvalue()


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_events_recorded_at_once_stay_in_one_chain():
    # Six connections record events in overlapping transactions: the chain stays linear
    # (consecutive positions, each hash over the one before) and time never goes back.
    before = AuditEvent.objects.count()
    barrier = threading.Barrier(6)
    errors = []

    def worker(n):
        try:
            barrier.wait()
            for i in range(10):
                with transaction.atomic():
                    record(AuditAction.VIEW, username=f"worker-{n}", detail=str(i))
                    time.sleep(0.001)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    rows = list(AuditEvent.objects.order_by("seq").values_list("seq", "occurred_at"))
    assert [seq for seq, _ in rows] == list(range(1, before + 61))
    assert [at for _, at in rows] == sorted(at for _, at in rows)
    assert "intact" in _verify()


# The client's address -----------------------------------------------------------------


@pytest.mark.parametrize(
    "forwarded",
    ["not-an-address", "10.0.0.1, <script>", "1.2.3.4:5678", "", " , ", "999.1.1.1"],
)
def test_a_broken_forwarded_for_header_signs_in_with_no_address_not_a_server_error(
    demo, client, settings, forwarded
):
    from strom.audit import AuditAction, AuditEvent

    settings.STROM_TRUST_X_FORWARDED_FOR = True
    response = client.post(
        reverse("login"),
        {"username": "sw.riga", "password": "strom-demo"},
        HTTP_X_FORWARDED_FOR=forwarded,
        REMOTE_ADDR="127.0.0.1",
    )
    assert response.status_code == 302
    event = AuditEvent.objects.filter(action=AuditAction.LOGIN).order_by("-id").first()
    assert event.username == "sw.riga"
    assert event.ip_address in (None, "127.0.0.1")


def test_the_proxys_address_of_the_client_is_recorded(demo, client, settings):
    from strom.audit import AuditAction, AuditEvent

    settings.STROM_TRUST_X_FORWARDED_FOR = True
    client.post(
        reverse("login"),
        {"username": "sw.riga", "password": "strom-demo"},
        HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.7",
    )
    event = AuditEvent.objects.filter(action=AuditAction.LOGIN).order_by("-id").first()
    assert event.ip_address == "198.51.100.7"
