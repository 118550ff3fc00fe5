"""/favicon.ico: browsers ask for it on every site, whatever the page names. It sends them
to the SVG icon under its static name (hashed by WhiteNoise's manifest in production), so
that it is not a 404 in every log. Open to everyone, before any sign-in."""

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect
from django.templatetags.static import static
from django.views.decorators.http import require_GET


@login_not_required
@require_GET
def favicon(request):
    # Not permanent: the hashed name changes when the icon does.
    response = redirect(static("favicon.svg"))
    response["Cache-Control"] = "public, max-age=86400"
    return response
