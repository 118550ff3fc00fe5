"""Sign-in steps after the password: confirming the password again before a sensitive
action (strom.reauth) and the second factor (strom.twofactor)."""

from django import forms
from django.contrib.auth import authenticate
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from .reauth import mark_authenticated, safe_next


class ReauthenticateForm(forms.Form):
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )

    def __init__(self, request, *args, **kwargs):
        self.request = request
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        user = self.request.user
        # Through authenticate(): a wrong password counts towards the lockout like a
        # failed sign-in, and is in the audit log.
        if authenticate(self.request, username=user.get_username(), password=password) != user:
            raise forms.ValidationError(_("The password is not correct."), code="invalid")
        return password


@never_cache
def reauthenticate(request):
    next_url = safe_next(request, request.POST.get("next") or request.GET.get("next"))
    form = ReauthenticateForm(request, request.POST or None)
    if request.method == "POST" and form.is_valid():
        mark_authenticated(request.session)
        return redirect(next_url)
    return render(request, "registration/reauthenticate.html", {"form": form, "next": next_url})
