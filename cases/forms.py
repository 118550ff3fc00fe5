from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from strom import access
from strom import languages as spoken_languages
from strom.taxonomy import NeedCategory

from .choices import (
    ClosureReason,
    Identification,
    MeansOfControl,
    ShareItem,
    Urgency,
)
from .choices import (
    ExploitationForm as ExploitationFormChoice,
)
from .models import CaseNote, Consent, Exploitation, IdentificationChange, Need, Person

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
LINE = forms.TextInput


def _not_in_future(value):
    if value and value > timezone.localdate():
        raise forms.ValidationError(_("The date cannot be in the future."))
    return value


class PastDateField(forms.DateField):
    widget = DATE

    def clean(self, value):
        return _not_in_future(super().clean(value))


class PersonForm(forms.ModelForm):
    date_of_birth = PastDateField(label=_("Date of birth"), required=False)
    languages = forms.MultipleChoiceField(
        label=_("Languages spoken"),
        choices=spoken_languages.choices,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )

    class Meta:
        model = Person
        fields = [
            "given_names",
            "family_name",
            "aliases",
            "date_of_birth",
            "age_years",
            "age_is_estimate",
            "may_be_child",
            "gender",
            "citizenship",
            "languages",
            "interpreter_needed",
            "phone",
            "email",
            "address",
            "identity_documents",
            "guardian",
            "notes",
            "ethnicity",
            "sexual_orientation",
            "gender_identity",
            "disability",
            "health",
        ]
        widgets = {
            "given_names": LINE,
            "family_name": LINE,
            "aliases": LINE,
            "phone": LINE,
            "email": LINE,
            "ethnicity": LINE,
            "sexual_orientation": LINE,
            "gender_identity": LINE,
            "address": forms.Textarea(attrs={"rows": 2}),
            "identity_documents": forms.Textarea(attrs={"rows": 2}),
            "guardian": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 3}),
            "disability": forms.Textarea(attrs={"rows": 2}),
            "health": forms.Textarea(attrs={"rows": 2}),
        }

    IDENTIFYING = (
        "given_names",
        "family_name",
        "aliases",
        "date_of_birth",
        "phone",
        "email",
        "address",
        "identity_documents",
        "guardian",
        "notes",
    )
    STATISTICAL = (
        "age_years",
        "age_is_estimate",
        "may_be_child",
        "gender",
        "citizenship",
        "languages",
        "interpreter_needed",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["age_years"].widget.attrs.update({"min": 0, "max": 120})
        self.fields["email"] = forms.EmailField(label=_("E-mail"), required=False)

    def fieldsets(self):
        return [
            (_("Statistics (not identifying)"), [self[name] for name in self.STATISTICAL]),
            (_("Identifying data (encrypted)"), [self[name] for name in self.IDENTIFYING]),
            (
                _(
                    "Special category data (encrypted, never exported): "
                    "only where it shapes the help"
                ),
                [self[name] for name in Person.SPECIAL_CATEGORY_FIELDS],
            ),
        ]

    def clean_age_years(self):
        age = self.cleaned_data.get("age_years")
        if age is not None and age > 120:
            raise forms.ValidationError(_("Enter an age between 0 and 120."))
        return age

    def clean_date_of_birth(self):
        born = self.cleaned_data.get("date_of_birth")
        return born.isoformat() if born else ""


class ExploitationForm(forms.ModelForm):
    forms_of_exploitation = forms.MultipleChoiceField(
        label=_("Forms of exploitation"),
        choices=ExploitationFormChoice.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    means_of_control = forms.MultipleChoiceField(
        label=_("Means of control"),
        choices=MeansOfControl.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Exploitation
        fields = [
            "forms_of_exploitation",
            "labour_sector",
            "means_of_control",
            "recruiter_relationship",
            "recruitment_countries",
            "transit_countries",
            "exploitation_countries",
            "period",
            "indicators",
        ]
        widgets = {"indicators": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["forms_of_exploitation"] = list(
                self.instance.case.exploitation_forms.values_list("form", flat=True)
            )
        for name in ("recruitment_countries", "transit_countries", "exploitation_countries"):
            self.fields[name].widget.attrs["size"] = 5


class CaseOpenForm(forms.Form):
    municipality = forms.ModelChoiceField(label=_("Municipality"), queryset=None, empty_label=None)
    first_contact_on = PastDateField(label=_("Date of first contact"))
    identification = forms.ChoiceField(
        label=_("Identification status"),
        choices=[(s.value, s.label) for s in (Identification.POTENTIAL, Identification.PRESUMED)],
        help_text=_("Formal identification is recorded later, with the deciding authority."),
    )
    needs = forms.MultipleChoiceField(
        label=_("Needs now"),
        choices=NeedCategory.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    needs_urgency = forms.ChoiceField(label=_("Urgency of these needs"), choices=Urgency.choices)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = access.case_municipalities(user)


class NeedForm(forms.ModelForm):
    class Meta:
        model = Need
        fields = ["category", "urgency", "status", "tailoring"]
        widgets = {"tailoring": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.case = case
        if self.instance.pk:
            self.fields["category"].disabled = True
        else:
            taken = set(case.needs.values_list("category", flat=True))
            self.fields["category"].choices = [c for c in NeedCategory.choices if c[0] not in taken]


class NeedStatusForm(forms.ModelForm):
    class Meta:
        model = Need
        fields = ["status"]


def _actor_choices(user):
    return access.actors_for(user).filter(is_active=True).order_by("name")


class ConsentForm(forms.ModelForm):
    items = forms.MultipleChoiceField(
        label=_("Information to share"),
        choices=ShareItem.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    given_on = PastDateField(label=_("Given on"))

    class Meta:
        model = Consent
        fields = [
            "recipient",
            "recipient_kind",
            "items",
            "purpose",
            "given_how",
            "interpreter_used",
            "given_on",
            "expires_on",
            "guardian_consent",
            "child_assent",
        ]
        widgets = {"expires_on": DATE}

    def __init__(self, *args, case, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case
        self.fields["recipient"].queryset = _actor_choices(user)
        self.fields["recipient"].required = False
        if not case.person.is_treated_as_child():
            del self.fields["guardian_consent"]
            del self.fields["child_assent"]

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("recipient") and not cleaned.get("recipient_kind"):
            self.add_error("recipient", _("Name the organisation, or the kind of organisation."))
        given, expires = cleaned.get("given_on"), cleaned.get("expires_on")
        if given and expires and expires < given:
            self.add_error("expires_on", _("The consent cannot end before it was given."))
        if "guardian_consent" in self.fields and not cleaned.get("guardian_consent"):
            self.add_error(
                "guardian_consent",
                _("The person is or may be a child: the guardian's consent is needed."),
            )
        return cleaned


class WithdrawConsentForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class IdentificationForm(forms.ModelForm):
    decided_on = PastDateField(label=_("Date of the decision"))

    class Meta:
        model = IdentificationChange
        fields = ["status", "decided_on", "deciding_actor", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deciding_actor"].queryset = _actor_choices(user)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") == Identification.IDENTIFIED and not cleaned.get("deciding_actor"):
            self.add_error(
                "deciding_actor", _("Name the competent authority that identified the person.")
            )
        return cleaned


class AssignForm(forms.Form):
    user = forms.ModelChoiceField(label=_("Case worker"), queryset=None)
    is_primary = forms.BooleanField(label=_("Make primary case worker"), required=False)

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        assigned = case.assignments.filter(ended_at__isnull=True).values("user_id")
        self.fields["user"].queryset = access.case_workers(case.municipality).exclude(
            pk__in=assigned
        )
        self.fields["user"].label_from_instance = lambda u: u.get_full_name() or u.username


class NoteForm(forms.ModelForm):
    occurred_on = PastDateField(label=_("Date"))

    class Meta:
        model = CaseNote
        fields = ["kind", "occurred_on", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 4})}


class CloseForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason for closing"), choices=ClosureReason.choices)
    closed_on = PastDateField(label=_("Closed on"))
