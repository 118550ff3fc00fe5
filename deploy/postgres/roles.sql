-- STROM database roles: run once by the PostgreSQL superuser, connected to STROM's database,
-- when the database is set up (docker-compose.yml does it through initdb.sh), and again on
-- an existing installation to adopt the roles (docs/database-roles.md). Safe to run again.
--
--   strom_owner  owns the database, the schema's tables and functions; runs `migrate`.
--   strom_app    what the web, worker and beat processes sign in as: reads and writes rows,
--                owns nothing, cannot change the schema, and may only add to the audit log.
--
-- Plain SQL, no psql meta-commands: tests/strom/test_database_roles.py runs it through
-- Django's connection. Passwords are set apart from this file (initdb.sh, or by hand):
--   ALTER ROLE strom_owner PASSWORD '...';  ALTER ROLE strom_app PASSWORD '...';
-- Then run grants.sql, which gives strom_app its privileges.

DO $roles$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'strom_owner') THEN
        CREATE ROLE strom_owner LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'strom_app') THEN
        CREATE ROLE strom_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT;
    END IF;
END
$roles$;

-- An existing role may have been created with more rights: take them away.
ALTER ROLE strom_owner NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;
ALTER ROLE strom_app NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;

-- Nobody but the owner creates objects in the schema (the default since PostgreSQL 15);
-- the application only uses what is there.
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE, CREATE ON SCHEMA public TO strom_owner;
GRANT USAGE ON SCHEMA public TO strom_app;

-- The owner owns the database and everything STROM's migrations made in it before, e.g.
-- under the bootstrap superuser of an installation set up before these roles existed.
DO $owner$
DECLARE
    obj record;
BEGIN
    EXECUTE format('ALTER DATABASE %I OWNER TO strom_owner', current_database());
    -- Only STROM's roles (and superusers) connect to STROM's database.
    EXECUTE format('REVOKE CONNECT, TEMPORARY ON DATABASE %I FROM PUBLIC', current_database());
    EXECUTE format('GRANT CONNECT ON DATABASE %I TO strom_owner, strom_app', current_database());
    -- Tables, views and materialised views (ALTER TABLE also moves the sequences that
    -- belong to their columns).
    FOR obj IN
        SELECT c.oid::regclass AS name, c.relkind
        FROM pg_class c
        WHERE c.relnamespace = 'public'::regnamespace
          AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
          AND c.relowner <> 'strom_owner'::regrole
          AND NOT EXISTS (SELECT FROM pg_depend d
                          WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                            AND d.deptype = 'e')
    LOOP
        IF obj.relkind = 'v' THEN
            EXECUTE format('ALTER VIEW %s OWNER TO strom_owner', obj.name);
        ELSIF obj.relkind = 'm' THEN
            EXECUTE format('ALTER MATERIALIZED VIEW %s OWNER TO strom_owner', obj.name);
        ELSIF obj.relkind = 'f' THEN
            EXECUTE format('ALTER FOREIGN TABLE %s OWNER TO strom_owner', obj.name);
        ELSE
            EXECUTE format('ALTER TABLE %s OWNER TO strom_owner', obj.name);
        END IF;
    END LOOP;
    -- Sequences that no column owns (identity and serial sequences moved with their table).
    FOR obj IN
        SELECT c.oid::regclass AS name
        FROM pg_class c
        WHERE c.relnamespace = 'public'::regnamespace
          AND c.relkind = 'S'
          AND c.relowner <> 'strom_owner'::regrole
          AND NOT EXISTS (SELECT FROM pg_depend d
                          WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                            AND d.deptype IN ('a', 'i', 'e'))
    LOOP
        EXECUTE format('ALTER SEQUENCE %s OWNER TO strom_owner', obj.name);
    END LOOP;
    -- Functions, e.g. the audit log's trigger function (migration strom 0002).
    FOR obj IN
        SELECT p.oid::regprocedure AS name
        FROM pg_proc p
        WHERE p.pronamespace = 'public'::regnamespace
          AND p.proowner <> 'strom_owner'::regrole
          AND NOT EXISTS (SELECT FROM pg_depend d
                          WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid
                            AND d.deptype = 'e')
    LOOP
        EXECUTE format('ALTER ROUTINE %s OWNER TO strom_owner', obj.name);
    END LOOP;
END
$owner$;
