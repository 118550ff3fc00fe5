"""Session limits: an idle timeout and an absolute one.

The sign-in time and the last activity live in the session; the last activity is written
at most once a minute, so an active user does not cause a database write per request."""

import logging
import time

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import render

logger = logging.getLogger("strom")

STARTED = "strom_signed_in_at"
SEEN = "strom_seen_at"
WRITE_EVERY = 60


def start_session(session):
    now = int(time.time())
    session[STARTED] = now
    session[SEEN] = now


class SessionLimitMiddleware:
    """Ends a session after STROM_SESSION_IDLE_MINUTES without a request, and in any case
    STROM_SESSION_AGE_SECONDS after signing in."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            session = request.session
            if STARTED not in session:
                start_session(session)
            elif (
                now - session.get(SEEN, now) > settings.STROM_SESSION_IDLE_MINUTES * 60
                or now - session[STARTED] > settings.STROM_SESSION_MAX_SECONDS
            ):
                logout(request)
            elif now - session.get(SEEN, now) > WRITE_EVERY:
                session[SEEN] = now
        return self.get_response(request)


class SecurityHeadersMiddleware:
    """Headers Django does not set itself: Permissions-Policy, and no caching of pages
    for signed-in users (a shared office computer must not show a case from its cache)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.STROM_PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and "Cache-Control" not in response:
            response["Cache-Control"] = "private, no-store"
        return response


class MissingFileMiddleware:
    """A stored file (a signed PDF, a scan, a case document) that is in the database but
    not on disk, e.g. after a restore without the media folder: the user gets a clear page,
    the operator an error in the log, instead of a bare server error."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, FileNotFoundError):
            return None
        logger.error("Stored file missing for %s: %s", request.path, exception.filename)
        return render(request, "missing_file.html", status=404)


NUL = "\x00"


def _has_nul(request):
    """True when the path, a query or form parameter (name or value), an uploaded file's
    name or a cookie holds a NUL character."""
    pairs = [("", request.path_info), *request.COOKIES.items(), *_pairs(request.GET)]
    if request.method == "POST":
        # Parsing the form here changes nothing for the views: Django keeps what it parsed.
        pairs += _pairs(request.POST)
        pairs += [(key, f.name or "") for key, files in request.FILES.lists() for f in files]
    return any(NUL in key or NUL in value for key, value in pairs)


def _pairs(querydict):
    return [(key, value) for key, values in querydict.lists() for value in values]


class RefuseNulMiddleware:
    """A NUL character has no place in any text STROM stores, and PostgreSQL refuses it in a
    query (`DataError`: a server error for the user). A request that carries one anywhere is
    answered 400 with a page that says so, before any view or query sees it. Placed after
    LocaleMiddleware, so the page is in the user's language."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _has_nul(request):
            logger.info("Refused a request with a NUL character: %s", request.method)
            return render(request, "bad_characters.html", status=400)
        return self.get_response(request)
