#!/usr/bin/env bash
# STROM backup: the PostgreSQL database (pg_dump, custom format) and the media files (tar),
# into a new dated folder with the row counts of every table and a SHA256SUMS file.
# Restore with deploy/restore.sh. The procedure, schedule and retention: docs/backup.md.
#
# NOT in the backup, on purpose: .env with STROM_FIELD_ENCRYPTION_KEYS and the database
# passwords. Keep them in the password safe, apart from the backups: a stolen backup must
# not come with its key, and a backup without the keys that were current when it was
# taken cannot be read (docs/backup.md, "The keys").
#
# Usage (as root, in the folder with docker-compose.yml, e.g. /opt/strom):
#   deploy/backup.sh --compose [--output DIR] [--encrypt-to RECIPIENTS_FILE]
# or, without Docker (pg_dump of the server's major version or newer):
#   deploy/backup.sh --database-url postgres://USER@HOST:5432/strom --media-dir DIR \
#       [--output DIR] [--encrypt-to RECIPIENTS_FILE]
#
#   --compose         dump through the `postgres` service as its superuser
#                     (POSTGRES_SUPERUSER, default postgres) and read the media from the
#                     strom-var volume through the `web` image
#   --output DIR      where the dated folder is made (default /var/backups/strom)
#   --encrypt-to FILE encrypt the dump and the media archive with age
#                     (https://age-encryption.org) for the public keys in FILE; restore
#                     then needs the matching private key (deploy/restore.sh --identity)
#
# Prints the folder it made on the last line. Exits non-zero on any failure; a failed run
# leaves its folder named *.incomplete.
set -euo pipefail
umask 077

usage() { sed -n '2,26p' "$0" | sed 's/^# \{0,1\}//'; exit "${1:-2}"; }

COMPOSE=0
DATABASE_URL_ARG=""
MEDIA_DIR=""
OUTPUT="${STROM_BACKUP_DIR:-/var/backups/strom}"
ENCRYPT_TO=""
while [ $# -gt 0 ]; do
    case "$1" in
        --compose) COMPOSE=1 ;;
        --database-url) DATABASE_URL_ARG="$2"; shift ;;
        --media-dir) MEDIA_DIR="$2"; shift ;;
        --output) OUTPUT="$2"; shift ;;
        --encrypt-to) ENCRYPT_TO="$2"; shift ;;
        -h|--help) usage 0 ;;
        *) echo "backup.sh: unknown argument: $1" >&2; usage ;;
    esac
    shift
done

die() { echo "backup.sh: $*" >&2; exit 1; }

SUPERUSER="${POSTGRES_SUPERUSER:-postgres}"
if [ "$COMPOSE" = 1 ]; then
    [ -f docker-compose.yml ] || die "run --compose in the folder that holds docker-compose.yml"
    PSQL=(docker compose exec -T postgres psql -U "$SUPERUSER" -d strom)
    PG_DUMP=(docker compose exec -T postgres pg_dump -U "$SUPERUSER" -d strom)
    media_tar() {
        docker compose run --rm --no-deps -T web \
            tar -C /var/lib/strom/media -czf - .
    }
else
    [ -n "$DATABASE_URL_ARG" ] || die "give --compose, or --database-url and --media-dir"
    [ -n "$MEDIA_DIR" ] || die "give --media-dir (MEDIA_ROOT, e.g. /var/lib/strom/media)"
    [ -d "$MEDIA_DIR" ] || die "no such folder: $MEDIA_DIR"
    command -v pg_dump >/dev/null || die "pg_dump not found (apt-get install postgresql-client)"
    PSQL=(psql -d "$DATABASE_URL_ARG")
    PG_DUMP=(pg_dump -d "$DATABASE_URL_ARG")
    media_tar() { tar -C "$MEDIA_DIR" -czf - .; }
fi
if [ -n "$ENCRYPT_TO" ]; then
    command -v age >/dev/null || die "age not found (apt-get install age)"
    [ -s "$ENCRYPT_TO" ] || die "no recipients in $ENCRYPT_TO"
    SUFFIX=".age"
    seal() { age -R "$ENCRYPT_TO"; }
else
    SUFFIX=""
    seal() { cat; }
fi

STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$OUTPUT"
DIR="$OUTPUT/strom-$STAMP"
WORK="$DIR.incomplete"
mkdir "$WORK"

# One read-only transaction whose snapshot pg_dump shares (--snapshot): the row counts
# written next to the dump are exactly those in the dump, even while STROM keeps running.
coproc SNAPSHOT { "${PSQL[@]}" -X -q -A -t -v ON_ERROR_STOP=1; }
exec {TO_PSQL}>&"${SNAPSHOT[1]}" {FROM_PSQL}<&"${SNAPSHOT[0]}"
PSQL_PID=$SNAPSHOT_PID
ask() {
    # Sends SQL, reads the lines it prints up to the marker.
    printf '%s\n' "$1" "SELECT '-- end --';" >&"$TO_PSQL"
    local line
    while IFS= read -r -t 600 line <&"$FROM_PSQL"; do
        [ "$line" = "-- end --" ] && return 0
        printf '%s\n' "$line"
    done
    die "no answer from psql"
}
ask "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SELECT pg_export_snapshot();" \
    > "$WORK/.snapshot"
SNAPSHOT_ID="$(tail -n 1 "$WORK/.snapshot")"
rm "$WORK/.snapshot"
[ -n "$SNAPSHOT_ID" ] || die "could not export a snapshot"

ask "SELECT c.relname || E'\t' || (xpath('/row/n/text()', query_to_xml(
        format('SELECT count(*) AS n FROM public.%I', c.relname), false, true, '')))[1]::text
     FROM pg_class c
     WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p')
     ORDER BY c.relname;" > "$WORK/counts.tsv"
{
    echo "created_at	$STAMP"
    echo "host	$(hostname)"
    echo "server_version	$(ask 'SHOW server_version;')"
    echo "database	$(ask 'SELECT current_database();')"
    echo "encrypted_with_age	$([ -n "$SUFFIX" ] && echo yes || echo no)"
    # The code version the dump needs: the newest migration of each app.
    ask "SELECT 'migration' || E'\t' || app || E'\t' || max(name)
         FROM django_migrations GROUP BY app ORDER BY app;"
} > "$WORK/manifest.tsv"

"${PG_DUMP[@]}" --format=custom --snapshot="$SNAPSHOT_ID" | seal > "$WORK/database.dump$SUFFIX"
ask "COMMIT;" > /dev/null
printf '\\q\n' >&"$TO_PSQL"
exec {TO_PSQL}>&- {FROM_PSQL}<&-
wait "$PSQL_PID" 2>/dev/null || true

# Media after the database: a file newer than the dump does no harm; a record whose file is
# missing does.
# The number of files goes into the manifest; their names do not (they may say too much).
media_tar | tee >(tar -tzf - | grep -vc '/$' > "$WORK/.media-files") | seal \
    > "$WORK/media.tar.gz$SUFFIX"
wait $! || true
echo "media_files	$(cat "$WORK/.media-files")" >> "$WORK/manifest.tsv"
rm "$WORK/.media-files"

(cd "$WORK" && sha256sum "database.dump$SUFFIX" "media.tar.gz$SUFFIX" counts.tsv manifest.tsv \
    > SHA256SUMS)
mv "$WORK" "$DIR"
echo "$DIR"
