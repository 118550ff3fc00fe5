from datetime import date

from django.core.management.base import BaseCommand, CommandError

from cases.retention import anonymise_expired


class Command(BaseCommand):
    help = (
        "Anonymise the closed cases whose retention period has ended (the daily task does "
        "this). Prints reference codes only."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="List the cases that are due; change nothing."
        )
        parser.add_argument(
            "--today", help="Count the retention period up to this day (YYYY-MM-DD), not today."
        )

    def handle(self, *args, dry_run=False, today=None, **options):
        try:
            today = date.fromisoformat(today) if today else None
        except ValueError as error:
            raise CommandError("--today must be a date like 2031-01-31.") from error
        result = anonymise_expired(today, dry_run=dry_run)
        verb = "due" if dry_run else "anonymised"
        for reference in result.anonymised:
            self.stdout.write(f"{reference} {verb}")
        for reference in result.failed:
            self.stderr.write(f"{reference} failed (see the log)")
        summary = f"{len(result.anonymised)} {verb}"
        if not dry_run:
            summary += f", {len(result.failed)} failed"
        self.stdout.write(summary)
        if result.failed:
            raise CommandError(f"{len(result.failed)} cases could not be anonymised.")
