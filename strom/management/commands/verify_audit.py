"""Check the audit log's hash chain (strom/audit.py, docs/operations.md "Checking the audit
log"): exits non-zero and names the first broken event when an event was changed, removed,
added behind STROM's back, or dated back."""

from datetime import timedelta
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from strom.audit import verify_chain


def read_anchors(path):
    """Pairs of (position, hash) from earlier runs: one `position hash time` line each."""
    if not path.exists():
        return []
    anchors = []
    try:
        lines = path.read_text().splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise CommandError(f"Cannot read {path}: {error}") from error
    for number, line in enumerate(lines, 1):
        parts = line.split()
        if not parts or parts[0].startswith("#"):
            continue
        if len(parts) < 2 or not parts[0].isdigit() or len(parts[1]) != 64:
            raise CommandError(f"{path}, line {number}: expected `position hash time`.")
        anchors.append((int(parts[0]), parts[1]))
    return anchors


class Command(BaseCommand):
    help = (
        "Check the audit log's hash chain; exit 1 naming the first event that was changed, "
        "removed, added with the triggers off or dated back."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--time-tolerance",
            type=float,
            default=300,
            metavar="SECONDS",
            help="How much earlier than the event before it an event may be dated (clock "
            "adjustments) before it counts as a problem (default 300).",
        )
        parser.add_argument(
            "--accept",
            type=int,
            action="append",
            default=[],
            metavar="EVENT_ID",
            help="A problem found at this event was looked into (docs/operations.md): list it, "
            "but do not fail because of it. May be given several times.",
        )
        parser.add_argument(
            "--anchors",
            type=Path,
            metavar="FILE",
            help="A file kept outside the database: each run checks the positions and hashes "
            "written there before, then, if the chain is intact, adds today's last one. "
            "Finds a log cut short or rewritten as a whole.",
        )

    def handle(self, *args, time_tolerance, accept, anchors=None, **options):
        if time_tolerance < 0:
            raise CommandError("--time-tolerance must not be negative.")
        known = read_anchors(anchors) if anchors else []
        report = verify_chain(time_tolerance=timedelta(seconds=time_tolerance), anchors=known)
        accepted = [p for p in report.problems if p.event_id in accept]
        problems = [p for p in report.problems if p not in accepted]
        for problem in accepted:
            self.stdout.write(f"Accepted (--accept {problem.event_id}): {problem.message}")
        if problems:
            for problem in problems:
                self.stderr.write(problem.message)
            first = problems[0]
            n = len(problems)
            count = "1 problem" if n == 1 else f"{n} problems"
            raise CommandError(
                f"The audit log's chain is broken ({count}, listed above). First: "
                f'{first.message}. See docs/operations.md, "Checking the audit log".'
            )
        if anchors and report.head_seq and (not known or known[-1][0] != report.head_seq):
            try:
                with anchors.open("a") as file:
                    file.write(
                        f"{report.head_seq} {report.head_hash} {timezone.now().isoformat()}\n"
                    )
            except OSError as error:
                raise CommandError(f"Cannot write {anchors}: {error}") from error
        self.stdout.write(
            self.style.SUCCESS(
                "The audit log's chain is intact"
                + (f" but for {len(accepted)} accepted problems" if accepted else "")
                + f": {report.events} events, positions 1 to {report.head_seq}"
                + (f", last hash {report.head_hash}" if report.head_seq else "")
                + (f"; {len(known)} earlier anchors still hold" if known else "")
                + "."
            )
        )
