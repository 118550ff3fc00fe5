"""Sign-in events go to the audit log. Django's auth signals are the only hook for them."""

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .audit import AuditAction, record


@receiver(user_logged_in, dispatch_uid="strom_audit_login")
def _audit_login(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        from .middleware import start_session
        from .reauth import mark_authenticated

        start_session(request.session)
        mark_authenticated(request.session)
    record(AuditAction.LOGIN, request=request, user=user)


@receiver(user_logged_out, dispatch_uid="strom_audit_logout")
def _audit_logout(sender, request, user, **kwargs):
    if user is not None:
        record(AuditAction.LOGOUT, request=request, user=user)


@receiver(user_login_failed, dispatch_uid="strom_audit_login_failed")
def _audit_login_failed(sender, credentials, request=None, **kwargs):
    User = get_user_model()
    username = str(credentials.get(User.USERNAME_FIELD, ""))[:150]
    user = User.objects.filter(**{User.USERNAME_FIELD: username}).first() if username else None
    record(AuditAction.LOGIN_FAILED, request=request, user=user, username=username)


@receiver(user_locked_out, dispatch_uid="strom_audit_lockout")
def _audit_lockout(sender, request, username, ip_address, **kwargs):
    User = get_user_model()
    user = User.objects.filter(**{User.USERNAME_FIELD: username}).first() if username else None
    record(AuditAction.LOCKOUT, request=request, user=user, username=str(username or "")[:150])
