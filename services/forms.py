from django import forms
from django.utils.translation import gettext_lazy as _

from strom import access
from strom import languages as spoken_languages
from strom.models import Actor, Municipality
from strom.taxonomy import NeedCategory

from .models import AreaLevel, Service, Weekday

TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class ServiceForm(forms.ModelForm):
    categories = forms.MultipleChoiceField(
        label=_("Needs it meets"),
        choices=NeedCategory.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        choices=spoken_languages.choices,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    LOCATION = access.SERVICE_LOCATION_FIELDS

    class Meta:
        model = Service
        fields = [
            "provider",
            "name",
            "description",
            "status",
            "provision",
            "area_level",
            "municipality",
            "categories",
            "languages",
            "required_status",
            "accepts_women",
            "accepts_men",
            "accepts_gender_diverse",
            "minimum_age",
            "maximum_age",
            "eligibility_description",
            "capacity_available",
            "capacity_maximum",
            "capacity_unit",
            "fees_description",
            "application_process",
            "accessibility",
            "address",
            "latitude",
            "longitude",
            "address_confidential",
            "open_24_7",
            "contact_name",
            "phone",
            "email",
            "emergency_contact",
            "emergency_phone",
            "deputy_contact",
            "deputy_phone",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "eligibility_description": forms.Textarea(attrs={"rows": 2}),
            "application_process": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        providers = access.service_providers_for(user)
        municipalities = access.municipalities_for(user)
        if self.instance.pk:
            # Keeping the current provider or municipality is always allowed (the action
            # checks a changed one against the access policy).
            providers = providers | Actor.objects.filter(pk=self.instance.provider_id)
            municipalities = municipalities | Municipality.objects.filter(
                pk=self.instance.municipality_id
            )
        self.fields["provider"].queryset = providers.order_by("name")
        self.fields["municipality"].queryset = municipalities
        self.fields["municipality"].help_text = _(
            "For a municipal service; empty means the provider's own municipality."
        )
        for name in ("capacity_available", "capacity_maximum", "minimum_age", "maximum_age"):
            self.fields[name].widget.attrs["min"] = 0
        for name in ("latitude", "longitude"):
            self.fields[name].widget.attrs["step"] = "any"
        if self.instance.pk:
            self.initial["categories"] = [c.category for c in self.instance.categories.all()]
            self.initial["languages"] = [row.code for row in self.instance.languages.all()]
        # She may edit the service but not learn where the shelter is, nor change what
        # decides who may see it.
        self.locked = access.locked_service_fields(user, self.instance)
        for name in self.locked:
            if name in self.LOCATION:
                del self.fields[name]
            else:
                self.fields[name].disabled = True
                self.fields[name].help_text = _(
                    "The address of this service is confidential: only the municipality's "
                    "coordinators and the provider's staff can change this."
                )
        hours = {h.weekday: h for h in self.instance.hours.all()} if self.instance.pk else {}
        for day in Weekday:
            row = hours.get(day.value)
            self.fields[f"opens_{day.value}"] = forms.TimeField(
                label=_("%(day)s opens") % {"day": day.label},
                required=False,
                widget=TIME,
                initial=row.opens_at if row else None,
            )
            self.fields[f"closes_{day.value}"] = forms.TimeField(
                label=_("%(day)s closes") % {"day": day.label},
                required=False,
                widget=TIME,
                initial=row.closes_at if row else None,
            )

    def hour_rows(self):
        return [
            (day.label, self[f"opens_{day.value}"], self[f"closes_{day.value}"]) for day in Weekday
        ]

    def main_fields(self):
        skip = {f"{kind}_{day.value}" for kind in ("opens", "closes") for day in Weekday}
        return [field for field in self if field.name not in skip]

    def _refuse_locked_changes(self):
        """A browser does not send disabled or missing fields; a posted change to one is
        refused, never silently dropped. A hidden field is refused whatever its value, so
        that the answer says nothing about the address."""
        hidden_posted = False
        for name in self.locked:
            key = self.add_prefix(name)
            if key not in self.data:
                continue
            if name not in self.fields:
                hidden_posted = True
                continue
            initial = self.get_initial_for_field(self.fields[name], name)
            if self.data.get(key) != ("" if initial is None else str(initial)):
                self.add_error(
                    name,
                    _(
                        "The address of this service is confidential: only the municipality's "
                        "coordinators and the provider's staff can change this. Nothing was saved."
                    ),
                )
        if hidden_posted:
            self.add_error(
                None,
                _(
                    "The address of this service is confidential: only the municipality's "
                    "coordinators and the provider's staff can change it. Nothing was saved."
                ),
            )

    def clean(self):
        cleaned = super().clean()
        self._refuse_locked_changes()
        hours = []
        for day in Weekday:
            opens, closes = cleaned.get(f"opens_{day.value}"), cleaned.get(f"closes_{day.value}")
            if (opens is None) != (closes is None):
                self.add_error(
                    f"closes_{day.value}", _("Give both the opening and the closing time.")
                )
            elif opens is not None and closes <= opens:
                self.add_error(f"closes_{day.value}", _("A service cannot close before it opens."))
            elif opens is not None:
                hours.append((day.value, opens, closes))
        cleaned["hours"] = hours
        provider = cleaned.get("provider")
        if (
            cleaned.get("area_level") == AreaLevel.MUNICIPALITY
            and not cleaned.get("municipality")
            and provider is not None
            and provider.municipality_id
        ):
            # A local organisation's service serves its own municipality unless told otherwise.
            cleaned["municipality"] = provider.municipality
        return cleaned


class CapacityForm(forms.ModelForm):
    class Meta:
        model = Service
        fields = ["capacity_available", "capacity_maximum"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = True
            field.widget.attrs["min"] = 0
