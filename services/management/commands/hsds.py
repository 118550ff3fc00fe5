"""Open Referral HSDS 3.0 export and import of a municipality's services.

    python manage.py hsds export --municipality RIX [--include-confidential] [--output FILE]
    python manage.py hsds import --municipality JEL FILE

Both are audited as the user "manage.py".
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from services import hsds
from services.models import Service
from strom.audit import AuditAction, record
from strom.models import Municipality

USERNAME = "manage.py"


class Command(BaseCommand):
    help = "Export or import a municipality's services as an Open Referral HSDS 3.0 JSON file."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        export = actions.add_parser("export", help="Write the municipality's services as HSDS.")
        export.add_argument("--municipality", required=True, help="Municipality code, e.g. RIX.")
        export.add_argument(
            "--include-confidential",
            action="store_true",
            help="Write confidential addresses (shelters) too. Keep such a file safe.",
        )
        export.add_argument("--output", help="File to write (default: standard output).")
        imp = actions.add_parser("import", help="Create services from an HSDS file.")
        imp.add_argument("--municipality", required=True, help="Municipality code, e.g. JEL.")
        imp.add_argument("file", help="The HSDS 3.0 JSON file.")

    def handle(self, *args, action, municipality, **options):
        try:
            target = Municipality.objects.select_related("country").get(
                code=municipality.strip().upper()
            )
        except Municipality.DoesNotExist:
            raise CommandError(f"No municipality with code {municipality!r}.") from None
        if action == "export":
            self.export(target, options["include_confidential"], options.get("output"))
        else:
            self.import_(target, options["file"])

    def export(self, municipality, include_confidential, output):
        services = Service.objects.filter(municipality=municipality)
        if include_confidential:

            def may_see_address(service):
                return True

        else:

            def may_see_address(service):
                return not service.address_confidential

        document = hsds.export_document(services, may_see_address=may_see_address)
        text = hsds.dumps(document)
        if output:
            Path(output).write_text(text, encoding="utf-8")
        else:
            self.stdout.write(text, ending="")
        count = len(document["services"])
        record(
            AuditAction.EXPORT,
            username=USERNAME,
            obj=municipality,
            municipality=municipality,
            detail=f"HSDS export: {count} services"
            + (", confidential addresses included" if include_confidential else ""),
        )
        if output:
            self.stderr.write(f"Exported {count} services of {municipality} to {output}.")

    def import_(self, municipality, path):
        try:
            if Path(path).stat().st_size > hsds.MAX_BYTES:  # refused before it is read
                raise CommandError("Nothing was imported: " + hsds.too_large_message())
            data = Path(path).read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}.") from None
        try:
            created = hsds.import_document(data, municipality=municipality, username=USERNAME)
        except hsds.HsdsImportError as error:
            raise CommandError(
                "Nothing was imported:\n" + "\n".join(hsds.format_errors(error.errors))
            ) from None
        self.stdout.write(f"Imported {len(created)} services into {municipality}.")
