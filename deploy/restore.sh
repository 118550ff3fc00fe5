#!/usr/bin/env bash
# STROM restore: a folder made by deploy/backup.sh into an EMPTY database and an EMPTY
# media folder, then checks: the checksums before; after, the audit-log triggers and hash
# chain (verify_audit), the row count of every table against the backup's, the number of
# media files, and `manage.py check`. The procedure and the restore drill: docs/backup.md.
#
# STROM must be stopped (docker compose stop web worker beat), and .env must hold the
# STROM_FIELD_ENCRYPTION_KEYS that were in use when the backup was taken: they are not in
# the backup.
#
# Usage (as root, in the folder with docker-compose.yml, e.g. /opt/strom):
#   deploy/restore.sh --compose [--identity FILE] BACKUP_FOLDER
# or, without Docker (pg_restore of the backup's major version or newer):
#   deploy/restore.sh --database-url postgres://USER@HOST:5432/strom_restore \
#       --media-dir DIR [--identity FILE] [--no-owner] [--python PYTHON] BACKUP_FOLDER
#
#   --compose         restore through the `postgres` service as its superuser
#                     (POSTGRES_SUPERUSER, default postgres) into database strom, and the
#                     media into the strom-var volume through the `web` image
#   --identity FILE   age private key, for a backup made with --encrypt-to
#   --no-owner        do not restore owners and grants (a scratch database on a machine
#                     without the strom_owner and strom_app roles, e.g. for a drill)
#   --python PYTHON   the Python that runs manage.py, without --compose (default python3)
#   --skip-django     leave out the `manage.py` checks
#
# The database must exist and be empty; with roles, create it as in docs/backup.md. Exits
# non-zero if anything fails or differs.
set -euo pipefail
umask 077

usage() { sed -n '2,27p' "$0" | sed 's/^# \{0,1\}//'; exit "${1:-2}"; }
die() { echo "restore.sh: $*" >&2; exit 1; }

COMPOSE=0
DATABASE_URL_ARG=""
MEDIA_DIR=""
IDENTITY=""
NO_OWNER=()
PYTHON="python3"
DJANGO_CHECKS=1
BACKUP=""
while [ $# -gt 0 ]; do
    case "$1" in
        --compose) COMPOSE=1 ;;
        --database-url) DATABASE_URL_ARG="$2"; shift ;;
        --media-dir) MEDIA_DIR="$2"; shift ;;
        --identity) IDENTITY="$2"; shift ;;
        --no-owner) NO_OWNER=(--no-owner --no-privileges) ;;
        --python) PYTHON="$2"; shift ;;
        --skip-django) DJANGO_CHECKS=0 ;;
        -h|--help) usage 0 ;;
        -*) echo "restore.sh: unknown argument: $1" >&2; usage ;;
        *) [ -z "$BACKUP" ] || usage; BACKUP="$1" ;;
    esac
    shift
done
[ -n "$BACKUP" ] || usage
[ -d "$BACKUP" ] || die "no such folder: $BACKUP"
BACKUP="$(cd "$BACKUP" && pwd)"
SOURCE="$(cd "$(dirname "$0")/.." && pwd)"

SUPERUSER="${POSTGRES_SUPERUSER:-postgres}"
if [ "$COMPOSE" = 1 ]; then
    [ -f docker-compose.yml ] || die "run --compose in the folder that holds docker-compose.yml"
    PSQL=(docker compose exec -T postgres psql -U "$SUPERUSER" -d strom)
    PG_RESTORE=(docker compose exec -T postgres pg_restore -U "$SUPERUSER" -d strom)
    in_media() { docker compose run --rm --no-deps -T web sh -c "cd /var/lib/strom/media && $1"; }
    manage() { docker compose run --rm --no-deps -T web python manage.py "$@"; }
else
    [ -n "$DATABASE_URL_ARG" ] || die "give --compose, or --database-url and --media-dir"
    [ -n "$MEDIA_DIR" ] || die "give --media-dir (MEDIA_ROOT of the restored installation)"
    command -v pg_restore >/dev/null || die "pg_restore not found (apt-get install postgresql-client)"
    mkdir -p "$MEDIA_DIR"
    PSQL=(psql -d "$DATABASE_URL_ARG")
    PG_RESTORE=(pg_restore -d "$DATABASE_URL_ARG")
    in_media() { (cd "$MEDIA_DIR" && sh -c "$1"); }
    manage() {
        (cd "$SOURCE" && DATABASE_URL="$DATABASE_URL_ARG" DJANGO_MEDIA_ROOT="$MEDIA_DIR" \
            "$PYTHON" manage.py "$@")
    }
fi
sql() { "${PSQL[@]}" -X -q -A -t -v ON_ERROR_STOP=1 -c "$1"; }

echo "== checksums"
(cd "$BACKUP" && sha256sum --check --strict SHA256SUMS) || die "the backup is damaged"

if [ -f "$BACKUP/database.dump.age" ]; then
    [ -n "$IDENTITY" ] || die "the backup is encrypted: give --identity FILE (age private key)"
    command -v age >/dev/null || die "age not found (apt-get install age)"
    SUFFIX=".age"
    unseal() { age -d -i "$IDENTITY" "$1"; }
else
    SUFFIX=""
    unseal() { cat "$1"; }
fi

echo "== the target is empty"
TABLES="$(sql "SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace
               AND relkind IN ('r', 'p', 'v', 'm', 'S')")"
[ "$TABLES" = 0 ] || die "the database is not empty ($TABLES tables); restore only into an empty one"
[ -z "$(in_media 'ls -A')" ] || die "the media folder is not empty; restore only into an empty one"

echo "== database"
# One transaction: all of the dump, or nothing. Streamed: decrypted data never touches disk.
if ! unseal "$BACKUP/database.dump$SUFFIX" \
        | "${PG_RESTORE[@]}" --exit-on-error --single-transaction "${NO_OWNER[@]}"; then
    die "pg_restore failed. If it names a missing role, run deploy/postgres/roles.sql first (docs/database-roles.md), or give --no-owner for a scratch database."
fi

echo "== media"
unseal "$BACKUP/media.tar.gz$SUFFIX" | in_media 'tar -xzf -'

echo "== checks"
FAILED=0
RESTORED_COUNTS="$(mktemp)"
trap 'rm -f "$RESTORED_COUNTS"' EXIT
TRIGGERS=" $(sql "SELECT string_agg(tgname, ' ') FROM pg_trigger
                  WHERE tgrelid = 'strom_auditevent'::regclass AND NOT tgisinternal") "
if [[ "$TRIGGERS" == *" strom_auditevent_no_update_delete "* ]]; then
    echo "audit-log trigger: present"
else
    echo "audit-log trigger: MISSING" >&2
    FAILED=1
fi
# The hash chain's trigger (migration strom 0010); a backup from before it gets it from
# `migrate`. The chain itself is checked by `manage.py verify_audit` below.
CHAIN=0
if [[ "$TRIGGERS" == *" strom_auditevent_chain "* ]]; then
    echo "audit-log chain trigger: present"
    CHAIN=1
fi

sql "SELECT c.relname || E'\t' || (xpath('/row/n/text()', query_to_xml(
        format('SELECT count(*) AS n FROM public.%I', c.relname), false, true, '')))[1]::text
     FROM pg_class c
     WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p')
     ORDER BY c.relname" > "$RESTORED_COUNTS"
if diff -u "$BACKUP/counts.tsv" "$RESTORED_COUNTS"; then
    echo "row counts: $(wc -l < "$BACKUP/counts.tsv") tables, all equal to the backup's"
else
    echo "row counts: DIFFER from the backup's (above: - backup, + restored)" >&2
    FAILED=1
fi

EXPECTED_FILES="$(awk -F '\t' '$1 == "media_files" { print $2 }' "$BACKUP/manifest.tsv")"
RESTORED_FILES="$(in_media 'find . -type f | wc -l' | tr -d ' ')"
if [ "$EXPECTED_FILES" = "$RESTORED_FILES" ]; then
    echo "media files: $RESTORED_FILES, as in the backup"
else
    echo "media files: $RESTORED_FILES restored, $EXPECTED_FILES in the backup" >&2
    FAILED=1
fi

if [ "$DJANGO_CHECKS" = 1 ]; then
    if manage check --database default; then
        # The code must be the version the backup was made with, or a newer one whose
        # migrations then run (docs/backup.md). Not a failure of the restore itself.
        manage migrate --check >/dev/null \
            || echo "note: the code has migrations the backup does not: run migrate as the owner" >&2
        # The audit log as it was written: no event changed, removed or dated back.
        if [ "$CHAIN" = 1 ]; then
            manage verify_audit --skip-checks || FAILED=1
        fi
    else
        FAILED=1
    fi
fi

[ "$FAILED" = 0 ] || die "the restore is incomplete or differs: see above"
echo "restored $(basename "$BACKUP"): all checks passed"
