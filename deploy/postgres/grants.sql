-- STROM: what the application role strom_app may do. Run by strom_owner or a superuser,
-- connected to STROM's database, after roles.sql and after every `migrate`: the `migrate`
-- service of docker-compose.yml runs it at the end of each start. Safe to run again.
--
-- strom_app reads and writes the rows of every table, but on the audit log
-- (strom_auditevent) it may only SELECT and INSERT. No UPDATE, DELETE or TRUNCATE there:
-- this is the second lock, independent of the trigger of migration strom 0002 that
-- refuses UPDATE and DELETE for every role (the trigger cannot see TRUNCATE).
--
-- Plain SQL, no psql meta-commands (tests/strom/test_database_roles.py runs it through
-- Django's connection).

-- (CONNECT on the database and USAGE on the schema are granted by roles.sql.)

-- Every table and sequence that exists now...
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO strom_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO strom_app;
-- ...and those that later migrations (run as strom_owner) create.
ALTER DEFAULT PRIVILEGES FOR ROLE strom_owner IN SCHEMA public
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO strom_app;
ALTER DEFAULT PRIVILEGES FOR ROLE strom_owner IN SCHEMA public
    GRANT USAGE, SELECT ON SEQUENCES TO strom_app;

-- The audit log is append-only. The default privileges above gave strom_app UPDATE and
-- DELETE when migration strom 0001 created the table: take them back, and anything else,
-- from strom_app and from PUBLIC. (Skipped before the first `migrate`: no table yet.)
DO $audit$
BEGIN
    IF to_regclass('public.strom_auditevent') IS NOT NULL THEN
        REVOKE ALL ON TABLE strom_auditevent FROM strom_app, PUBLIC;
        GRANT SELECT, INSERT ON TABLE strom_auditevent TO strom_app;
    END IF;
END
$audit$;

-- The audit log's chain (migration strom 0010): the BEFORE INSERT trigger runs as whoever
-- inserts, so strom_app calls the hash functions. PUBLIC may call functions by default;
-- this keeps it working where that was taken away. (The trigger function itself and the
-- advisory lock it takes need no grant. Skipped before the migration.)
DO $chain$
BEGIN
    IF to_regprocedure('public.strom_audit_field(text)') IS NOT NULL THEN
        GRANT EXECUTE ON FUNCTION strom_audit_field(text) TO strom_app;
        GRANT EXECUTE ON FUNCTION strom_audit_row_hash(text, bigint, timestamptz, bigint, text,
            text, text, text, text, bigint, inet, text) TO strom_app;
    END IF;
END
$chain$;
