from django import forms
from django.utils.translation import gettext_lazy as _

from strom import access, uploads

from .models import Agreement, Clause, Party

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AgreementForm(forms.ModelForm):
    municipality = forms.ModelChoiceField(label=_("Municipality"), queryset=None, empty_label=None)

    class Meta:
        model = Agreement
        fields = [
            "municipality",
            "kind",
            "title",
            "language",
            "effective_from",
            "effective_until",
            "review_on",
        ]
        widgets = {"effective_from": DATE, "effective_until": DATE, "review_on": DATE}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = access.administered_municipalities(user)
        if self.instance.pk:
            del self.fields["municipality"]


class PartyForm(forms.ModelForm):
    class Meta:
        model = Party
        fields = [
            "actor",
            "signatory_name",
            "signatory_title",
            "contact_name",
            "contact_phone",
            "deputy_name",
            "deputy_phone",
        ]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["actor"].queryset = (
            access.actors_for(user).filter(is_active=True).order_by("name")
        )

    def validate_unique(self):
        # The action checks the parties of the version (the instance has no version yet).
        pass


class ClauseForm(forms.ModelForm):
    class Meta:
        model = Clause
        fields = ["title", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 10})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].help_text = _(
            "Paragraphs are separated by an empty line. {roles} is replaced by the steps of "
            "the referral pathway each party owns, {contacts} by the parties' 24/7 contacts."
        )


class SignatureForm(forms.Form):
    party = forms.ModelChoiceField(label=_("Party"), queryset=None)
    signatory_name = forms.CharField(label=_("Signed by"), max_length=150)
    signed_on = forms.DateField(label=_("Signed on"), widget=DATE)

    def __init__(self, *args, version, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["party"].queryset = version.parties.filter(signature__isnull=True)


class TerminateForm(forms.Form):
    terminated_on = forms.DateField(label=_("Terminated on"), widget=DATE)


class SignedScanForm(forms.Form):
    file = uploads.UploadField(
        label=_("Scan of the signed paper copy"), kinds=uploads.SIGNED_SCAN_KINDS
    )
