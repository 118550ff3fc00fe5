"""Django admin's sign-in page (settings.ADMIN_URL + "login/") counts against the same
sign-in rate limit as STROM's own, per user name, besides the lockout after failures."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from tests.conftest import DEMO_PASSWORD

pytestmark = pytest.mark.django_db
ROOT_PASSWORD = "root-admin-passphrase"


@pytest.fixture
def root(demo):
    return get_user_model().objects.create_superuser("root", "root@strom.example", ROOT_PASSWORD)


def _admin_login(client, username, password):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": "/" + "django-admin/"},
    )


def test_the_admin_sign_in_page_is_rate_limited_like_the_normal_one(demo, root, settings):
    settings.STROM_RATE_SIGN_IN = "2/h"
    browser = Client()
    for _ in range(2):
        assert _admin_login(browser, "root", "wrong").status_code == 200
    response = _admin_login(browser, "root", ROOT_PASSWORD)
    assert response.status_code == 429
    assert "Too many requests" in response.content.decode()
    assert "_auth_user_id" not in browser.session
    # Showing the page is not an attempt.
    assert browser.get(reverse("admin:login")).status_code == 200


def test_the_admin_and_the_normal_sign_in_share_one_count(demo, root, settings):
    settings.STROM_RATE_SIGN_IN = "2/h"
    office = Client()
    office.post(reverse("login"), {"username": "root", "password": "wrong"})
    _admin_login(office, "root", "wrong")
    assert _admin_login(office, "root", ROOT_PASSWORD).status_code == 429
    assert office.post(reverse("login"), {"username": "root", "password": "x"}).status_code == 429
    # Counted per user name: a colleague at the same address is not blocked.
    colleague = office.post(reverse("login"), {"username": "coord.riga", "password": DEMO_PASSWORD})
    assert colleague.status_code == 302


def test_the_lockout_still_applies_to_the_admin_sign_in(demo, root):
    browser = Client()
    for _ in range(5):
        _admin_login(browser, "root", "wrong")
    response = _admin_login(browser, "root", ROOT_PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in browser.session
