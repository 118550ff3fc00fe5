"""The PostgreSQL roles of deploy/postgres/ (docs/database-roles.md): the application's role
may add to and read the audit log but not change or remove it, and reads and writes every
other table.

The scripts run inside the test's transaction, which is rolled back: the roles, grants and
ownership changes never outlive the test. Roles are cluster-wide; the scripts create them
only when missing, so a cluster where they exist (or a parallel run) is no problem.
"""

from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from strom import audit
from strom.audit import AuditAction, AuditEvent
from strom.models import Actor

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="database roles are PostgreSQL's"
)

DEPLOY = Path(__file__).resolve().parents[2] / "deploy" / "postgres"


def run_sql(name):
    with connection.cursor() as cursor:
        cursor.execute((DEPLOY / name).read_text())


@pytest.fixture
def roles(db):
    """roles.sql and grants.sql applied to the test database, as at installation."""
    run_sql("roles.sql")
    run_sql("grants.sql")


def as_role(role):
    class _Role:
        def __enter__(self):
            with connection.cursor() as cursor:
                cursor.execute(f"SET ROLE {role}")

        def __exit__(self, *exc):
            with connection.cursor() as cursor:
                cursor.execute("RESET ROLE")

    return _Role()


def refused(sql, params=None):
    """Runs sql in a savepoint; returns the error, or None if it succeeded."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)
    except DatabaseError as error:
        return error
    return None


def is_permission_denied(error):
    # psycopg.errors.InsufficientPrivilege; the trigger of migration 0002 raises the same
    # SQLSTATE, so the message tells which lock refused.
    return (
        error is not None
        and getattr(error.__cause__, "sqlstate", None) == "42501"
        and "permission denied for table strom_auditevent" in str(error)
    )


def test_app_role_inserts_and_reads_audit_events(roles):
    with as_role("strom_app"):
        event = audit.record(AuditAction.EXPORT, username="role-test", detail="by strom_app")
        assert AuditEvent.objects.filter(pk=event.pk, detail="by strom_app").exists()
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_user")
            assert cursor.fetchone()[0] == "strom_app"


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE strom_auditevent SET detail = 'changed' WHERE id = %s",
        "DELETE FROM strom_auditevent WHERE id = %s",
    ],
)
def test_app_role_cannot_update_or_delete_audit_events(roles, sql):
    event = audit.record(AuditAction.EXPORT, username="role-test")
    with as_role("strom_app"):
        error = refused(sql, [event.pk])
    # Refused by the missing privilege, before the trigger is even reached.
    assert is_permission_denied(error), error
    assert AuditEvent.objects.filter(pk=event.pk, detail="").exists()


def test_app_role_cannot_truncate_or_alter_the_audit_log(roles):
    with as_role("strom_app"):
        assert is_permission_denied(refused("TRUNCATE strom_auditevent"))
        # Only the owner could switch the trigger off.
        error = refused("ALTER TABLE strom_auditevent DISABLE TRIGGER ALL")
        assert error is not None and "must be owner" in str(error)
    assert AuditEvent.objects.exists()


def test_app_role_updates_and_deletes_other_tables(roles):
    actor = Actor.objects.order_by("pk").first()
    with as_role("strom_app"):
        sql = "UPDATE strom_actor SET name = name || ' (x)' WHERE id = %s"
        assert refused(sql, [actor.pk]) is None
        assert refused("DELETE FROM django_session") is None
    actor.refresh_from_db()
    assert actor.name.endswith(" (x)")


def test_app_role_cannot_change_the_schema(roles):
    with as_role("strom_app"):
        assert refused("CREATE TABLE strom_role_test (id integer)") is not None
        assert refused("DROP TABLE strom_actor") is not None


def test_tables_a_later_migration_creates_get_the_app_grants(roles):
    # Default privileges: a table the owner creates (as `migrate` does) is usable at once.
    with as_role("strom_owner"):
        assert refused("CREATE TABLE strom_role_test (id integer)") is None
    with as_role("strom_app"):
        assert refused("INSERT INTO strom_role_test VALUES (1)") is None
        assert refused("UPDATE strom_role_test SET id = 2") is None
        assert refused("DELETE FROM strom_role_test") is None


def test_migrations_run_as_owner_and_grants_are_rerunnable(roles):
    # The owner owns the audit log (and so can run migrations on it); running the scripts
    # again changes nothing.
    run_sql("roles.sql")
    run_sql("grants.sql")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_get_userbyid(relowner) FROM pg_class "
            "WHERE oid = 'strom_auditevent'::regclass"
        )
        assert cursor.fetchone()[0] == "strom_owner"
        cursor.execute(
            "SELECT privilege_type FROM information_schema.role_table_grants "
            "WHERE grantee = 'strom_app' AND table_name = 'strom_auditevent' ORDER BY 1"
        )
        assert [row[0] for row in cursor.fetchall()] == ["INSERT", "SELECT"]
        # The owner owns the chain's trigger and functions too (migration strom 0010).
        cursor.execute(
            "SELECT proname, pg_get_userbyid(proowner) FROM pg_proc"
            " WHERE proname LIKE 'strom_audit_%%' ORDER BY 1"
        )
        assert cursor.fetchall() == [
            ("strom_audit_append_only", "strom_owner"),
            ("strom_audit_chain", "strom_owner"),
            ("strom_audit_field", "strom_owner"),
            ("strom_audit_row_hash", "strom_owner"),
        ]


# The database's time and the hash chain (issue 13, finding 12) -------------------------------

HASH_FUNCTION = (
    "strom_audit_row_hash(text, bigint, timestamptz, bigint, text, text, text, text, text,"
    " bigint, inet, text)"
)


def test_app_role_raw_insert_gets_the_database_time_and_its_place_in_the_chain(roles):
    last = audit.record(AuditAction.EXPORT, username="role-test")
    with as_role("strom_app"), connection.cursor() as cursor:
        # Whatever strom_app says about the time, the position and the hash is ignored.
        cursor.execute(
            "INSERT INTO strom_auditevent (occurred_at, username, action, object_type,"
            " object_id, object_label, detail, seq, row_hash) VALUES (now() - interval"
            " '400 days', 'sw.riga', 'login', '', '', '', '', 1, %s) RETURNING id",
            ["0" * 64],
        )
        pk = cursor.fetchone()[0]
        cursor.execute("SELECT clock_timestamp()")
        now = cursor.fetchone()[0]
    event = AuditEvent.objects.get(pk=pk)
    assert abs(event.occurred_at - now) < timedelta(minutes=1)
    assert event.seq == last.seq + 1
    assert event.row_hash == audit.event_hash(last.row_hash, **audit.chain_fields(event))
    out = StringIO()
    call_command("verify_audit", stdout=out)
    assert "intact" in out.getvalue()


def test_app_role_cannot_switch_the_triggers_off_for_its_session(roles):
    with as_role("strom_app"):
        error = refused("SET session_replication_role = replica")
    assert error is not None and "permission denied" in str(error)


def test_app_role_may_call_the_chain_function_without_public_execute(roles):
    # A hardened database takes EXECUTE from PUBLIC; grants.sql gives it to strom_app.
    with connection.cursor() as cursor:
        cursor.execute(
            f"REVOKE EXECUTE ON FUNCTION {HASH_FUNCTION}, strom_audit_field(text) FROM PUBLIC"
        )
    run_sql("grants.sql")
    with as_role("strom_app"):
        event = audit.record(AuditAction.EXPORT, username="role-test")
    assert AuditEvent.objects.get(pk=event.pk).row_hash == event.row_hash != ""
