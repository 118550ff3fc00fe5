from django import forms
from django.utils.translation import gettext_lazy as _

from strom.models import Municipality

from .models import Pathway, PathwayStep
from .pathways import STEP_FIELDS, adoptable_municipalities, creatable_owners, responsible_actors


class PathwayForm(forms.ModelForm):
    """A pathway's name and description; on creation also whose pathway it is (a country's
    national pathway or a municipality's own), from the choices the user may keep."""

    owner = forms.ChoiceField(label=_("Pathway of"))

    class Meta:
        model = Pathway
        fields = ["owner", "name", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self._countries, self._municipalities = {}, {}
        if self.instance.pk:
            del self.fields["owner"]
            return
        countries, municipalities = creatable_owners(user)
        self._countries = {f"country-{c.pk}": c for c in countries}
        self._municipalities = {f"municipality-{m.pk}": m for m in municipalities}
        choices = [
            (key, _("%(country)s: national pathway") % {"country": c.name})
            for key, c in self._countries.items()
        ] + [
            (key, _("%(municipality)s: local pathway") % {"municipality": m.name})
            for key, m in self._municipalities.items()
        ]
        self.fields["owner"].choices = choices
        if len(choices) == 1:
            self.fields["owner"].initial = choices[0][0]

    def has_owners(self):
        return "owner" not in self.fields or bool(self.fields["owner"].choices)

    def clean(self):
        cleaned = super().clean()
        key = cleaned.get("owner")
        if key in self._countries:
            cleaned["country"], cleaned["municipality"] = self._countries[key], None
        elif key in self._municipalities:
            municipality = self._municipalities[key]
            cleaned["country"], cleaned["municipality"] = municipality.country, municipality
        return cleaned


class AdoptForm(forms.Form):
    municipality = forms.ModelChoiceField(
        label=_("Municipality"), queryset=Municipality.objects.none()
    )

    def __init__(self, *args, user, pathway, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = adoptable_municipalities(user, pathway)


class StepForm(forms.ModelForm):
    class Meta:
        model = PathwayStep
        fields = list(STEP_FIELDS)
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, pathway, **kwargs):
        super().__init__(*args, **kwargs)
        current = self.instance.responsible_actor_id if self.instance.pk else None
        actor = self.fields["responsible_actor"]
        actor.queryset = responsible_actors(user, pathway, current).order_by("name")
        if pathway.is_national:
            actor.help_text = _(
                "Only regional and national organisations: each municipality names its own "
                "when it adopts the pathway."
            )
        # Two fields share the model's label "unit": tell them apart.
        self.fields["response_unit"].label = _("Unit of the answer limit")
        self.fields["completion_unit"].label = _("Unit of the completion limit")
        for name in ("response_limit", "completion_limit"):
            self.fields[name].widget.attrs.update({"min": 1, "max": 999})
        self.fields["reminder_hours"].widget.attrs.update({"min": 0, "max": 240})
        self.fields["grace_hours"].widget.attrs.update({"min": 1, "max": 720})


class MoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", _("up")), ("down", _("down"))])
