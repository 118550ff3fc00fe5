"""Issue 13, finding 2: STROM under gunicorn with production settings, reached as through the
TLS proxy. Every demo account signs in (password, then the second factor from the published
demo key) and opens the pages of its role: no 5xx, the real content, the static files under
WhiteNoise's manifest names, and the security headers.

Skipped unless STROM_LIVE_URL is set: `.ci/production-check` starts the server and runs
this (see tests/production/live.py)."""

import re
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.urls import reverse

from strom.management.commands.load_demo import USERS
from strom.models import Role
from strom.twofactor import DEMO_TOTP_KEY
from tests.production.live import CLIENT_ADDRESS, LIVE_HOST, LiveClient

COMMON_PAGES = [
    "home",
    "service_list",
    "agreement_list",
    "training_list",
    "actor_list",
    "notification_list",
    "account_security",
]
ROLE_PAGES = {
    Role.SOCIAL_WORKER: ["case_list"],
    Role.COORDINATOR: ["case_list", "report", "pathway_list", "person_list", "audit_list"],
    Role.ADMINISTRATOR: ["person_list", "audit_list"],
    Role.SERVICE_PROVIDER: ["referral_inbox"],
    Role.NATIONAL_COORDINATOR: ["report", "pathway_list"],
}
REFERENCE_RE = re.compile(r'href="(/cases/([A-Z]{3}-\d{4}-\d{4,6})/)"')
STATIC_RE = re.compile(r'(?:src|href)="(/static/[^"]+)"')
HASHED_RE = re.compile(r"\.[0-9a-f]{12}\.[a-z0-9]+$")
CONTENT_TYPES = {
    ".css": "text/css",
    ".js": "text/javascript",
    ".png": "image/png",
    ".svg": "image/svg+xml",
    ".ico": "image/",
}

_static_checked = set()


@pytest.fixture
def browser():
    return LiveClient()


_signed_in = {}


def signed_in(username):
    """A client signed in as the demo account, one per account for the whole run: signing in
    again within half a minute would have to wait for the next second-factor code."""
    if username not in _signed_in:
        client = LiveClient()
        client.sign_in(username, settings.STROM_DEMO_PASSWORD, totp_key=DEMO_TOTP_KEY)
        _signed_in[username] = client
    return _signed_in[username]


def assert_security_headers(response, *, signed_in=True):
    h = response.headers
    assert h["Strict-Transport-Security"].startswith("max-age=31536000"), h
    assert "includeSubDomains" in h["Strict-Transport-Security"]
    csp = h["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp, csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert h["X-Frame-Options"] == "DENY"
    assert h["X-Content-Type-Options"] == "nosniff"
    assert h["Referrer-Policy"] == "same-origin"
    assert h["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in h["Permissions-Policy"]
    if signed_in:
        assert "no-store" in h.get("Cache-Control", ""), h.get("Cache-Control")
    for cookie in response.set_cookies:
        name = cookie.split("=", 1)[0]
        assert "; Secure" in cookie, cookie
        assert "SameSite=Lax" in cookie, cookie
        if "session" in name or "csrf" in name:
            assert name.startswith("__Secure-"), cookie
            assert "HttpOnly" in cookie, cookie


def assert_page(response, full_name):
    assert response.status == 200, f"{response.url} -> {response.status}"
    assert response.content_type.startswith("text/html")
    html = response.text
    assert '<html lang="en">' in html
    assert "<main" in html and "<h1" in html, response.url
    assert full_name in html, f"{response.url} does not name the signed-in user"
    assert "Traceback" not in html and "DEBUG" not in html
    assert_security_headers(response)
    assert_static_files(html, response.url)


def assert_static_files(html, url):
    """Every static file is named with its manifest hash, and WhiteNoise serves it (once per
    file per run), compressed and cached for good."""
    names = STATIC_RE.findall(html)
    assert any("/css/strom." in n for n in names), f"{url}: no stylesheet"
    for name in names:
        assert HASHED_RE.search(name), f"{url}: {name} is not a manifest name"
        if name in _static_checked:
            continue
        _static_checked.add(name)
        asset = LiveClient().get(name, **{"Accept-Encoding": "br, gzip"})
        assert asset.status == 200, f"{name} -> {asset.status}"
        suffix = "." + name.rsplit(".", 1)[-1]
        assert asset.content_type.startswith(CONTENT_TYPES.get(suffix, "")), asset.content_type
        assert "immutable" in asset.headers.get("Cache-Control", ""), name
        assert not asset.set_cookies
        if suffix in (".css", ".js"):
            assert asset.headers.get("Content-Encoding") in ("br", "gzip"), name
        if suffix == ".css":
            plain = LiveClient().get(name).text
            for ref in re.findall(r"url\(([^)#]+)\)", plain):
                ref = ref.strip("'\"")
                if not ref.startswith("data:"):
                    assert HASHED_RE.search(ref), f"{name} refers to {ref} by its plain name"


@pytest.mark.parametrize(("username", "first", "last", "role"), [u[:3] + u[4:] for u in USERS])
def test_every_demo_account_signs_in_and_opens_the_pages_of_its_role(username, first, last, role):
    client = signed_in(username)
    full_name = f"{first} {last}"
    for name in COMMON_PAGES + ROLE_PAGES[role]:
        page = client.get(reverse(name))
        assert_page(page, full_name)
        if name == "case_list" and role == Role.COORDINATOR:
            cases = REFERENCE_RE.findall(page.text)
            assert cases, f"{username}: no case in the case list"
            detail = client.get(cases[0][0])
            assert_page(detail, full_name)
            assert cases[0][1] in detail.text
        if name == "report":
            assert "<table" in page.text
        if name == "service_list":
            assert re.search(r"/static/vendor/leaflet/leaflet\.[0-9a-f]{12}\.js", page.text)


def test_a_stranger_is_sent_to_the_sign_in_page(browser):
    answer = browser.get(reverse("home"))
    assert answer.status == 302
    assert urlsplit(answer.location).path == reverse("login")
    login = browser.get(reverse("login"))
    assert login.status == 200
    assert 'name="username"' in login.text and 'name="password"' in login.text
    assert_security_headers(login, signed_in=False)


def test_a_wrong_password_is_refused_with_a_message(browser):
    browser.get(reverse("login"))
    answer = browser.post(reverse("login"), {"username": "nobody.here", "password": "wrong"})
    assert answer.status == 200
    assert "The user name or password is not correct." in answer.text


def test_plain_http_is_redirected_to_https():
    answer = LiveClient(https=False).get(reverse("login"))
    assert answer.status == 301
    assert answer.location == f"https://{LIVE_HOST}{reverse('login')}"


def test_the_health_check_answers_without_tls():
    answer = LiveClient(https=False).get(reverse("healthz"))
    assert answer.status == 200
    assert answer.body == b"ok"


def test_debug_is_off(browser):
    client = signed_in("coord.riga")
    answer = client.get("/no-such-page/")
    assert answer.status == 404
    assert "URLconf" not in answer.text and "Traceback" not in answer.text
    assert "Page not found" in answer.text or "not found" in answer.text.lower()


def test_an_unknown_host_is_refused(browser):
    answer = browser.get(reverse("login"), Host="evil.example")
    assert answer.status == 400


def test_a_nul_character_is_refused_with_a_clear_page():
    client = signed_in("coord.riga")
    answer = client.get(reverse("person_list") + "?q=%00")
    assert answer.status == 400
    assert "character that is not allowed" in answer.text


def test_the_audit_log_records_the_address_the_proxy_passed_on(django_db_blocker):
    from strom.audit import AuditAction, AuditEvent

    signed_in("sw.riga")
    with django_db_blocker.unblock():
        event = (
            AuditEvent.objects.filter(action=AuditAction.LOGIN, user__username="sw.riga")
            .order_by("-pk")
            .first()
        )
    assert event is not None
    assert event.ip_address == CLIENT_ADDRESS
