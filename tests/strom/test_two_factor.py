"""The second factor at sign-in, and the password confirmation before sensitive actions."""

import time

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from strom.audit import AuditAction, AuditEvent
from strom.models import SecurityPolicy
from strom.reauth import AUTHENTICATED_AT
from strom.twofactor import _new_recovery_codes, current_code, reset
from tests.conftest import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def password_only(username):
    """A browser that has given the right password, and nothing else yet."""
    browser = Client()
    response = browser.post(reverse("login"), {"username": username, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    return browser


def code_for(username):
    return current_code(TOTPDevice.objects.get(user__username=username, confirmed=True))


def test_a_social_worker_without_the_second_factor_cannot_reach_a_case(demo, riga_case):
    browser = password_only("sw.riga")
    response = browser.get(reverse("case_detail", args=[riga_case.reference]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("two_factor_verify"))
    assert (
        riga_case.reference not in browser.get(reverse("case_list"), follow=True).content.decode()
    )
    # The code from the app lets her through, to where she was going.
    response = browser.post(
        response.url, {"token": code_for("sw.riga"), "next": f"/cases/{riga_case.reference}/"}
    )
    assert response.status_code == 302
    assert browser.get(reverse("case_detail", args=[riga_case.reference])).status_code == 200


@pytest.mark.parametrize("username", ["sw.riga", "coord.riga", "provider.riga", "admin.riga"])
def test_every_role_with_case_data_or_access_rights_needs_the_second_factor(demo, username):
    browser = password_only(username)
    response = browser.get(reverse("home"))
    assert response.status_code == 302 and "two-factor" in response.url


def test_the_page_before_the_code_shows_no_menu_and_no_notifications(demo):
    page = password_only("coord.riga").get(reverse("two_factor_verify")).content.decode()
    assert reverse("case_list") not in page
    assert reverse("notification_list") not in page
    assert "Sign out" in page


def test_a_wrong_code_is_refused_and_logged(demo):
    browser = password_only("sw.riga")
    good = int(code_for("sw.riga"))
    response = browser.post(reverse("two_factor_verify"), {"token": f"{(good + 1) % 10**6:06d}"})
    assert response.status_code == 200
    assert "not correct" in response.content.decode()
    assert browser.get(reverse("case_list")).status_code == 302
    assert AuditEvent.objects.filter(
        action=AuditAction.TWO_FACTOR_FAILED, username="sw.riga"
    ).exists()


def test_after_several_wrong_codes_the_person_is_told_to_wait(demo):
    from django.utils import timezone

    browser = password_only("sw.riga")
    # Five wrong codes in a row: django-otp now makes the app wait 16 seconds.
    TOTPDevice.objects.filter(user__username="sw.riga").update(
        throttling_failure_count=5, throttling_failure_timestamp=timezone.now()
    )
    # Even the right code is refused while she must wait, and she is told why and how long.
    page = browser.post(reverse("two_factor_verify"), {"token": code_for("sw.riga")})
    assert "Too many wrong codes: wait 16 seconds" in page.content.decode()
    assert "not correct" not in page.content.decode()
    assert browser.get(reverse("case_list")).status_code == 302


def test_a_typo_then_at_once_the_right_code_says_how_long_to_wait(demo):
    """django-otp pauses after every failure (1 s, 2 s, 4 s, ...): the right code typed
    straight after a typo is refused, and she must not be told it is wrong."""
    url = reverse("two_factor_verify")
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        browser = password_only("sw.riga")
        good = code_for("sw.riga")
        page = browser.post(url, {"token": f"{(int(good) + 1) % 10**6:06d}"}).content.decode()
        assert "not correct" in page
        page = browser.post(url, {"token": good}).content.decode()
        assert "not correct" not in page
        assert "Too many wrong codes: wait 1 second, then enter the code again." in page
        assert browser.get(reverse("case_list")).status_code == 302
        # After the pause the same code lets her in.
        traveller.shift(2)
        response = browser.post(url, {"token": code_for("sw.riga")})
        assert response.status_code == 302
        assert browser.get(reverse("case_list")).status_code == 200


def test_a_mistyped_recovery_code_then_a_good_one_says_how_long_to_wait(demo):
    url = reverse("two_factor_verify")
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        browser = password_only("sw.riga")
        good = _new_recovery_codes(demo.users["sw.riga"])[0]
        assert "not correct" in browser.post(url, {"token": "nope-nope"}).content.decode()
        page = browser.post(url, {"token": good}).content.decode()
        assert "Too many wrong codes: wait 1 second" in page
        traveller.shift(2)
        assert browser.post(url, {"token": good}).status_code == 302


def test_national_coordinators_need_it_only_when_the_superuser_requires_it_for_all(demo):
    assert password_only("national.lv").get(reverse("report")).status_code == 200
    SecurityPolicy(two_factor_for_all=True).save()
    response = password_only("national.lv").get(reverse("report"))
    assert response.status_code == 302 and "two-factor" in response.url


def test_a_national_coordinator_who_set_up_an_app_is_asked_for_it(demo, client_for):
    national = demo.users["national.lv"]
    reset(national)
    browser = client_for(national, second_factor=False)
    page = browser.get(reverse("account_security")).content.decode()
    assert "optional for your role" in page
    browser.get(reverse("two_factor_setup"))
    pending = TOTPDevice.objects.get(user=national, confirmed=False)
    browser.post(reverse("two_factor_setup"), {"token": current_code(pending)})
    response = password_only("national.lv").get(reverse("report"))
    assert response.status_code == 302 and "two-factor" in response.url


def test_guided_enrolment_then_recovery_codes(demo, riga_case, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # no pause after the wrong code
    user = demo.users["sw.riga"]
    reset(user)
    browser = password_only("sw.riga")
    response = browser.get(reverse("case_detail", args=[riga_case.reference]))
    assert response.url.startswith(reverse("two_factor_setup"))

    page = browser.get(response.url).content.decode()
    assert "<svg" in page  # the QR code
    pending = TOTPDevice.objects.get(user=user, confirmed=False)
    wrong = f"{(int(current_code(pending)) + 1) % 10**6:06d}"
    page = browser.post(reverse("two_factor_setup"), {"token": wrong}).content.decode()
    assert "does not match" in page
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()

    response = browser.post(reverse("two_factor_setup"), {"token": current_code(pending)})
    codes = response.context["codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    assert all(code in response.content.decode() for code in codes)
    assert TOTPDevice.objects.get(user=user).confirmed
    assert AuditEvent.objects.filter(action=AuditAction.TWO_FACTOR_ENROLLED, user=user).exists()
    assert browser.get(reverse("case_detail", args=[riga_case.reference])).status_code == 200


def test_a_recovery_code_works_once(demo, riga_case):
    user = demo.users["sw.riga"]
    reset(user)
    browser = password_only("sw.riga")
    browser.get(reverse("two_factor_setup"))
    pending = TOTPDevice.objects.get(user=user, confirmed=False)
    code = browser.post(reverse("two_factor_setup"), {"token": current_code(pending)}).context[
        "codes"
    ][0]

    first = password_only("sw.riga")
    assert first.post(reverse("two_factor_verify"), {"token": code.upper()}).status_code == 302
    assert first.get(reverse("case_detail", args=[riga_case.reference])).status_code == 200
    assert AuditEvent.objects.filter(action=AuditAction.RECOVERY_CODE_USED, user=user).exists()
    assert StaticToken.objects.filter(device__user=user).count() == 9

    second = password_only("sw.riga")
    assert second.post(reverse("two_factor_verify"), {"token": code}).status_code == 200
    assert second.get(reverse("case_list")).status_code == 302


def test_too_many_codes_are_refused_for_a_while(demo, settings):
    settings.STROM_RATE_SECOND_FACTOR = "3/15m"
    browser = password_only("sw.riga")
    for _ in range(3):
        assert browser.post(reverse("two_factor_verify"), {"token": "000000"}).status_code == 200
    response = browser.post(reverse("two_factor_verify"), {"token": code_for("sw.riga")})
    assert response.status_code == 429
    assert browser.get(reverse("case_list")).status_code == 302


def test_too_many_sign_ins_are_refused_for_a_while(demo, settings, client):
    settings.STROM_RATE_SIGN_IN = "2/h"
    for _ in range(2):
        client.post(reverse("login"), {"username": "coord.riga", "password": DEMO_PASSWORD})
        client.post(reverse("logout"))
    response = client.post(reverse("login"), {"username": "coord.riga", "password": DEMO_PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


# The administrator resets a lost second factor ---------------------------------------


def test_the_administrator_resets_a_lost_second_factor(demo, client_for):
    person = demo.users["sw.riga"]
    admin = client_for(demo.users["admin.riga"])
    assert (
        "Reset (lost phone)"
        in admin.get(reverse("person_detail", args=[person.pk])).content.decode()
    )
    response = admin.post(reverse("person_reset_second_factor", args=[person.pk]))
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=person).exists()
    assert AuditEvent.objects.filter(
        action=AuditAction.TWO_FACTOR_RESET, object_id=str(person.pk)
    ).exists()
    # At the next sign-in she enrols again.
    response = password_only("sw.riga").get(reverse("home"))
    assert response.url.startswith(reverse("two_factor_setup"))


@pytest.mark.parametrize("username", ["admin.jelgava", "coord.riga", "sw.riga", "national.lv"])
def test_others_cannot_reset_a_second_factor(demo, client_for, username):
    person = demo.users["sw.riga"]
    response = client_for(demo.users[username]).post(
        reverse("person_reset_second_factor", args=[person.pk])
    )
    assert response.status_code == 404
    assert TOTPDevice.objects.filter(user=person, confirmed=True).exists()


def test_a_reset_ends_the_verified_session_of_the_person(demo, client_for, riga_case):
    worker = client_for(demo.users["sw.riga"])
    assert worker.get(reverse("case_detail", args=[riga_case.reference])).status_code == 200
    reset(demo.users["sw.riga"])
    assert worker.get(reverse("case_detail", args=[riga_case.reference])).status_code == 302


# Password confirmation before sensitive actions --------------------------------------


def _age_authentication(client, minutes):
    session = client.session
    session[AUTHENTICATED_AT] = int(time.time()) - minutes * 60
    session.save()


def test_a_role_change_asks_for_the_password_after_15_minutes(demo, client_for):
    person = demo.users["sw.riga"]
    admin = client_for(demo.users["admin.riga"])
    membership = person.memberships.get(ended_at__isnull=True)
    _age_authentication(admin, 16)

    # Reading the person's page is free; ending her role is not, and nothing changes.
    assert admin.get(reverse("person_detail", args=[person.pk])).status_code == 200
    response = admin.post(
        reverse("membership_end", args=[membership.pk]),
        HTTP_REFERER=f"http://testserver/people/{person.pk}/",
    )
    assert response.status_code == 302
    assert response.url.startswith(reverse("reauthenticate"))
    membership.refresh_from_db()
    assert membership.ended_at is None

    wrong = admin.post(response.url, {"password": "not-it"})
    assert "not correct" in wrong.content.decode()
    right = admin.post(response.url, {"password": DEMO_PASSWORD})
    assert right.status_code == 302 and right.url == f"/people/{person.pk}/"
    assert AuditEvent.objects.filter(
        action=AuditAction.REAUTHENTICATE, user=demo.users["admin.riga"]
    ).exists()
    assert admin.post(reverse("membership_end", args=[membership.pk])).status_code == 302
    membership.refresh_from_db()
    assert membership.ended_at is not None


def test_an_export_asks_for_the_password_after_15_minutes(demo, client_for):
    coordinator = client_for(demo.users["coord.riga"])
    url = reverse("report_export", args=["status", "csv"])
    _age_authentication(coordinator, 16)
    response = coordinator.get(url)
    assert response.status_code == 302 and response.url.startswith(reverse("reauthenticate"))
    assert not AuditEvent.objects.filter(
        action=AuditAction.EXPORT, user=demo.users["coord.riga"]
    ).exists()
    _age_authentication(coordinator, 14)
    assert coordinator.get(url).status_code == 200


def test_exports_are_rate_limited(demo, client_for, settings):
    settings.STROM_RATE_EXPORTS = "2/h"
    coordinator = client_for(demo.users["coord.riga"])
    url = reverse("report_export", args=["status", "csv"])
    assert [coordinator.get(url).status_code for _ in range(3)] == [200, 200, 429]


def test_the_confirmation_page_goes_only_to_this_site(demo, client_for):
    admin = client_for(demo.users["admin.riga"])
    response = admin.post(
        reverse("reauthenticate") + "?next=https://evil.example/",
        {"password": DEMO_PASSWORD},
    )
    assert response.status_code == 302 and response.url == reverse("home")


def test_password_resets_by_an_administrator_are_rate_limited(demo, client_for, settings):
    settings.STROM_RATE_PASSWORD_RESET = "1/h"
    admin = client_for(demo.users["admin.riga"])
    url = reverse("person_password", args=[demo.users["sw.riga"].pk])
    new = {"new_password1": "Zx9-long-enough-pass", "new_password2": "Zx9-long-enough-pass"}
    assert admin.post(url, new).status_code == 302
    assert admin.post(url, new).status_code == 429


def test_the_session_key_changes_when_the_second_factor_is_given(demo):
    browser = password_only("sw.riga")
    before = browser.session.session_key
    browser.post(reverse("two_factor_verify"), {"token": code_for("sw.riga")})
    assert browser.session.session_key != before
    assert browser.get(reverse("case_list")).status_code == 200
