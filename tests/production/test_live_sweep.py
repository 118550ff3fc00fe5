"""Issue 13, finding 2: the URL sweep of tests/strom/test_url_sweep.py, with its garbage and
NUL posts, sent over HTTP to gunicorn with production settings (DEBUG off, WhiteNoise's
manifest, secure cookies, CSRF checked as a browser behind the TLS proxy passes it).

The same URLs, identities and expectations as through the test client (`sweep`), with one
difference: here every request is committed, so an earlier POST may have taken something
away and only the refusals, the leaks and the statuses are checked (see `sweep`). The world
of the sweep is added to the server's database once, committed; run against a throwaway
database loaded with `load_demo --force` (`.ci/production-check` makes one).

Skipped unless STROM_LIVE_URL is set."""

from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.urls import reverse

from strom.twofactor import DEMO_TOTP_KEY
from tests.conftest import _demo_world
from tests.production.live import LiveClient
from tests.strom.test_url_sweep import (
    IDENTITIES,
    PASSWORDS,
    STRANGER,
    Answer,
    build_world,
    sweep,
)


def password_of(name):
    return PASSWORDS.get(name, settings.STROM_DEMO_PASSWORD)


class LiveTransport:
    """The sweep's requests over HTTP, signed in as `name` (password and demo second factor).
    A request that signs her out (the sign-out button, a session ended by an earlier post)
    is followed by signing in again; a request that found her signed out is sent again."""

    live = True

    def __init__(self, name):
        self.name = name
        self.client = LiveClient()
        if name != STRANGER:
            self.sign_in()
        else:
            # A browser that has seen a page has the CSRF cookie; without it every POST is a
            # 403 from the CSRF check before the view (or the sign-in redirect) is reached.
            self.client.get(reverse("login"))

    def sign_in(self):
        self.client = LiveClient()
        self.client.sign_in(self.name, password_of(self.name), totp_key=DEMO_TOTP_KEY)

    def get(self, url):
        return self._send("GET", url)

    def post(self, url, data=None):
        return self._send("POST", url, data or {})

    def _send(self, method, url, data=None):
        response = self.client.request(method, url, data)
        if self.name != STRANGER:
            sent_away = response.status == 302 and urlsplit(response.location).path in (
                reverse("login"),
                reverse("two_factor_verify"),
            )
            if sent_away and urlsplit(url).path not in (reverse("login"), reverse("logout")):
                self.sign_in()
                response = self.client.request(method, url, data)
            elif not self.client.session_cookie():
                self.sign_in()
        return Answer(
            response.status,
            location=response.location,
            body=response.body,
            content_type=response.content_type,
        )


@pytest.fixture(scope="module")
def live_world(django_db_blocker):
    with django_db_blocker.unblock():
        demo = _demo_world()
        world, _files = build_world(demo)  # the files stay: the server sends them
    return demo, world


@pytest.mark.parametrize("name", IDENTITIES)
def test_live_url_sweep(name, live_world, django_db_blocker):
    demo, world = live_world
    with django_db_blocker.unblock():
        problems = sweep(name, demo, world, LiveTransport(name))
    assert not problems, f"{len(problems)} wrong answers:\n" + "\n".join(problems)
