"""Forms and list filters for prevention work and the expert directory."""

import django_filters
from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from strom import access
from strom import languages as spoken_languages
from strom.models import Country, Municipality, Role

from .models import ExpertProfile, PreventionActivity, RiskGroup
from .network import latest_allowed_date

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PreventionForm(forms.ModelForm):
    """A coordinator's record of a prevention activity in one of her municipalities."""

    class Meta:
        model = PreventionActivity
        fields = [
            "municipality",
            "title",
            "kind",
            "target_group",
            "held_on",
            "place",
            "partners",
            "people_reached",
            "materials",
        ]
        widgets = {
            "held_on": DATE,
            "materials": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        municipality = self.fields["municipality"]
        municipality.queryset = Municipality.objects.filter(
            id__in=access.municipality_ids(user, Role.COORDINATOR)
        ).select_related("country")
        municipality.empty_label = None
        people = self.fields["people_reached"]
        people.widget.attrs.update({"min": 0, "step": 1})
        people.help_text = _("A whole number; an estimate is fine for campaigns.")
        self.fields["held_on"].help_text = _("Planned activities up to a year ahead.")

    def clean_held_on(self):
        held_on = self.cleaned_data["held_on"]
        latest = latest_allowed_date()
        if held_on and held_on > latest:
            raise forms.ValidationError(
                _("The date cannot be later than %(date)s (a year from today).")
                % {"date": date_format(latest, "SHORT_DATE_FORMAT")},
                code="too_far_ahead",
            )
        return held_on


class MunicipalityChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.country.name})"


class ExpertProfileForm(forms.ModelForm):
    """The signed-in user's own entry in the expert directory."""

    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        choices=spoken_languages.choices,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("Languages you can work in."),
    )
    municipality = MunicipalityChoiceField(
        label=_("Municipality"),
        queryset=Municipality.objects.select_related("country").order_by("country__name", "name"),
        required=False,
    )

    class Meta:
        model = ExpertProfile
        fields = ["listed", "areas", "languages", "country", "municipality", "contact"]
        widgets = {"areas": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["listed"].help_text = _(
            "Only when this is ticked can other STROM users find you by your areas, languages "
            "and place, and see how to contact you."
        )
        self.fields["areas"].help_text = _(
            "For example: labour exploitation, child protection, legal aid."
        )
        self.fields["contact"].help_text = _("A work e-mail address or telephone number.")


# List filters -------------------------------------------------------------------------------


class PreventionFilter(django_filters.FilterSet):
    year = django_filters.ChoiceFilter(
        label=_("Year"), field_name="held_on", lookup_expr="year", choices=[]
    )
    target_group = django_filters.ChoiceFilter(label=_("Group at risk"), choices=RiskGroup.choices)

    class Meta:
        model = PreventionActivity
        fields = []

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        # The years that have activities in the user's scope.
        self.filters["year"].extra["choices"] = [(str(y), str(y)) for y in years]


class MunicipalityFilter(django_filters.ModelChoiceFilter):
    field_class = MunicipalityChoiceField


class ExpertFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Area of expertise"),
        field_name="areas",
        lookup_expr="icontains",
        max_length=100,
    )
    language = django_filters.ChoiceFilter(
        label=_("Language"), choices=spoken_languages.choices, method="filter_language"
    )
    country = django_filters.ModelChoiceFilter(label=_("Country"), queryset=Country.objects.all())
    municipality = MunicipalityFilter(
        label=_("Municipality"),
        queryset=Municipality.objects.select_related("country").order_by("country__name", "name"),
    )

    class Meta:
        model = ExpertProfile
        fields = []

    def filter_language(self, queryset, name, value):
        # `languages` is a JSON list of ISO 639-1 codes, and the value one of the known codes:
        # a quoted code in the stored text is an element of the list (SQLite and PostgreSQL).
        return queryset.filter(languages__icontains=f'"{value}"')
