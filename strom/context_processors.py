from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from . import access


def navigation(request):
    """The main menu: only the entries the signed-in user's roles can open; and the number
    of her unread notifications for the header badge (one query)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "unread_notifications": 0}
    if getattr(request, "second_factor_pending", False):
        return {"nav_items": [], "unread_notifications": 0, "second_factor_pending": True}
    items = [(reverse("home"), _("Home"))]
    if access.can_register_cases(user):
        items.append((reverse("case_list"), _("Cases")))
    if access.provider_actor_ids(user):
        items.append((reverse("referral_inbox"), _("Inbox")))
    items.append((reverse("service_list"), _("Services")))
    if access.has_role(user, "coordinator", "national_coordinator"):
        items.append((reverse("pathway_list"), _("Pathways")))
    if access.has_role(user, "coordinator", "national_coordinator"):
        items.append((reverse("report"), _("Reports")))
    items.append((reverse("agreement_list"), _("Agreements")))
    items.append((reverse("training_list"), _("Training")))
    items.append((reverse("actor_list"), _("Organisations")))
    if access.can_see_people(user):
        items.append((reverse("person_list"), _("People")))
    if access.can_read_audit_log(user):
        items.append((reverse("audit_list"), _("Audit log")))
    current = request.path
    return {
        "unread_notifications": user.notifications.filter(read_at__isnull=True).count(),
        "nav_items": [
            {
                "url": url,
                "label": label,
                "current": url == current or (url != "/" and current.startswith(url)),
            }
            for url, label in items
        ],
    }
