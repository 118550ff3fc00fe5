"""Issue 13, found by the garbage sweep: a user name longer than django-axes' column (255
characters) typed at sign-in was a server error on PostgreSQL (`DataError: value too long`)
when axes recorded the failed sign-in, instead of the usual "not correct"."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

LONG_NAME = "ž" * 3000


def test_a_very_long_user_name_is_a_failed_sign_in_not_a_server_error(client):
    response = client.post(reverse("login"), {"username": LONG_NAME, "password": "wrong"})
    assert response.status_code == 200
    assert "The user name or password is not correct." in response.content.decode()


def test_a_very_long_user_name_at_the_django_admin_sign_in_is_no_server_error(client):
    response = client.post(reverse("admin:login"), {"username": LONG_NAME, "password": "wrong"})
    assert response.status_code == 200


def test_failed_sign_ins_still_lock_out_the_user_name(demo, client, settings):
    settings.STROM_RATE_SIGN_IN = None
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "sw.riga", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "sw.riga", "password": "strom-demo"})
    assert response.status_code == 429 or "locked" in response.content.decode().lower()


def test_the_lockout_counts_the_user_name_as_typed_cut_to_the_longest_possible():
    from strom import lockout

    assert lockout.username(None, {"username": "sw.riga"}) == "sw.riga"
    assert lockout.username(None, {"username": LONG_NAME}) == LONG_NAME[:150]
    assert lockout.username(None, {}) is None
