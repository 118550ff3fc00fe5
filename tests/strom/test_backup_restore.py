"""deploy/backup.sh and deploy/restore.sh (docs/backup.md), run for real: the test database
and a media folder with one file are backed up, restored into a new database and folder,
and compared.

The scripts use their own connections, so they see what is committed in the test database:
the demo world that tests/conftest.py loads at the start of the session.
"""

import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
BACKUP = ROOT / "deploy" / "backup.sh"
RESTORE = ROOT / "deploy" / "restore.sh"
TOOLS = ("pg_dump", "pg_restore", "psql")

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="backups are of PostgreSQL"),
    pytest.mark.skipif(
        not all(shutil.which(tool) for tool in TOOLS),
        reason="needs pg_dump, pg_restore and psql (apt-get install postgresql-client)",
    ),
]

TABLES = ("strom_auditevent", "strom_actor", "auth_user", "cases_case", "django_migrations")


def database_url(name):
    s = connection.settings_dict
    user = quote(s["USER"] or "", safe="")
    password = f":{quote(s['PASSWORD'], safe='')}" if s["PASSWORD"] else ""
    host = s["HOST"] or "localhost"
    port = f":{s['PORT']}" if s["PORT"] else ""
    return f"postgresql://{user}{password}@{host}{port}/{quote(name, safe='')}"


def admin_connection():
    import psycopg

    return psycopg.connect(database_url("postgres"), autocommit=True)


def counts(name):
    import psycopg

    with psycopg.connect(database_url(name)) as conn:
        return {
            table: conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]  # noqa: S608
            for table in TABLES
        }


def run(script, *args):
    env = {**os.environ, "DJANGO_DEBUG": "true"}
    return subprocess.run(
        [shutil.which("bash"), str(script), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )


@pytest.fixture
def empty_database(db):
    name = f"strom_restore_{uuid.uuid4().hex[:12]}"
    with admin_connection() as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield name
    with admin_connection() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def media(tmp_path):
    folder = tmp_path / "media"
    (folder / "agreements").mkdir(parents=True)
    content = os.urandom(4096) + "signed MoU, Rīga".encode()
    (folder / "agreements" / "mou.pdf").write_bytes(content)
    return folder, content


@pytest.fixture
def backup(db, media, tmp_path):
    folder, _ = media
    source = connection.settings_dict["NAME"]
    result = run(
        BACKUP,
        "--database-url", database_url(source),
        "--media-dir", str(folder),
        "--output", str(tmp_path / "backups"),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    made = Path(result.stdout.strip().splitlines()[-1])
    assert made.is_dir() and made.parent == tmp_path / "backups"
    return made


def test_backup_holds_dump_media_counts_and_checksums(backup):
    names = sorted(p.name for p in backup.iterdir())
    assert names == ["SHA256SUMS", "counts.tsv", "database.dump", "manifest.tsv", "media.tar.gz"]
    assert (backup / "database.dump").read_bytes()[:5] == b"PGDMP"
    counts_in_backup = dict(
        line.split("\t") for line in (backup / "counts.tsv").read_text().splitlines()
    )
    source = counts(connection.settings_dict["NAME"])
    assert int(counts_in_backup["strom_auditevent"]) == source["strom_auditevent"]
    assert "media_files\t1" in (backup / "manifest.tsv").read_text().splitlines()
    # Only owner-readable: a backup holds personal data.
    assert oct(backup.stat().st_mode & 0o777) == "0o700"


def test_restore_into_an_empty_database_matches_the_backup(backup, empty_database, media, tmp_path):
    _, content = media
    restored_media = tmp_path / "restored-media"
    result = run(
        RESTORE,
        "--database-url", database_url(empty_database),
        "--media-dir", str(restored_media),
        "--python", sys.executable,
        str(backup),
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "all checks passed" in result.stdout
    assert "audit-log trigger: present" in result.stdout

    source = counts(connection.settings_dict["NAME"])
    assert counts(empty_database) == source
    assert sum(source.values()) > 0
    assert (restored_media / "agreements" / "mou.pdf").read_bytes() == content


def test_restore_refuses_a_damaged_backup(backup, tmp_path):
    damaged = tmp_path / "damaged"
    shutil.copytree(backup, damaged)
    data = bytearray((damaged / "media.tar.gz").read_bytes())
    data[len(data) // 2] ^= 0xFF
    (damaged / "media.tar.gz").write_bytes(bytes(data))
    result = run(
        RESTORE,
        "--database-url", database_url("strom_does_not_matter"),
        "--media-dir", str(tmp_path / "m"),
        str(damaged),
    )  # fmt: skip
    assert result.returncode != 0
    assert "the backup is damaged" in result.stderr


def test_restore_refuses_a_database_that_is_not_empty(backup, tmp_path):
    result = run(
        RESTORE,
        "--database-url", database_url(connection.settings_dict["NAME"]),
        "--media-dir", str(tmp_path / "m"),
        str(backup),
    )  # fmt: skip
    assert result.returncode != 0
    assert "the database is not empty" in result.stderr


@pytest.mark.skipif(not shutil.which("age"), reason="needs age (apt-get install age)")
def test_encrypted_backup_restores_with_the_private_key(db, media, empty_database, tmp_path):
    folder, content = media
    key = tmp_path / "backup-key.txt"
    keygen = shutil.which("age-keygen")
    subprocess.run([keygen, "-o", str(key)], check=True, capture_output=True)
    recipients = tmp_path / "recipients.txt"
    recipients.write_text(
        subprocess.run([keygen, "-y", str(key)], check=True, capture_output=True, text=True).stdout
    )
    made = run(
        BACKUP,
        "--database-url", database_url(connection.settings_dict["NAME"]),
        "--media-dir", str(folder),
        "--output", str(tmp_path / "backups"),
        "--encrypt-to", str(recipients),
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    backup = Path(made.stdout.strip().splitlines()[-1])
    assert (backup / "database.dump.age").exists()
    assert not (backup / "database.dump").exists()
    assert b"PGDMP" not in (backup / "database.dump.age").read_bytes()[:64]

    restored_media = tmp_path / "restored-media"
    result = run(
        RESTORE,
        "--database-url", database_url(empty_database),
        "--media-dir", str(restored_media),
        "--identity", str(key),
        "--skip-django",
        str(backup),
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert (restored_media / "agreements" / "mou.pdf").read_bytes() == content
