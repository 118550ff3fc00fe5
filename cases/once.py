"""One-time tokens for forms that create something a user would not want twice (a case, a
note, a need, a consent, an identification decision, an assignment; outside cases/: an
agreement or clause, a service, an HSDS import, a training event, an external participant or
material, a prevention activity, an organisation).

A form page carries a random token in a hidden field (`FIELD`, from `token(request)`). The
view runs its action through `run(request, action)`, which inserts the token into
`FormToken` (unique key) in the same transaction as the action:

- the first post spends the token and does the work; if the action fails (a form error), the
  transaction rolls back and the token stays free for the corrected post;
- a second post of the same form (double click, reload, back and resend, a second browser
  tab) waits on PostgreSQL for the first one's transaction, then finds the token spent and
  raises `Spent` with a link to what the first post made: nothing is created twice.

This holds under any number of web workers, because the database decides, and it needs no
cache. A post without a token (or with a malformed one: a script, or a page from before an
upgrade) is refused with a message and a fresh form, since it could be sent any number of
times (`STROM_FORM_TOKENS_REQUIRED`, on by default; the test suite turns it off for the
tests that post forms without one, and the tests of this module turn it on).
"""

import re
import secrets
from datetime import timedelta
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.db import IntegrityError, transaction
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

FIELD = "once"
_SHAPE = re.compile(r"[A-Za-z0-9_-]{32}")
KEEP = timedelta(days=30)  # a spent token is remembered this long
SPENT_MESSAGE = _("This form had already been sent and was saved then. It was not saved again.")
MISSING_MESSAGE = _(
    "This form could not be matched to a form STROM gave out, so nothing was saved. Fill it "
    "in again and send it."
)


class Spent(Exception):  # noqa: N818 - it says what happened to the token
    """The form's token was spent by an earlier post; `url` shows what that post made
    (empty when unknown)."""

    def __init__(self, url=""):
        super().__init__(url)
        self.url = url


class Missing(Spent):
    """The post carried no valid token, and tokens are required."""


def posted(request):
    """The token the request posted, or None when there is none or it is malformed."""
    value = request.POST.get(FIELD, "") if request.method == "POST" else ""
    return value if _SHAPE.fullmatch(value) else None


def token(request):
    """The token for the form on this page: a new one, or the posted one when the form comes
    back with an error (that post rolled back, so its token is still free)."""
    return posted(request) or secrets.token_urlsafe(24)


def run(request, action, *, url=None):
    """Call action() at most once per token; `url(result)` is where a repeated post is sent.
    Raises Spent for a token already spent."""
    from .models import FormToken

    key = posted(request)
    if key is None:
        if settings.STROM_FORM_TOKENS_REQUIRED:
            raise Missing()
        return action()
    user = request.user
    with transaction.atomic():
        try:
            with transaction.atomic():
                claim = FormToken.objects.create(key=key, user=user)
        except IntegrityError:
            _raise_if_spent(key, user)
            raise Spent() from None  # spent, and purged since
        result = action()
        if url is not None:
            FormToken.objects.filter(pk=claim.pk).update(url=url(result)[:300])
        FormToken.objects.filter(user=user, spent_at__lt=timezone.now() - KEEP).delete()
        return result


def _raise_if_spent(key, user):
    from .models import FormToken

    first = FormToken.objects.filter(key=key).first()
    if first is not None:
        # Someone else's token (a tampered form) shows nothing of what it made.
        raise Spent(first.url if first.user_id == user.pk else "")


def wrap(request, action, *, url=None):
    """`action` as a callable that runs at most once per token of the request's form: for
    views that call actions with keyword arguments (`views._run(form, wrap(...), by=...)`)."""

    def once(**kwargs):
        return run(request, lambda: action(**kwargs), url=url)

    return once


def shows_spent(view=None, *, fallback=None):
    """For a view (or a view's helper taking the request first) that runs a form through
    `run`: a repeated post says the form was saved already and shows what it made, or a fresh
    form when that is unknown. A view that only takes a POST names the page to show then:
    `@shows_spent(fallback=lambda request, pk: ...)` (called with the view's arguments)."""
    if view is None:
        return lambda view: shows_spent(view, fallback=fallback)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            key = posted(request)
            if key is not None:
                # Before the form is validated again: posted again, it may no longer be
                # valid (the need it recorded is taken), but it was saved.
                _raise_if_spent(key, request.user)
            return view(request, *args, **kwargs)
        except Missing:
            messages.warning(request, MISSING_MESSAGE)
            return redirect(fallback(request, *args, **kwargs) if fallback else request.path)
        except Spent as spent:
            messages.info(request, SPENT_MESSAGE)
            if spent.url:
                return redirect(spent.url)
            return redirect(fallback(request, *args, **kwargs) if fallback else request.path)

    return wrapper
