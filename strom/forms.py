from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import UsernameField
from django.utils.translation import gettext_lazy as _

from . import access
from .models import CONFIRMED_ROLES, Actor, Role

User = get_user_model()


def _role_choices(field, user):
    roles = access.assignable_roles(user)
    field.choices = [(r.value, r.label) for r in roles]
    if not user.is_superuser and any(r in CONFIRMED_ROLES for r in roles):
        field.help_text = _(
            "A coordinator's or an administrator's role gives no access until another "
            "administrator of the municipality confirms it."
        )


def add_errors_from(form, error):
    """Put a ValidationError raised by an action (after the form was valid) onto the form,
    so that the user sees it next to the field it concerns."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class ActorForm(forms.ModelForm):
    """An administrator's local actor. Country and level follow from the municipality."""

    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    class Meta:
        model = Actor
        fields = [
            "name",
            "kind",
            "municipality",
            "email",
            "phone",
            "address",
            "website",
            "is_active",
        ]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        municipalities = access.administered_municipalities(user)
        self.fields["municipality"].queryset = municipalities
        self.fields["municipality"].required = True
        self.fields["municipality"].empty_label = None
        self.fields["municipality"].help_text = ""
        if self.instance.pk:
            # An actor stays in its municipality; a move would hand its staff to another office.
            self.fields["municipality"].disabled = True


class PersonCreateForm(forms.Form):
    username = UsernameField(label=_("User name"), max_length=150)
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    email = forms.EmailField(label=_("E-mail"))
    actor = forms.ModelChoiceField(label=_("Organisation"), queryset=Actor.objects.none())
    role = forms.ChoiceField(label=_("Role"))
    password1 = forms.CharField(
        label=_("Initial password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Initial password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["actor"].queryset = access.editable_actors(user).filter(is_active=True)
        _role_choices(self.fields["role"], user)

    def clean_username(self):
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("This user name is taken."))
        return username

    def clean(self):
        cleaned = super().clean()
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords differ."))
        elif p1:
            candidate = User(
                username=cleaned.get("username", ""),
                first_name=cleaned.get("first_name", ""),
                last_name=cleaned.get("last_name", ""),
                email=cleaned.get("email", ""),
            )
            try:
                password_validation.validate_password(p1, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class PersonForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["first_name", "last_name", "email"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.Meta.fields:
            self.fields[name].required = True


class MembershipForm(forms.Form):
    actor = forms.ModelChoiceField(label=_("Organisation"), queryset=Actor.objects.none())
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["actor"].queryset = access.editable_actors(user).filter(is_active=True)
        _role_choices(self.fields["role"], user)
