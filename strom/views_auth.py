"""Sign-in steps after the password: confirming the password again before a sensitive
action (strom.reauth) and the second factor (strom.twofactor)."""

from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth import authenticate
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from . import twofactor
from .audit import AuditAction, record
from .ratelimits import rate_limited
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
# Its own counter: wrong second-factor codes must not lock the owner out of confirming her
# password (and wrong passwords count towards the sign-in lockout besides).
@rate_limited("reauth", "STROM_RATE_REAUTH")
def reauthenticate(request):
    next_url = safe_next(request, request.POST.get("next") or request.GET.get("next"))
    form = ReauthenticateForm(request, request.POST or None)
    if request.method == "POST" and form.is_valid():
        mark_authenticated(request.session)
        # Given after the second factor (the middleware lets nobody here before it), so
        # this, unlike the password at sign-in, may change the second factor.
        twofactor.mark_password_confirmed(request.session)
        record(AuditAction.REAUTHENTICATE, request=request)
        return redirect(next_url)
    return render(request, "registration/reauthenticate.html", {"form": form, "next": next_url})


# Second factor ----------------------------------------------------------------------


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Code"),
        max_length=20,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autofocus": True,
                "spellcheck": "false",
            }
        ),
    )


def _next(request):
    return safe_next(request, request.POST.get("next") or request.GET.get("next"))


def _give_the_code_first(request):
    next_url = request.get_full_path() if request.method == "GET" else reverse("home")
    return redirect(f"{reverse('two_factor_verify')}?{urlencode({'next': next_url})}")


def _confirm_the_password_first(request, back):
    """Changing a second factor needs the password given after the code."""
    if request.method == "POST":
        messages.info(
            request, gettext("Nothing was changed. Confirm your password, then submit again.")
        )
    return redirect(f"{reverse('reauthenticate')}?{urlencode({'next': back})}")


@never_cache
@rate_limited("second-factor", "STROM_RATE_SECOND_FACTOR")
def two_factor_verify(request):
    """The second step of signing in: a code from the app, or a recovery code."""
    next_url = _next(request)
    if request.user.is_verified():
        return redirect(next_url)
    if not twofactor.is_enrolled(request.user):
        return redirect(f"{reverse('two_factor_setup')}?{urlencode({'next': next_url})}")
    form = TokenForm(request.POST or None)
    form.fields["token"].help_text = _(
        "The six digits your authenticator app shows for STROM, or one of your recovery codes."
    )
    if request.method == "POST" and form.is_valid():
        # Asked before the code is checked: a refusal during django-otp's pause after a
        # wrong code says nothing about this code, and she must not be told it is wrong.
        wait = twofactor.is_throttled(request.user, form.cleaned_data["token"])
        if twofactor.verify(request, form.cleaned_data["token"]):
            left = twofactor.recovery_codes_left(request.user)
            if request.user.otp_device.persistent_id.startswith("otp_static") and left <= 3:
                messages.warning(
                    request,
                    ngettext(
                        "You have %(count)d recovery code left. Make new ones under "
                        "“Sign-in security”.",
                        "You have %(count)d recovery codes left. Make new ones under "
                        "“Sign-in security”.",
                        left,
                    )
                    % {"count": left},
                )
            return redirect(next_url)
        if wait:
            message = ngettext(
                "Too many wrong codes: wait %(seconds)d second, then enter the code again.",
                "Too many wrong codes: wait %(seconds)d seconds, then enter the code again.",
                wait,
            ) % {"seconds": wait}
        else:
            message = _(
                "This code is not correct or has expired. Wait for a new code and try again."
            )
        form.add_error("token", message)
    return render(request, "registration/two_factor_verify.html", {"form": form, "next": next_url})


@never_cache
@rate_limited("second-factor", "STROM_RATE_SECOND_FACTOR")
def two_factor_setup(request):
    """Guided enrolment: scan, confirm with a code, keep the recovery codes. Replacing an
    authenticator needs this session's code and then the password (twofactor.may_change);
    the middleware already keeps an enrolled user without the code away."""
    user = request.user
    if twofactor.is_enrolled(user):
        if not user.is_verified():
            return _give_the_code_first(request)
        if not twofactor.may_change(request):
            back = request.get_full_path() if request.method == "GET" else request.path
            return _confirm_the_password_first(request, back)
    next_url = _next(request)
    device = twofactor.pending_device(user)
    form = TokenForm(request.POST or None)
    form.fields["token"].label = _("Code shown by the app")
    if request.method == "POST" and form.is_valid():
        codes = twofactor.confirm_enrolment(request, device, form.cleaned_data["token"])
        if codes is not None:
            return render(
                request,
                "registration/recovery_codes.html",
                {"codes": codes, "next": next_url, "first_time": True},
            )
        form.add_error(
            "token",
            _(
                "This code does not match. Check that the phone's clock is right, wait "
                "for a new code and try again."
            ),
        )
    return render(
        request,
        "registration/two_factor_setup.html",
        {
            "form": form,
            "next": next_url,
            "qr": twofactor.qr_svg(device),
            "key": twofactor.grouped_key(device),
            "replacing": twofactor.is_enrolled(user),
        },
    )


@never_cache
def account_security(request):
    """The user's own sign-in security: the second factor and the recovery codes."""
    user = request.user
    return render(
        request,
        "registration/account_security.html",
        {
            "enrolled": twofactor.is_enrolled(user),
            "required": twofactor.is_required(user),
            "codes_left": twofactor.recovery_codes_left(user),
        },
    )


@require_POST
def recovery_codes_new(request):
    if not twofactor.is_enrolled(request.user):
        return redirect("two_factor_setup")
    if not request.user.is_verified():
        return _give_the_code_first(request)
    if not twofactor.may_change(request):
        return _confirm_the_password_first(request, reverse("account_security"))
    codes = twofactor.replace_recovery_codes(request)
    return render(
        request,
        "registration/recovery_codes.html",
        {"codes": codes, "next": reverse("account_security"), "first_time": False},
    )
