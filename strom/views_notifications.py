"""The signed-in user's own notifications and her e-mail preference. Thin: every query goes
through `request.user`, so another user's notification is simply not found (404)."""

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import access
from .notifications import NotificationPreference

PAGE_SIZE = 50


class NotificationPreferenceForm(forms.ModelForm):
    class Meta:
        model = NotificationPreference
        fields = ["email", "email_escalations_only"]


def _unread(user):
    return user.notifications.filter(read_at__isnull=True)


def _link(request, notification):
    """The notification's link if it stays inside STROM, else "": a notification never sends
    anyone to another site or runs a `javascript:` URL."""
    url = notification.url
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return ""


@require_GET
def notification_list(request):
    page = Paginator(request.user.notifications.all(), PAGE_SIZE).get_page(request.GET.get("page"))
    for notification in page:
        notification.link = _link(request, notification)
    return render(request, "notifications/list.html", {"page": page})


@require_POST
def notification_read(request, pk):
    notification = access.get_or_404(request.user.notifications.all(), pk=pk)
    _unread(request.user).filter(pk=notification.pk).update(read_at=timezone.now())
    link = _link(request, notification)
    return redirect(link) if link else redirect("notification_list")


@require_POST
def notification_read_all(request):
    count = _unread(request.user).update(read_at=timezone.now())
    if count:
        messages.success(request, _("All notifications are marked as read."))
    return redirect("notification_list")


@require_http_methods(["GET", "POST"])
def notification_preferences(request):
    user = request.user
    # Created on the first save; until then the defaults of the model apply.
    preference = getattr(user, "notification_preference", None)
    form = NotificationPreferenceForm(
        request.POST if request.method == "POST" else None,
        instance=preference or NotificationPreference(user=user),
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Notification settings saved."))
        return redirect("notification_preferences")
    return render(request, "notifications/preferences.html", {"form": form})
