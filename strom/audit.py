"""The audit log: an append-only record of who read, changed, exported or printed what.

Rows are only ever inserted. The model refuses updates and deletes, and on
PostgreSQL a trigger (migration 0002) refuses them for any client, raw SQL included.
Never put a victim's name in `object_label` or `detail`: use reference codes.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    LOGIN = "login", _("Signed in")
    LOGIN_FAILED = "login_failed", _("Failed sign-in")
    LOGOUT = "logout", _("Signed out")
    LOCKOUT = "lockout", _("Locked out after failed sign-ins")
    UNLOCK = "unlock", _("Unlocked")
    TWO_FACTOR_ENROLLED = "2fa_enrolled", _("Set up a second factor")
    TWO_FACTOR_FAILED = "2fa_failed", _("Wrong second-factor code")
    TWO_FACTOR_RESET = "2fa_reset", _("Second factor reset")
    TWO_FACTOR_VERIFIED = "2fa_verified", _("Gave the second factor")
    TWO_FACTOR_REPLACED = "2fa_replaced", _("Replaced the authenticator app")
    RECOVERY_CODE_USED = "recovery_used", _("Signed in with a recovery code")
    RECOVERY_CODES_NEW = "recovery_new", _("Made new recovery codes")
    REAUTHENTICATE = "reauth", _("Confirmed the password")
    VIEW = "view", _("Viewed")
    CREATE = "create", _("Created")
    CHANGE = "change", _("Changed")
    DELETE = "delete", _("Deleted")
    EXPORT = "export", _("Exported")
    PRINT = "print", _("Printed")
    GRANT = "grant", _("Granted access")
    GRANT_REQUESTED = "grant_requested", _("Asked for a role to be confirmed")
    GRANT_REFUSED = "grant_refused", _("Refused a requested role")
    REVOKE = "revoke", _("Revoked access")
    UPLOAD = "upload", _("Uploaded")
    DOWNLOAD = "download", _("Downloaded")
    ANONYMISE = "anonymise", _("Anonymised")
    ERASE = "erase", _("Erased on request")


AUTH_ACTIONS = (
    AuditAction.LOGIN,
    AuditAction.LOGIN_FAILED,
    AuditAction.LOGOUT,
    AuditAction.LOCKOUT,
    AuditAction.UNLOCK,
    AuditAction.TWO_FACTOR_ENROLLED,
    AuditAction.TWO_FACTOR_FAILED,
    AuditAction.TWO_FACTOR_RESET,
    AuditAction.TWO_FACTOR_VERIFIED,
    AuditAction.TWO_FACTOR_REPLACED,
    AuditAction.RECOVERY_CODE_USED,
    AuditAction.RECOVERY_CODES_NEW,
    AuditAction.REAUTHENTICATE,
)


class AppendOnlyError(Exception):
    """Raised when code tries to change or remove an audit event."""


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("The audit log is append-only.")

    def delete(self):
        raise AppendOnlyError("The audit log is append-only.")


class AuditEvent(models.Model):
    occurred_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )
    # The name typed at sign-in, kept also when no such user exists.
    username = models.CharField(_("user name"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=AuditAction.choices)
    object_type = models.CharField(_("object type"), max_length=100, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_label = models.CharField(_("object"), max_length=200, blank=True)
    municipality = models.ForeignKey(
        "strom.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("municipality"),
    )
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    detail = models.CharField(_("detail"), max_length=500, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [
            models.Index(fields=["municipality", "-occurred_at"]),
            models.Index(fields=["object_type", "object_id"]),
        ]

    def __str__(self):
        return (
            f"{self.occurred_at:%Y-%m-%d %H:%M} {self.username} {self.action} {self.object_label}"
        )

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("The audit log is append-only.")


def client_ip(request):
    if request is None:
        return None
    if settings.STROM_TRUST_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            # The right-most address is the one our own proxy saw.
            return forwarded.split(",")[-1].strip() or None
    return request.META.get("REMOTE_ADDR") or None


def record(
    action, *, request=None, user=None, obj=None, municipality=None, detail="", username=None
):
    """Append one event. `user` defaults to the request's signed-in user."""
    if user is None and request is not None and request.user.is_authenticated:
        user = request.user
    if municipality is None and obj is not None:
        municipality = getattr(obj, "audit_municipality", None)
    return AuditEvent.objects.create(
        user=user,
        username=username if username is not None else (user.get_username() if user else ""),
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_label=str(obj)[:200] if obj is not None else "",
        municipality=municipality,
        ip_address=client_ip(request),
        detail=detail[:500],
    )
