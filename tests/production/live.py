"""HTTP to a running STROM, as a browser behind the TLS proxy reaches it.

`.ci/production-check` starts gunicorn with production settings (DJANGO_DEBUG=false) on
127.0.0.1 and sets STROM_LIVE_URL (where gunicorn listens) and STROM_LIVE_HOST (the name
in DJANGO_ALLOWED_HOSTS). Every request carries what the proxy adds: `Host`,
`X-Forwarded-Proto: https` (SECURE_PROXY_SSL_HEADER) and `X-Forwarded-For`
(STROM_TRUST_X_FORWARDED_FOR). Only the standard library: http.client, so that nothing
follows redirects or drops the `Secure` cookies behind our back.
"""

import hashlib
import hmac
import http.client
import os
import struct
import time
from dataclasses import dataclass, field
from http.cookies import CookieError, SimpleCookie
from urllib.parse import urlencode, urlsplit

LIVE_URL = os.environ.get("STROM_LIVE_URL", "")
LIVE_HOST = os.environ.get("STROM_LIVE_HOST", "strom.example.lv")
CLIENT_ADDRESS = "203.0.113.7"  # what the proxy puts in X-Forwarded-For (TEST-NET-3)
TOTP_STEP = 30

# The last TOTP time step used per user name: django-otp refuses a code it has seen.
_last_step = {}


class SignInFailed(AssertionError):
    pass


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes
    url: str
    set_cookies: list = field(default_factory=list)

    @property
    def location(self):
        return self.headers.get("Location", "")

    @property
    def content_type(self):
        return self.headers.get("Content-Type", "")

    @property
    def text(self):
        return self.body.decode("utf-8", "replace")


def totp(key_hex, step):
    """RFC 6238 (SHA-1, six digits), as django-otp and every authenticator app compute it."""
    digest = hmac.new(bytes.fromhex(key_hex), struct.pack(">Q", step), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{number % 1_000_000:06d}"


def fresh_code(username, key_hex):
    """A code the server has not seen for this user: the current one, or the next one
    (django-otp accepts one step ahead), waiting for the next step when both are used."""
    while True:
        now = int(time.time()) // TOTP_STEP
        step = max(now, _last_step.get(username, -1) + 1)
        if step <= now + 1:
            _last_step[username] = step
            return totp(key_hex, step)
        time.sleep((now + 1) * TOTP_STEP - time.time() + 0.2)


class LiveClient:
    """A browser: cookies, CSRF token and the proxy's headers, one connection per request
    (gunicorn's sync workers close each one)."""

    def __init__(self, base_url=LIVE_URL, host=LIVE_HOST, *, https=True):
        parts = urlsplit(base_url)
        self.address = (parts.hostname, parts.port or 80)
        self.host = host
        self.https = https
        self.cookies = {}
        self.language = "en"

    # Requests -------------------------------------------------------------------------

    def get(self, url, **headers):
        return self.request("GET", url, headers=headers)

    def post(self, url, data=None, **headers):
        return self.request("POST", url, data=data or {}, headers=headers)

    def request(self, method, url, data=None, headers=None):
        all_headers = {
            "Host": self.host,
            "User-Agent": "strom-production-check",
            "Accept-Language": self.language,
            "X-Forwarded-For": CLIENT_ADDRESS,
        }
        if self.https:
            all_headers["X-Forwarded-Proto"] = "https"
        if self.cookies:
            all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if method == "POST":
            body = urlencode(data, doseq=True).encode()
            origin = f"{'https' if self.https else 'http'}://{self.host}"
            all_headers.update(
                {
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Origin": origin,
                    "Referer": origin + url,
                }
            )
            token = self.csrf_token()
            if token:
                all_headers["X-CSRFToken"] = token
        all_headers.update(headers or {})
        connection = http.client.HTTPConnection(*self.address, timeout=120)
        try:
            connection.request(method, url, body=body, headers=all_headers)
            response = connection.getresponse()
            payload = response.read()
        finally:
            connection.close()
        set_cookies = response.headers.get_all("Set-Cookie") or []
        self._keep_cookies(set_cookies)
        return Response(response.status, response.headers, payload, url, set_cookies)

    # Cookies --------------------------------------------------------------------------

    def _keep_cookies(self, headers):
        for header in headers:
            jar = SimpleCookie()
            try:
                jar.load(header)
            except CookieError:
                continue
            for name, morsel in jar.items():
                expired = morsel["max-age"] in ("0", 0) or "1970" in morsel["expires"]
                if expired or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.coded_value

    def csrf_token(self):
        # Django accepts the cookie's secret itself as the token (X-CSRFToken).
        for name, value in self.cookies.items():
            if name.endswith("csrftoken"):
                return value
        return None

    def session_cookie(self):
        return next((v for k, v in self.cookies.items() if k.endswith("sessionid")), None)

    # Signing in -----------------------------------------------------------------------

    def sign_in(self, username, password, *, totp_key):
        """The password, then (when asked) a code from the authenticator app."""
        from django.urls import reverse

        login, verify = reverse("login"), reverse("two_factor_verify")
        self.get(login)
        answer = self.post(login, {"username": username, "password": password})
        if answer.status != 302:
            raise SignInFailed(f"{username}: the password step answered {answer.status}")
        # Follow the redirects: the middleware sends whoever owes a code to the code page.
        for _hop in range(4):
            location = answer.location
            path = urlsplit(location).path
            if path == verify:
                for _attempt in range(3):
                    answer = self.post(location, {"token": fresh_code(username, totp_key)})
                    if answer.status == 302:
                        break
                else:
                    raise SignInFailed(f"{username}: the code step answered {answer.status}")
                verify = None  # once
                continue
            if path in (login, reverse("two_factor_setup")):
                raise SignInFailed(f"{username}: sent to {path} after signing in")
            answer = self.get(location)
            if answer.status != 302:
                break
        if answer.status != 200:
            raise SignInFailed(f"{username}: signing in ended with {answer.status}")
        if not self.session_cookie():
            raise SignInFailed(f"{username}: no session cookie")
        return answer
