"""The second factor at sign-in (django-otp): an authenticator app (TOTP) and one-time
recovery codes.

Who needs it: everyone who can reach case data or hand out access (social workers,
coordinators, service providers, administrators) and superusers; everybody else too
when a superuser ticks "second factor for every role" in the security policy.

A user who needs a second factor and has not given one in this session reaches only the
code page (or, if she has no second factor yet, the enrolment page), signing out and the
language switch: the middleware sends every other request there. Enrolment is guided:
scan the QR code (or type the key), enter a code to prove the app works, keep the
recovery codes.

Changing a second factor that exists (another app, new recovery codes) needs the code in
this session AND the password confirmed after it on the "Confirm it's you" page: the
password typed at sign-in does not count, so neither the password alone nor a code seen
once is enough to make the account someone else's. Every change is audited, and the
owner is told in the app and always by e-mail.
"""

import math
import time
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import access
from .audit import AuditAction, record
from .models import Role, SecurityPolicy
from .notifications import SECURITY_KIND, notify

REQUIRED_ROLES = (
    Role.SOCIAL_WORKER,
    Role.COORDINATOR,
    Role.SERVICE_PROVIDER,
    Role.ADMINISTRATOR,
)
APP_DEVICE = "authenticator app"
RECOVERY_DEVICE = "recovery codes"

# URL names a user may reach before giving the second factor...
OPEN_URL_NAMES = {
    "two_factor_verify",
    "logout",
    "set_language",
    "login",
    "healthz",
    "favicon",
}
# ... and, only while she has no second factor yet, enrolment. Whoever has one gives it
# first: the password alone must never reach a page that replaces it.
ENROLMENT_URL_NAMES = {"two_factor_setup"}

# Session keys: when the second factor was given, and when the password was last
# confirmed on the "Confirm it's you" page (not at sign-in). Seconds since the epoch.
VERIFIED_AT = "strom_second_factor_at"
PASSWORD_CONFIRMED_AT = "strom_password_confirmed_at"  # noqa: S105 (a session key)


def is_required(user):
    if not user.is_authenticated:
        return False
    if user.is_superuser or access.has_role(user, *REQUIRED_ROLES):
        return True
    # Whoever set up an app of her own accord is asked for it too: otherwise her password
    # alone would still open her account.
    return SecurityPolicy.current().two_factor_for_all or is_enrolled(user)


def app_device(user, *, confirmed=True):
    return TOTPDevice.objects.filter(user=user, confirmed=confirmed, name=APP_DEVICE).first()


def is_enrolled(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def recovery_codes_left(user):
    return StaticToken.objects.filter(
        device__user=user, device__confirmed=True, device__name=RECOVERY_DEVICE
    ).count()


# Enrolment --------------------------------------------------------------------------


def pending_device(user):
    """The authenticator being set up: one unconfirmed device per user, kept until it is
    confirmed, so reloading the page shows the same QR code."""
    device = app_device(user, confirmed=False)
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE, confirmed=False)
    return device


def qr_svg(device):
    """The otpauth:// URL as an inline SVG (no script, no style attribute)."""
    return segno.make(device.config_url, error="m").svg_inline(
        scale=5, dark="#111", light="#fff", omitsize=True
    )


def grouped_key(device):
    from base64 import b32encode

    key = b32encode(device.bin_key).decode()
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def mark_password_confirmed(session):
    """The password was given on the "Confirm it's you" page (strom.views_auth)."""
    session[PASSWORD_CONFIRMED_AT] = time.time()


def may_change(request):
    """True when this session may replace the user's second factor: she gave it in this
    session, then confirmed her password, no longer than STROM_REAUTH_MINUTES ago. The
    password typed at sign-in comes before the code and does not count."""
    if not request.user.is_verified():
        return False
    confirmed = request.session.get(PASSWORD_CONFIRMED_AT)
    if confirmed is None:
        return False
    return (
        confirmed > request.session.get(VERIFIED_AT, 0)
        and time.time() - confirmed <= settings.STROM_REAUTH_MINUTES * 60
    )


def confirm_enrolment(request, device, token):
    """True when `token` matches the new authenticator: the device becomes the user's
    only one, the session counts as verified, and new recovery codes are made. The
    codes are returned once, to show. The caller has checked that this session may set up
    an app (no second factor yet, or `may_change`)."""
    if not device.verify_token(token):
        record(AuditAction.TWO_FACTOR_FAILED, request=request, detail="enrolment")
        return None
    user = device.user
    with transaction.atomic():
        replacing = TOTPDevice.objects.filter(user=user, confirmed=True).exclude(pk=device.pk)
        replaced = replacing.exists()
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = _new_recovery_codes(user)
        if replaced:
            record(AuditAction.TWO_FACTOR_REPLACED, request=request, obj=user)
            tell_owner(
                user,
                title=_("Your authenticator app was replaced"),
                message=_(
                    "On %(when)s, the authenticator app of your STROM account was replaced. "
                    "The earlier app and the earlier recovery codes no longer work."
                ),
            )
        else:
            record(AuditAction.TWO_FACTOR_ENROLLED, request=request, obj=user)
            tell_owner(
                user,
                title=_("A second factor was set up for your account"),
                message=_(
                    "On %(when)s, an authenticator app was set up as the second factor of "
                    "your STROM account, and recovery codes were made."
                ),
            )
    _verified(request, device)
    return codes


def _new_recovery_codes(user):
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(settings.STROM_RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    return codes


@transaction.atomic
def replace_recovery_codes(request):
    """New recovery codes for the signed-in user; the caller has checked `may_change`."""
    codes = _new_recovery_codes(request.user)
    record(AuditAction.RECOVERY_CODES_NEW, request=request, obj=request.user)
    tell_owner(
        request.user,
        title=_("New recovery codes were made"),
        message=_(
            "On %(when)s, new recovery codes were made for your STROM account. The "
            "earlier codes no longer work."
        ),
    )
    return codes


# Telling the owner ------------------------------------------------------------------

SECURITY_NOTICE = SECURITY_KIND


def tell_owner(user, *, title, message, **params):
    """A notice to `user` that her second factor changed: in the app, and by e-mail
    whenever she has an address, whatever her notification preferences (someone who
    took over her account could have turned e-mail copies off). It says when, and what
    to do if it was not her; it names nothing else. `message` has a %(when)s placeholder
    (and any `params`). The e-mail leaves after the transaction commits (notify)."""
    local = timezone.localtime()
    when = f"{date_format(local, 'DATETIME_FORMAT')} ({local.tzname()})"
    body = " ".join(
        [
            message % {"when": when, **params},
            _(
                "If this was not you, someone else knows your password: contact your "
                "municipality's STROM administrator at once, who can block the account "
                "and reset your password and second factor."
            ),
        ]
    )
    return notify(
        [user], kind=SECURITY_NOTICE, title=title, body=body, url=reverse("account_security")
    )


# Sign-in ----------------------------------------------------------------------------


def normalise(token):
    return "".join(token.split()).replace("-", "").lower()


def verify(request, token):
    """Check a code from the app or a recovery code; on success the session is verified.
    Both kinds of device throttle repeated failures (django-otp)."""
    user = request.user
    token = normalise(token)
    for device in TOTPDevice.objects.filter(user=user, confirmed=True):
        if token.isdigit() and device.verify_token(token):
            _verified(request, device)
            record(AuditAction.TWO_FACTOR_VERIFIED, request=request, detail="authenticator app")
            return True
    for device in StaticDevice.objects.filter(user=user, confirmed=True):
        if not token.isdigit() and device.verify_token(token):
            _verified(request, device)
            left = recovery_codes_left(user)
            with transaction.atomic():
                record(AuditAction.TWO_FACTOR_VERIFIED, request=request, detail="recovery code")
                record(AuditAction.RECOVERY_CODE_USED, request=request, detail=f"{left} left")
                # She may have lost the codes to someone: she hears of each one used.
                tell_owner(
                    user,
                    title=_("A recovery code was used to sign in"),
                    message=ngettext(
                        "On %(when)s, someone signed in to your STROM account with one of "
                        "your recovery codes. %(count)d code is left.",
                        "On %(when)s, someone signed in to your STROM account with one of "
                        "your recovery codes. %(count)d codes are left.",
                        left,
                    ),
                    count=left,
                )
            return True
    record(AuditAction.TWO_FACTOR_FAILED, request=request)
    return False


def is_throttled(user, token=""):
    """The seconds to wait before django-otp checks a code again, or None. After each wrong
    code the device pauses (1 s, 2 s, 4 s, ...: the pause doubles with each failure), and
    during the pause even the right code is refused. `token` picks the device it was meant
    for: digits go to the app, anything else to the recovery codes."""
    devices = (
        TOTPDevice.objects.filter(user=user, confirmed=True)
        if normalise(token).isdigit() or not token
        else StaticDevice.objects.filter(user=user, confirmed=True)
    )
    wait = None
    for device in devices:
        allowed, data = device.verify_is_allowed()
        locked_until = (data or {}).get("locked_until")
        if not allowed and locked_until is not None:
            seconds = math.ceil((locked_until - timezone.now()).total_seconds())
            if seconds > 0:
                wait = max(wait or 0, seconds)
    return wait


def _verified(request, device):
    # A new session key once the second factor is given, as Django does at sign-in: a key
    # seen before this point (on a shared computer, say) is worth nothing afterwards.
    request.session.cycle_key()
    otp_login(request, device)
    request.session[VERIFIED_AT] = time.time()


def reset(user):
    """Remove the user's second factor; she enrols again at her next sign-in."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


# Enforcement ------------------------------------------------------------------------


class TwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        if request.path.startswith(settings.STATIC_URL) or not is_required(user):
            return None
        # Templates show no menu and no notifications until the second factor is given.
        request.second_factor_pending = True
        enrolled = is_enrolled(user)
        match = request.resolver_match
        if match is not None and (
            match.url_name in OPEN_URL_NAMES
            or (not enrolled and match.url_name in ENROLMENT_URL_NAMES)
        ):
            return None
        target = "two_factor_verify" if enrolled else "two_factor_setup"
        next_url = request.get_full_path() if request.method == "GET" else reverse("home")
        return redirect(f"{reverse(target)}?{urlencode({'next': next_url})}")


# Demo and tests -----------------------------------------------------------------------

# Every demo account shares this published key, so that `make run` can be tried without
# enrolling a phone for each account. Demo data never loads with DEBUG off (load_demo).
DEMO_TOTP_KEY = "5354524f4d2d64656d6f2d6f6e6c792d6b657921"  # "STROM-demo-only-key!"


def demo_totp_key_base32():
    from base64 import b32encode
    from binascii import unhexlify

    return b32encode(unhexlify(DEMO_TOTP_KEY)).decode()


def enrol_demo_second_factor(user):
    TOTPDevice.objects.filter(user=user).delete()
    return TOTPDevice.objects.create(user=user, name=APP_DEVICE, key=DEMO_TOTP_KEY, confirmed=True)


def current_code(device):
    """The code an authenticator app shows now for `device` (demo and tests)."""
    from django_otp.oath import TOTP

    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def pass_for_test_client(client, user):
    """Mark a signed-in Django test client's session as having given the second factor
    (tests and benchmarks), enrolling `user` with the demo key if she has no app yet."""
    from django_otp import DEVICE_ID_SESSION_KEY

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    device = device or enrol_demo_second_factor(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[VERIFIED_AT] = time.time()
    session.save()
