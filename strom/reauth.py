"""Re-authentication for sensitive actions.

Exports, PDFs of case-related documents and changes to users and roles ask for the password
again when the user last proved it more than STROM_REAUTH_MINUTES ago (15 by default).
Signing in, and confirming the password on the "Confirm it's you" page, set the time.

Decorate the view (GET and POST alike) with `recent_auth_required`. A POST that arrives
too late is not carried out: the user confirms her password and submits again.
"""

import time
from functools import wraps
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

AUTHENTICATED_AT = "strom_authenticated_at"


def mark_authenticated(session):
    session[AUTHENTICATED_AT] = int(time.time())


def is_recent(request):
    proved = request.session.get(AUTHENTICATED_AT)
    return proved is not None and time.time() - proved <= settings.STROM_REAUTH_MINUTES * 60


def safe_next(request, candidate, default="home"):
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse(default)


def recent_auth_required(view=None, *, post_only=False):
    """Ask for the password again before running `view` when it was last given more than
    STROM_REAUTH_MINUTES ago. `post_only`: reading the page is free, changing is not (a
    person's page, where roles are also given)."""
    if view is None:
        return lambda v: recent_auth_required(v, post_only=post_only)

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if is_recent(request) or (post_only and request.method != "POST"):
            return view(request, *args, **kwargs)
        if request.method == "POST":
            # Back to the page the form was on; the action is not carried out.
            referer = urlsplit(request.headers.get("Referer", ""))
            back = referer.path + (f"?{referer.query}" if referer.query else "")
            if referer.netloc and referer.netloc != request.get_host():
                back = ""
            next_url = safe_next(request, back)
            messages.info(
                request, _("Nothing was changed. Confirm your password, then submit again.")
            )
        else:
            next_url = request.get_full_path()
        return redirect(f"{reverse('reauthenticate')}?{urlencode({'next': next_url})}")

    wrapped.requires_recent_auth = True
    return wrapped
