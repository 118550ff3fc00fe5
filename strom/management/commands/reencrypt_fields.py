"""Re-encrypt every encrypted column, and every stored case document, under the newest key, so
that older keys can be retired.

Key rotation (docs/operations.md):
1. Generate a key (`generate_encryption_key`) and put it FIRST in STROM_FIELD_ENCRYPTION_KEYS,
   keeping the old keys after it; restart web and worker.
2. Run `manage.py reencrypt_fields`.
3. Run `manage.py reencrypt_fields --check`: it must report nothing left under old keys.
4. Remove the old keys from STROM_FIELD_ENCRYPTION_KEYS and restart.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from strom.crypto import encrypted_fields, readable_with_newest_key_only, rotate

BATCH = 500


def _write_raw(model, pk, updates):
    """Store tokens as they are: through the ORM the field would encrypt them again."""
    quote = connection.ops.quote_name
    sets = ", ".join(f"{quote(model._meta.get_field(name).column)} = %s" for name in updates)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {quote(model._meta.db_table)} SET {sets} "  # noqa: S608
            f"WHERE {quote(model._meta.pk.column)} = %s",
            [*updates.values(), pk],
        )


class Command(BaseCommand):
    help = "Re-encrypt all encrypted fields under the newest key (or --check that none is left)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="Change nothing; fail if any value is still encrypted under an older key.",
        )

    def handle(self, *args, check=False, **options):
        stale_total = rotated_total = 0
        for model, names in encrypted_fields():
            table = model._meta.db_table
            columns = [model._meta.get_field(name).column for name in names]
            stale = rotated = 0
            # Raw values: the ORM would decrypt them.
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT {connection.ops.quote_name(model._meta.pk.column)}, "  # noqa: S608
                    + ", ".join(connection.ops.quote_name(c) for c in columns)
                    + f" FROM {connection.ops.quote_name(table)}"
                )
                rows = cursor.fetchall()
            for start in range(0, len(rows), BATCH):
                with transaction.atomic():
                    for pk, *values in rows[start : start + BATCH]:
                        updates = {}
                        for name, value in zip(names, values, strict=True):
                            if value and not readable_with_newest_key_only(value):
                                stale += 1
                                updates[name] = rotate(value)
                        if updates and not check:
                            _write_raw(model, pk, updates)
                            rotated += len(updates)
            stale_total += stale
            rotated_total += rotated
            self.stdout.write(
                f"{model._meta.label}: {len(rows)} rows, "
                + (
                    f"{stale} values under an older key"
                    if check
                    else f"{rotated} values re-encrypted"
                )
            )
        # Case documents: files encrypted with the same keys (cases/documents.py).
        from cases.documents import rotate_document_files

        files, stale_files, rotated_files = rotate_document_files(check=check)
        stale_total += stale_files
        rotated_total += rotated_files
        self.stdout.write(
            f"cases.CaseDocument files: {files} files, "
            + (f"{stale_files} under an older key" if check else f"{rotated_files} re-encrypted")
        )
        if check and stale_total:
            raise CommandError(
                f"{stale_total} values are still encrypted under an older key: "
                "run `manage.py reencrypt_fields` before removing it."
            )
        self.stdout.write(
            self.style.SUCCESS(
                "Every value is readable with the newest key alone."
                if check
                else f"Done: {rotated_total} values re-encrypted under the newest key."
            )
        )
