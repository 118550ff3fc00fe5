"""Nobody gets past the second factor, or replaces it, with the password alone (issue 13,
finding 1), and the owner hears of every change to her second factor.

Every second-factor URL is tried in each state a session can be in: enrolled or not,
code given or not, password confirmed after the code or only typed at sign-in.
"""

import time
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from strom import twofactor
from strom.audit import AuditAction, AuditEvent
from strom.notifications import Notification, NotificationPreference
from strom.reauth import AUTHENTICATED_AT
from strom.twofactor import current_code, reset
from tests.conftest import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def password_only(username):
    """A browser that has given the right password, and nothing else yet."""
    browser = Client()
    response = browser.post(reverse("login"), {"username": username, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    return browser


def app_code(username):
    """The code the person's app shows now. django-otp refuses a code it has accepted
    before; a test that signs in twice in the same 30 seconds gets it accepted again."""
    device = TOTPDevice.objects.get(user__username=username, confirmed=True)
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
    device.refresh_from_db()
    return current_code(device)


def verified(username):
    browser = password_only(username)
    response = browser.post(reverse("two_factor_verify"), {"token": app_code(username)})
    assert response.status_code == 302 and response.url == reverse("home")
    return browser


def confirm_password(browser):
    response = browser.post(reverse("reauthenticate"), {"password": DEMO_PASSWORD})
    assert response.status_code == 302 and response.url == reverse("home")
    return browser


def age_confirmation(browser, minutes):
    session = browser.session
    for key in (AUTHENTICATED_AT, twofactor.PASSWORD_CONFIRMED_AT):
        if key in session:
            session[key] = session[key] - minutes * 60
    session.save()
    return browser


def outcome(response):
    if response.status_code != 302:
        return str(response.status_code)
    path = urlsplit(response.url).path
    names = {
        reverse("two_factor_verify"): "verify",
        reverse("two_factor_setup"): "setup",
        reverse("reauthenticate"): "reauth",
        reverse("login"): "login",
        reverse("home"): "home",
    }
    return "→" + names.get(path, path)


# The sessions ---------------------------------------------------------------------------


def _enrolled_password_only():
    return "sw.riga", password_only("sw.riga")


def _enrolled_verified():
    # The password typed at sign-in a moment ago is recent, but it came before the code.
    return "sw.riga", verified("sw.riga")


def _enrolled_verified_password_confirmed():
    return "sw.riga", confirm_password(verified("sw.riga"))


def _enrolled_verified_password_confirmed_long_ago():
    return "sw.riga", age_confirmation(confirm_password(verified("sw.riga")), 16)


def _not_enrolled_required():
    reset(get_user_model().objects.get(username="sw.riga"))
    return "sw.riga", password_only("sw.riga")


def _not_enrolled_optional():
    reset(get_user_model().objects.get(username="national.lv"))
    return "national.lv", password_only("national.lv")


def _signed_out():
    return "sw.riga", Client()


STATES = {
    "enrolled, password only": _enrolled_password_only,
    "enrolled, code given, password only at sign-in": _enrolled_verified,
    "enrolled, code given, password confirmed after": _enrolled_verified_password_confirmed,
    "enrolled, code given, confirmed 16 min ago": _enrolled_verified_password_confirmed_long_ago,
    "not enrolled, second factor required": _not_enrolled_required,
    "not enrolled, second factor optional": _not_enrolled_optional,
    "signed out": _signed_out,
}


def _get_verify(browser, user):
    return browser.get(reverse("two_factor_verify"))


def _get_setup(browser, user):
    return browser.get(reverse("two_factor_setup"))


def _post_setup(browser, user):
    # A code from an app the visitor holds: the pending device exists once anyone opened
    # the page; here it is made directly, so that even the refused states have one.
    pending = twofactor.pending_device(user)
    return browser.post(reverse("two_factor_setup"), {"token": current_code(pending)})


def _post_recovery_codes(browser, user):
    return browser.post(reverse("recovery_codes_new"))


def _get_account_security(browser, user):
    return browser.get(reverse("account_security"))


def _get_reauth(browser, user):
    return browser.get(reverse("reauthenticate"))


def _post_reauth(browser, user):
    return browser.post(reverse("reauthenticate"), {"password": DEMO_PASSWORD})


REQUESTS = {
    "GET verify": _get_verify,
    "GET setup": _get_setup,
    "POST setup": _post_setup,
    "POST new recovery codes": _post_recovery_codes,
    "GET account security": _get_account_security,
    "GET reauthenticate": _get_reauth,
    "POST reauthenticate": _post_reauth,
}

# What each state gets from each request: a status, or where it is sent.
EXPECTED = {
    "enrolled, password only": {
        "GET verify": "200",
        "GET setup": "→verify",
        "POST setup": "→verify",
        "POST new recovery codes": "→verify",
        "GET account security": "→verify",
        "GET reauthenticate": "→verify",
        "POST reauthenticate": "→verify",
    },
    "enrolled, code given, password only at sign-in": {
        "GET verify": "→home",
        "GET setup": "→reauth",
        "POST setup": "→reauth",
        "POST new recovery codes": "→reauth",
        "GET account security": "200",
        "GET reauthenticate": "200",
        "POST reauthenticate": "→home",
    },
    "enrolled, code given, password confirmed after": {
        "GET verify": "→home",
        "GET setup": "200",
        "POST setup": "200",
        "POST new recovery codes": "200",
        "GET account security": "200",
        "GET reauthenticate": "200",
        "POST reauthenticate": "→home",
    },
    "enrolled, code given, confirmed 16 min ago": {
        "GET verify": "→home",
        "GET setup": "→reauth",
        "POST setup": "→reauth",
        "POST new recovery codes": "→reauth",
        "GET account security": "200",
        "GET reauthenticate": "200",
        "POST reauthenticate": "→home",
    },
    "not enrolled, second factor required": {
        "GET verify": "→setup",
        "GET setup": "200",
        "POST setup": "200",
        "POST new recovery codes": "→setup",
        "GET account security": "→setup",
        "GET reauthenticate": "→setup",
        "POST reauthenticate": "→setup",
    },
    "not enrolled, second factor optional": {
        "GET verify": "→setup",
        "GET setup": "200",
        "POST setup": "200",
        "POST new recovery codes": "→setup",
        "GET account security": "200",
        "GET reauthenticate": "200",
        "POST reauthenticate": "→home",
    },
    "signed out": dict.fromkeys(REQUESTS, "→login"),
}


def _second_factor_of(user):
    return (
        set(TOTPDevice.objects.filter(user=user, confirmed=True).values_list("key", flat=True)),
        set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True)),
    )


@pytest.mark.parametrize("request_name", list(REQUESTS))
@pytest.mark.parametrize("state", list(STATES))
def test_every_second_factor_url_in_every_state(demo, settings, state, request_name):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    username, browser = STATES[state]()
    user = get_user_model().objects.get(username=username)
    before = _second_factor_of(user)
    response = REQUESTS[request_name](browser, user)
    assert outcome(response) == EXPECTED[state][request_name]
    changed = _second_factor_of(user) != before
    # Only a change that was let through changes the second factor.
    may_change = request_name in ("POST setup", "POST new recovery codes") and (
        EXPECTED[state][request_name] == "200"
    )
    assert changed == may_change
    if response.status_code == 200 and request_name == "GET setup":
        assert "<svg" in response.content.decode()


# The attack of the penetration test -------------------------------------------------------


def test_the_password_alone_cannot_replace_an_enrolled_authenticator(demo, riga_case):
    """Finding 1 as found: password only → set-up page → a new app of the attacker's →
    the owner's app deleted and the attacker in."""
    victim = demo.users["sw.riga"]
    own_app = TOTPDevice.objects.get(user=victim, confirmed=True)
    attacker = password_only("sw.riga")

    response = attacker.get(reverse("two_factor_setup"))
    assert outcome(response) == "→verify"  # no new key is shown
    assert not TOTPDevice.objects.filter(user=victim, confirmed=False).exists()

    attackers_app = twofactor.pending_device(victim)
    response = attacker.post(reverse("two_factor_setup"), {"token": current_code(attackers_app)})
    assert outcome(response) == "→verify"
    assert "codes" not in (response.context or {})
    assert list(TOTPDevice.objects.filter(user=victim, confirmed=True)) == [own_app]
    assert attacker.get(reverse("case_detail", args=[riga_case.reference])).status_code == 302
    assert not AuditEvent.objects.filter(
        user=victim,
        action__in=[AuditAction.TWO_FACTOR_ENROLLED, AuditAction.TWO_FACTOR_REPLACED],
    ).exists()


def test_a_code_given_with_the_sign_in_password_still_needs_the_password_to_replace_the_app(
    demo,
):
    """Someone who saw one code (over the shoulder, or phished) signs in, but cannot make
    the account hers: replacing the app asks for the password again."""
    victim = demo.users["sw.riga"]
    own_app = TOTPDevice.objects.get(user=victim, confirmed=True)
    browser = verified("sw.riga")
    response = browser.get(reverse("two_factor_setup"))
    assert outcome(response) == "→reauth"
    assert urlsplit(response.url).query == "next=%2Faccounts%2Ftwo-factor%2Fsetup%2F"
    assert outcome(browser.post(reverse("recovery_codes_new"))) == "→reauth"
    assert list(TOTPDevice.objects.filter(user=victim, confirmed=True)) == [own_app]


# The owner replaces her app, or makes new codes --------------------------------------------


def test_the_owner_replaces_her_app_after_confirming_her_password(
    demo, mailoutbox, django_capture_on_commit_callbacks
):
    owner = demo.users["sw.riga"]
    old_app = TOTPDevice.objects.get(user=owner, confirmed=True)
    browser = verified("sw.riga")
    confirm_page = browser.get(reverse("two_factor_setup")).url
    assert "Confirm it" in browser.get(confirm_page).content.decode()
    response = browser.post(confirm_page, {"password": DEMO_PASSWORD})
    assert outcome(response) == "→setup"
    page = browser.get(response.url).content.decode()
    assert "You are replacing your authenticator app" in page

    new_app = TOTPDevice.objects.get(user=owner, confirmed=False)
    with django_capture_on_commit_callbacks(execute=True):
        response = browser.post(reverse("two_factor_setup"), {"token": current_code(new_app)})
    assert len(response.context["codes"]) == 10
    assert list(TOTPDevice.objects.filter(user=owner, confirmed=True)) == [new_app]
    assert not TOTPDevice.objects.filter(pk=old_app.pk).exists()
    assert AuditEvent.objects.filter(user=owner, action=AuditAction.TWO_FACTOR_REPLACED).exists()
    assert not AuditEvent.objects.filter(
        user=owner, action=AuditAction.TWO_FACTOR_ENROLLED
    ).exists()
    # She stays signed in, with the new app.
    assert browser.get(reverse("case_list")).status_code == 200
    (notice,) = Notification.objects.filter(user=owner, kind="security")
    assert "authenticator app" in notice.title.lower()
    assert [m.to for m in mailoutbox] == [[owner.email]]


def test_a_session_that_gave_the_old_app_ends_when_the_app_is_replaced(demo):
    other_browser = verified("sw.riga")
    assert other_browser.get(reverse("case_list")).status_code == 200
    owner = confirm_password(verified("sw.riga"))
    owner.get(reverse("two_factor_setup"))
    new_app = TOTPDevice.objects.get(user__username="sw.riga", confirmed=False)
    owner.post(reverse("two_factor_setup"), {"token": current_code(new_app)})
    response = other_browser.get(reverse("case_list"))
    assert outcome(response) == "→verify"


def test_who_lost_her_phone_signs_in_with_a_recovery_code_and_sets_up_a_new_app(demo):
    owner = demo.users["sw.riga"]
    codes = (
        confirm_password(verified("sw.riga")).post(reverse("recovery_codes_new")).context["codes"]
    )
    browser = password_only("sw.riga")
    assert outcome(browser.post(reverse("two_factor_verify"), {"token": codes[0]})) == "→home"
    assert outcome(browser.get(reverse("two_factor_setup"))) == "→reauth"
    confirm_password(browser)
    assert outcome(browser.get(reverse("two_factor_setup"))) == "200"
    new_app = TOTPDevice.objects.get(user=owner, confirmed=False)
    assert (
        "codes"
        in browser.post(reverse("two_factor_setup"), {"token": current_code(new_app)}).context
    )
    assert list(TOTPDevice.objects.filter(user=owner, confirmed=True)) == [new_app]


def test_new_recovery_codes_after_confirming_the_password(
    demo, mailoutbox, django_capture_on_commit_callbacks
):
    owner = demo.users["sw.riga"]
    browser = confirm_password(verified("sw.riga"))
    with django_capture_on_commit_callbacks(execute=True):
        response = browser.post(reverse("recovery_codes_new"))
    codes = response.context["codes"]
    assert set(StaticToken.objects.filter(device__user=owner).values_list("token", flat=True)) == (
        set(codes)
    )
    assert AuditEvent.objects.filter(user=owner, action=AuditAction.RECOVERY_CODES_NEW).exists()
    (notice,) = Notification.objects.filter(user=owner, kind="security")
    assert "recovery codes" in notice.title.lower()
    assert [m.to for m in mailoutbox] == [[owner.email]]


def test_a_refused_replacement_says_that_nothing_changed(demo):
    browser = verified("sw.riga")
    response = browser.post(reverse("recovery_codes_new"), follow=True)
    assert "Nothing was changed" in response.content.decode()
    assert response.redirect_chain[-1][0].startswith(reverse("reauthenticate"))


def test_the_first_enrolment_is_audited_and_announced(
    demo, mailoutbox, django_capture_on_commit_callbacks
):
    person = demo.users["sw.riga"]
    reset(person)
    browser = password_only("sw.riga")
    browser.get(reverse("two_factor_setup"))
    app = TOTPDevice.objects.get(user=person, confirmed=False)
    with django_capture_on_commit_callbacks(execute=True):
        browser.post(reverse("two_factor_setup"), {"token": current_code(app)})
    assert AuditEvent.objects.filter(user=person, action=AuditAction.TWO_FACTOR_ENROLLED).exists()
    assert Notification.objects.filter(user=person, kind="security").count() == 1
    assert [m.to for m in mailoutbox] == [[person.email]]


# The notices --------------------------------------------------------------------------------


def _replace_recovery_codes(username):
    browser = confirm_password(verified(username))
    return browser.post(reverse("recovery_codes_new"))


def test_the_notice_is_e_mailed_even_when_she_turned_e_mail_copies_off(
    demo, mailoutbox, django_capture_on_commit_callbacks
):
    owner = demo.users["sw.riga"]
    NotificationPreference.objects.update_or_create(user=owner, defaults={"email": False})
    with django_capture_on_commit_callbacks(execute=True):
        _replace_recovery_codes("sw.riga")
    (message,) = mailoutbox
    assert message.to == [owner.email]
    assert "\n" not in message.subject and message.subject.startswith("STROM: ")
    # When, and what to do if it was not her; nothing about a case or a victim.
    assert str(timezone.localtime().year) in message.body
    assert "administrator" in message.body
    assert "RIX-" not in message.body
    assert reverse("account_security") in message.body


def test_the_notice_is_e_mailed_once_when_she_wants_e_mail_copies(
    demo, mailoutbox, django_capture_on_commit_callbacks
):
    owner = demo.users["sw.riga"]
    NotificationPreference.objects.update_or_create(
        user=owner, defaults={"email": True, "email_escalations_only": False}
    )
    with django_capture_on_commit_callbacks(execute=True):
        _replace_recovery_codes("sw.riga")
    assert [m.to for m in mailoutbox] == [[owner.email]]
    assert not Notification.objects.filter(user=owner, emailed_at__isnull=True).exists()


def test_without_an_address_the_notice_is_only_in_the_app(
    demo, mailoutbox, django_capture_on_commit_callbacks
):
    owner = demo.users["sw.riga"]
    get_user_model().objects.filter(pk=owner.pk).update(email="")
    with django_capture_on_commit_callbacks(execute=True):
        response = _replace_recovery_codes("sw.riga")
    assert response.status_code == 200
    assert mailoutbox == []
    assert Notification.objects.filter(user=owner, kind="security").count() == 1


def test_a_refused_replacement_sends_no_notice(
    demo, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        verified("sw.riga").post(reverse("recovery_codes_new"))
        password_only("sw.riga").post(reverse("two_factor_setup"), {"token": "123456"})
    assert mailoutbox == []
    assert not Notification.objects.filter(kind="security").exists()


# Every verification is audited ------------------------------------------------------------


def test_a_code_from_the_app_is_audited(demo):
    verified("sw.riga")
    event = AuditEvent.objects.get(
        user=demo.users["sw.riga"], action=AuditAction.TWO_FACTOR_VERIFIED
    )
    assert event.detail == "authenticator app"


def test_a_recovery_code_is_audited_as_a_verification(
    demo, mailoutbox, django_capture_on_commit_callbacks
):
    owner = demo.users["sw.riga"]
    codes = _replace_recovery_codes("sw.riga").context["codes"]
    before = AuditEvent.objects.filter(user=owner, action=AuditAction.TWO_FACTOR_VERIFIED).count()
    notices = Notification.objects.filter(user=owner, kind="security")
    notices_before = notices.count()
    browser = password_only("sw.riga")
    with django_capture_on_commit_callbacks(execute=True):
        browser.post(reverse("two_factor_verify"), {"token": codes[0]})
    verifications = AuditEvent.objects.filter(user=owner, action=AuditAction.TWO_FACTOR_VERIFIED)
    assert verifications.count() == before + 1
    assert verifications.order_by("-id").first().detail == "recovery code"
    assert AuditEvent.objects.filter(user=owner, action=AuditAction.RECOVERY_CODE_USED).exists()
    # A code used is a code she no longer has: she is told, in case it was not her.
    assert notices.count() == notices_before + 1
    assert "recovery code" in notices.first().title
    assert [m.to for m in mailoutbox] == [[owner.email]]
    assert "1 code is left" not in mailoutbox[0].body and "9 codes are left" in mailoutbox[0].body


def test_a_wrong_code_is_not_a_verification(demo):
    browser = password_only("sw.riga")
    good = int(app_code("sw.riga"))
    browser.post(reverse("two_factor_verify"), {"token": f"{(good + 1) % 10**6:06d}"})
    assert not AuditEvent.objects.filter(action=AuditAction.TWO_FACTOR_VERIFIED).exists()


# Low 14: the password confirmation has its own rate limit ---------------------------------


def test_nine_wrong_codes_do_not_block_the_password_confirmation(demo, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    browser = password_only("sw.riga")
    good = int(app_code("sw.riga"))
    for _ in range(9):
        wrong = f"{(good + 1) % 10**6:06d}"
        assert browser.post(reverse("two_factor_verify"), {"token": wrong}).status_code == 200
    assert outcome(browser.post(reverse("two_factor_verify"), {"token": app_code("sw.riga")})) == (
        "→home"
    )
    response = browser.post(reverse("reauthenticate"), {"password": DEMO_PASSWORD})
    assert outcome(response) == "→home"


def test_the_password_confirmation_is_rate_limited_on_its_own(demo, settings, client_for):
    settings.STROM_RATE_REAUTH = "2/15m"
    browser = client_for(demo.users["sw.riga"])
    for _ in range(2):
        assert browser.post(reverse("reauthenticate"), {"password": "wrong"}).status_code == 200
    assert browser.post(reverse("reauthenticate"), {"password": DEMO_PASSWORD}).status_code == 429
    # The second-factor pages are not affected.
    assert browser.get(reverse("two_factor_verify")).status_code == 302


def test_the_confirmation_timestamp_comes_only_from_the_confirmation_page(demo):
    """Signing in sets the time of the password (exports may use it), but not the time
    of a password given after the code."""
    browser = verified("sw.riga")
    session = browser.session
    assert session[AUTHENTICATED_AT] <= time.time()
    assert twofactor.PASSWORD_CONFIRMED_AT not in session
