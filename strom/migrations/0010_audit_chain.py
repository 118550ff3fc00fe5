"""The audit log gets the database's time and a hash chain (strom/audit.py).

Each event gets `seq`, its position in the chain (1, 2, 3, ... without gaps), and
`row_hash`, a SHA-256 over the previous event's `row_hash` and its own fields in the
encoding of `strom.audit.canonical_bytes`.

On PostgreSQL a BEFORE INSERT trigger sets `occurred_at` to the database's clock and
computes `seq` and `row_hash`, for every client (raw SQL included), whatever they gave.
It first takes a transaction-level advisory lock, so the next insert waits until the
transaction that wrote the previous event has committed or rolled back and then sees it:
the chain stays linear under concurrency. Other databases (SQLite for `make run`) have the
same computed in Python by `AuditEvent.save`.

The events already in the log are chained here in the order of their ids, as they are
(their times were not set by the database).
"""

import django.db.models.functions.datetime
import django.utils.timezone
from django.db import migrations, models

# pg_advisory_xact_lock key of the chain: b"STROMAUD" as a big-endian integer.
CHAIN_LOCK = 6004514703743735108

FUNCTIONS = r"""
CREATE OR REPLACE FUNCTION strom_audit_field(value text) RETURNS bytea
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT convert_to(octet_length(convert_to(coalesce(value, ''), 'UTF8'))::text || ':', 'UTF8')
        || convert_to(coalesce(value, ''), 'UTF8')
        || '\x0a'::bytea
$$;

-- strom.audit.canonical_bytes: the same bytes, so the same hash.
CREATE OR REPLACE FUNCTION strom_audit_row_hash(
    previous_hash text, seq bigint, occurred_at timestamptz, user_id bigint, username text,
    action text, object_type text, object_id text, object_label text,
    municipality_id bigint, ip_address inet, detail text
) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT encode(sha256(
        strom_audit_field('strom-audit-1')
        || strom_audit_field(previous_hash)
        || strom_audit_field(seq::text)
        || strom_audit_field(
            to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))
        || strom_audit_field(user_id::text)
        || strom_audit_field(username)
        || strom_audit_field(action)
        || strom_audit_field(object_type)
        || strom_audit_field(object_id)
        || strom_audit_field(object_label)
        || strom_audit_field(municipality_id::text)
        -- inet's own output, as clients read it (192.0.2.10, not 192.0.2.10/32)
        || strom_audit_field(format('%s', ip_address))
        || strom_audit_field(detail)
    ), 'hex')
$$;
"""

TRIGGER = r"""
CREATE OR REPLACE FUNCTION strom_audit_chain() RETURNS trigger AS $$
DECLARE
    last_seq bigint;
    last_hash text;
BEGIN
    -- Held until this transaction ends: the next event waits, then sees this one.
    PERFORM pg_advisory_xact_lock(CHAIN_LOCK);
    SELECT e.seq, e.row_hash INTO last_seq, last_hash
        FROM strom_auditevent e WHERE e.seq IS NOT NULL ORDER BY e.seq DESC LIMIT 1;
    NEW.occurred_at := clock_timestamp();
    NEW.seq := coalesce(last_seq, 0) + 1;
    NEW.row_hash := strom_audit_row_hash(
        coalesce(last_hash, ''), NEW.seq, NEW.occurred_at, NEW.user_id, NEW.username,
        NEW.action, NEW.object_type, NEW.object_id, NEW.object_label, NEW.municipality_id,
        NEW.ip_address, NEW.detail);
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER strom_auditevent_chain
    BEFORE INSERT ON strom_auditevent
    FOR EACH ROW EXECUTE FUNCTION strom_audit_chain();
""".replace("CHAIN_LOCK", str(CHAIN_LOCK))

# The rows already there, in id order. The append-only trigger of 0002 is off for this one
# transaction (the migration runs as the table's owner, who alone may do so).
BACKFILL = r"""
ALTER TABLE strom_auditevent DISABLE TRIGGER strom_auditevent_no_update_delete;
DO $backfill$
DECLARE
    r record;
    previous text := '';
    n bigint := 0;
BEGIN
    FOR r IN SELECT * FROM strom_auditevent ORDER BY id LOOP
        n := n + 1;
        previous := strom_audit_row_hash(
            previous, n, r.occurred_at, r.user_id, r.username, r.action, r.object_type,
            r.object_id, r.object_label, r.municipality_id, r.ip_address, r.detail);
        UPDATE strom_auditevent SET seq = n, row_hash = previous WHERE id = r.id;
    END LOOP;
END
$backfill$;
ALTER TABLE strom_auditevent ENABLE TRIGGER strom_auditevent_no_update_delete;
"""

DROP = """
DROP TRIGGER IF EXISTS strom_auditevent_chain ON strom_auditevent;
DROP FUNCTION IF EXISTS strom_audit_chain();
DROP FUNCTION IF EXISTS strom_audit_row_hash(
    text, bigint, timestamptz, bigint, text, text, text, text, text, bigint, inet, text);
DROP FUNCTION IF EXISTS strom_audit_field(text);
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("LOCK TABLE strom_auditevent IN EXCLUSIVE MODE", params=None)
        schema_editor.execute(FUNCTIONS, params=None)
        schema_editor.execute(BACKFILL, params=None)
        schema_editor.execute(TRIGGER, params=None)
        return
    from strom.audit import CHAIN_FIELDS, event_hash

    AuditEvent = apps.get_model("strom", "AuditEvent")
    db = schema_editor.connection.alias
    previous = ""
    rows = AuditEvent.objects.using(db).order_by("id").values("id", *CHAIN_FIELDS[1:])
    for n, row in enumerate(list(rows), 1):
        previous = event_hash(previous, **dict(row, seq=n))
        AuditEvent.objects.using(db).filter(pk=row["id"]).update(seq=n, row_hash=previous)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("strom", "0009_security_audit_actions")]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="row_hash",
            field=models.CharField(
                blank=True, db_default="", editable=False, max_length=64, verbose_name="chain hash"
            ),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="seq",
            field=models.BigIntegerField(
                db_default=None,
                editable=False,
                null=True,
                unique=True,
                verbose_name="position in the chain",
            ),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="occurred_at",
            field=models.DateTimeField(
                db_default=django.db.models.functions.datetime.Now(),
                db_index=True,
                default=django.utils.timezone.now,
                verbose_name="time",
            ),
        ),
        migrations.RunPython(forwards, backwards),
    ]
