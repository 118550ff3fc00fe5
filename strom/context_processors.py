from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from . import access


def navigation(request):
    """The main menu: only the entries the signed-in user's roles can open."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = [(reverse("home"), _("Home"))]
    if access.can_register_cases(user):
        items.append((reverse("case_list"), _("Cases")))
    items.append((reverse("service_list"), _("Services")))
    items.append((reverse("actor_list"), _("Organisations")))
    if access.can_see_people(user):
        items.append((reverse("person_list"), _("People")))
    if access.can_read_audit_log(user):
        items.append((reverse("audit_list"), _("Audit log")))
    current = request.path
    return {
        "nav_items": [
            {
                "url": url,
                "label": label,
                "current": url == current or (url != "/" and current.startswith(url)),
            }
            for url, label in items
        ]
    }
