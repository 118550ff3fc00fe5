"""Forms of the coordinator's privacy pages: the retention list and erasure on request."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import ErasureGround
from .retention import REQUEST_REFERENCE_MAX, RetentionState


class RetentionFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[("", _("All"))]
        + [(s.value, s.label) for s in RetentionState if s != RetentionState.OPEN],
    )


class ErasureForm(forms.Form):
    ground = forms.ChoiceField(label=_("Ground for erasure"), choices=ErasureGround.choices)
    request_reference = forms.CharField(
        label=_("Request reference"),
        max_length=REQUEST_REFERENCE_MAX,
        help_text=_("The data protection officer's reference for the request; never a name."),
    )
    confirm_reference = forms.CharField(
        label=_("Type the case's reference code to confirm"),
        max_length=20,
        help_text=_("Erasure cannot be undone."),
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case

    def clean_request_reference(self):
        value = self.cleaned_data["request_reference"].strip()
        if not value:
            raise forms.ValidationError(_("This field is required."))
        return value

    def clean_confirm_reference(self):
        value = self.cleaned_data["confirm_reference"].strip()
        if value != self.case.reference:
            raise forms.ValidationError(
                _("This is not the case's reference code. Nothing was erased.")
            )
        return value
