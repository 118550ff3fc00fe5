"""`make demo-code`: the current second-factor code of the demo accounts."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice

from strom.twofactor import DEMO_TOTP_KEY, current_code


class Command(BaseCommand):
    help = "Print the current second-factor code shared by the demo accounts (DEBUG only)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Demo codes exist only on a development installation (DEBUG on).")
        device = TOTPDevice(key=DEMO_TOTP_KEY)
        self.stdout.write(current_code(device))
