#!/bin/sh
# STROM: creates the database roles when the postgres container initialises an empty data
# volume. docker-compose.yml mounts this file into /docker-entrypoint-initdb.d/ and this
# folder (deploy/postgres) at /strom-postgres. The official image runs it once, as the
# superuser (POSTGRES_USER), connected to POSTGRES_DB, before the server accepts
# connections from other containers.
#
# Needs STROM_OWNER_PASSWORD and STROM_APP_PASSWORD in the environment (from .env). The
# `migrate` service later creates the tables as strom_owner and runs grants.sql.
set -eu

: "${STROM_OWNER_PASSWORD:?set STROM_OWNER_PASSWORD in .env}"
: "${STROM_APP_PASSWORD:?set STROM_APP_PASSWORD in .env}"

psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
    -f /strom-postgres/roles.sql
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
    -f /strom-postgres/grants.sql

# The passwords come from the environment through psql's \getenv: they appear neither on a
# command line nor in a file.
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" <<'SQL'
\getenv owner_password STROM_OWNER_PASSWORD
\getenv app_password STROM_APP_PASSWORD
ALTER ROLE strom_owner PASSWORD :'owner_password';
ALTER ROLE strom_app PASSWORD :'app_password';
SQL
