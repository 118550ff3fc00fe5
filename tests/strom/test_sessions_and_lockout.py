import time

import pytest
from django.urls import reverse

from strom.audit import AuditAction, AuditEvent
from strom.middleware import SEEN, STARTED
from tests.conftest import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def fail(client, username, times):
    for _ in range(times):
        client.post(reverse("login"), {"username": username, "password": "wrong"})


def test_five_failed_sign_ins_lock_the_user_name_even_with_the_right_password(demo, client):
    fail(client, "sw.riga", 5)
    response = client.post(reverse("login"), {"username": "sw.riga", "password": DEMO_PASSWORD})
    assert response.status_code == 429
    assert "locked" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action=AuditAction.LOCKOUT, username="sw.riga").exists()


def test_the_lock_is_per_user_name_not_per_office_address(demo, client):
    fail(client, "sw.riga", 5)
    response = client.post(reverse("login"), {"username": "coord.riga", "password": DEMO_PASSWORD})
    assert response.status_code == 302  # a colleague at the same address signs in


def signed_in(username):
    """A separate browser, signed in through the sign-in form (as a person would)."""
    from django.test import Client
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from strom.twofactor import current_code

    browser = Client()
    browser.post(reverse("login"), {"username": username, "password": DEMO_PASSWORD})
    device = TOTPDevice.objects.get(user__username=username)
    browser.post(reverse("two_factor_verify"), {"token": current_code(device)})
    return browser


def test_the_administrator_unlocks_her_municipalitys_user(demo, client):
    fail(client, "sw.riga", 5)
    admin = signed_in("admin.riga")
    page = admin.get(reverse("person_detail", args=[demo.users["sw.riga"].pk]))
    assert "locked after failed sign-ins" in page.content.decode()
    response = admin.post(reverse("person_unlock", args=[demo.users["sw.riga"].pk]))
    assert response.status_code == 302
    assert AuditEvent.objects.filter(
        action=AuditAction.UNLOCK, object_id=str(demo.users["sw.riga"].pk)
    ).exists()
    admin.logout()
    ok = admin.post(reverse("login"), {"username": "sw.riga", "password": DEMO_PASSWORD})
    assert ok.status_code == 302


@pytest.mark.parametrize("username", ["admin.jelgava", "coord.riga", "sw.riga"])
def test_others_cannot_unlock(demo, client, client_for, username):
    fail(client, "sw.riga", 5)
    response = client_for(demo.users[username]).post(
        reverse("person_unlock", args=[demo.users["sw.riga"].pk])
    )
    assert response.status_code == 404


def _age_session(client, *, seen_ago, started_ago):
    session = client.session
    now = int(time.time())
    session[SEEN] = now - seen_ago
    session[STARTED] = now - started_ago
    session.save()


def test_a_session_ends_after_30_minutes_without_activity(demo, client_for):
    client = client_for(demo.users["sw.riga"])
    assert client.get(reverse("home")).status_code == 200
    _age_session(client, seen_ago=31 * 60, started_ago=31 * 60)
    response = client.get(reverse("home"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_an_active_session_ends_after_the_absolute_limit(demo, client_for):
    client = client_for(demo.users["sw.riga"])
    _age_session(client, seen_ago=10, started_ago=9 * 3600)
    assert client.get(reverse("home")).status_code == 302


def test_activity_keeps_a_session_alive(demo, client_for):
    client = client_for(demo.users["sw.riga"])
    _age_session(client, seen_ago=20 * 60, started_ago=2 * 3600)
    assert client.get(reverse("home")).status_code == 200
    assert time.time() - client.session[SEEN] < 5
