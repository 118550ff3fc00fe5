"""Rate limits (django-ratelimit on the shared cache): sign-in, the second factor,
password confirmation and exports.

Limits count per signed-in user, or per user name typed at sign-in, never per IP address
alone: a municipal office shares one public address. The counters live in the cache named
by CACHE_URL; in production that must be Redis so that every worker sees the same count.
"""

from functools import wraps

from django.conf import settings
from django.shortcuts import render
from django_ratelimit import ALL
from django_ratelimit.core import is_ratelimited


def _user_or_name(group, request):
    if request.user.is_authenticated:
        return f"user:{request.user.pk}"
    return f"name:{request.POST.get('username', '')[:150].lower()}"


def rate_limited(group, setting, *, every_request=False):
    """Refuse with 429 when the user has gone over `settings.<setting>` (e.g. "30/h")
    for `group`. Only POST requests count, unless `every_request` (exports and downloads,
    which are GET requests)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            rate = getattr(settings, setting)
            if rate and is_ratelimited(
                request,
                group=f"strom:{group}",
                key=_user_or_name,
                rate=rate,
                method=ALL if every_request else ["POST"],
                increment=True,
            ):
                return render(request, "429.html", status=429)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
