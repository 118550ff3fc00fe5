from django.core.management.base import BaseCommand

from referrals.escalation import sweep


class Command(BaseCommand):
    help = "Run one escalation sweep now (the beat task does this every minute)."

    def handle(self, *args, **options):
        self.stdout.write(f"{sweep()} new escalations.")
