"""In-app notifications and their e-mail copies. A notification names reference codes,
steps and organisations, never a victim's name."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)


class Notification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=40)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self):
        return self.title


class NotificationPreference(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    email = models.BooleanField(_("also send notifications by e-mail"), default=True)
    email_escalations_only = models.BooleanField(
        _("by e-mail only for deadlines and escalations"), default=False
    )

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self):
        return f"{self.user}"


ESCALATION_KINDS = ("referral_reminder", "referral_overdue", "referral_escalated")
# Security notices (a changed second factor, a password set by an administrator) are
# e-mailed whenever the person has an address, whatever her preferences: whoever took over
# the account could have turned e-mail copies off.
SECURITY_KIND = "security"


def notify(users, *, kind, title, body="", url=""):
    """Create one notification per user; e-mail copies leave after the transaction commits,
    so a rolled-back change sends nothing."""
    users = [u for u in {u.pk: u for u in users}.values() if u.is_active]
    created = Notification.objects.bulk_create(
        [Notification(user=u, kind=kind, title=title[:200], body=body, url=url) for u in users]
    )
    ids = [n.pk for n in created]
    if ids:
        transaction.on_commit(lambda: deliver_emails(ids))
    return created


def _wants_email(notification):
    user = notification.user
    if not user.email:
        return False
    if notification.kind == SECURITY_KIND:
        return True
    preference = getattr(user, "notification_preference", None)
    if preference is None:
        return True
    if not preference.email:
        return False
    return not preference.email_escalations_only or notification.kind in ESCALATION_KINDS


def deliver_emails(ids):
    """Send the e-mail copies of these notifications. A mail server that is down or refuses
    a message is logged and the copy stays unsent (`emailed_at` empty): the change that
    caused it is already made, and the notification is in the app."""
    from django.utils import timezone

    notifications = Notification.objects.filter(pk__in=ids, emailed_at__isnull=True).select_related(
        "user__notification_preference"
    )
    base = settings.STROM_SITE_URL.rstrip("/")
    for notification in notifications:
        if not _wants_email(notification):
            continue
        link = f"\n\n{base}{notification.url}" if notification.url else ""
        try:
            send_mail(
                # A line break in a header is refused (BadHeaderError): one line only.
                subject=" ".join(f"STROM: {notification.title}".split()),
                message=f"{notification.body}{link}",
                from_email=None,
                recipient_list=[notification.user.email],
                fail_silently=False,
            )
        except Exception:
            logger.exception("The e-mail copy of notification %s was not sent", notification.pk)
            continue
        Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
