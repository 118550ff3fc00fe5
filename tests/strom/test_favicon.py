"""Issue 14, finding 12: browsers ask for /favicon.ico on every site; it answered 404 (and
filled the log). STROM serves a small SVG icon, named in every page's <head>, and
/favicon.ico sends the browser to it, under production settings too (WhiteNoise's
manifest: the icon has a hashed name there)."""

import re

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from tests.strom.test_production_static import PRODUCTION_STORAGES, collected  # noqa: F401

pytestmark = pytest.mark.django_db


def test_favicon_ico_sends_the_browser_to_the_icon_without_signing_in(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert re.fullmatch(r"/static/favicon(\.[0-9a-f]{12})?\.svg", response.url)
    icon = client.get(response.url)
    assert icon.status_code == 200
    assert icon["Content-Type"].startswith("image/svg+xml")
    assert b"<svg" in b"".join(icon.streaming_content)


def test_favicon_is_reachable_before_the_second_factor(demo):
    browser = Client()
    browser.force_login(demo.users["sw.riga"])
    response = browser.get("/favicon.ico")
    assert response.status_code == 302
    assert "two-factor" not in response.url


def test_every_page_names_the_icon(client):
    page = client.get(reverse("login")).content.decode()
    assert re.search(
        r'<link rel="icon" href="/static/favicon[^"]*\.svg" type="image/svg\+xml">', page
    )


def test_the_icon_is_served_with_debug_off_and_the_manifest(collected):  # noqa: F811
    static_root, ok, output = collected
    assert ok, output
    with override_settings(
        DEBUG=False,
        STATIC_ROOT=static_root,
        STORAGES=PRODUCTION_STORAGES,
        WHITENOISE_USE_FINDERS=False,
        WHITENOISE_AUTOREFRESH=False,
    ):
        client = Client()
        response = client.get("/favicon.ico")
        assert response.status_code == 302
        assert re.fullmatch(r"/static/favicon\.[0-9a-f]{12}\.svg", response.url)
        icon = client.get(response.url)
        assert icon.status_code == 200
        assert b"<svg" in b"".join(icon.streaming_content)
        page = client.get(reverse("login")).content.decode()
        assert f'<link rel="icon" href="{response.url}"' in page
