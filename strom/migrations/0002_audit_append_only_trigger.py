"""On PostgreSQL, refuse UPDATE and DELETE on the audit log for every client, raw SQL
included. Other databases rely on the model's own refusal.

TRUNCATE is left to database privileges (docs/security.md): Django's test runner and
`flush` empty tables with it."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION strom_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'strom_auditevent is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER strom_auditevent_no_update_delete
    BEFORE UPDATE OR DELETE ON strom_auditevent
    FOR EACH ROW EXECUTE FUNCTION strom_audit_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS strom_auditevent_no_update_delete ON strom_auditevent;
DROP FUNCTION IF EXISTS strom_audit_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("strom", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
