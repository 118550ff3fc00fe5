import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from strom import access

from .choices import ExploitationForm, Identification, Lifecycle

DATE = forms.DateInput(attrs={"type": "date"})


def _workers(request):
    """Case workers of the municipalities whose cases the user sees."""
    if request is None:
        return get_user_model().objects.none()
    municipalities = access.case_municipalities(request.user)
    return (
        get_user_model()
        .objects.filter(case_assignments__case__municipality__in=municipalities)
        .distinct()
        .order_by("last_name", "first_name")
    )


class CaseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Reference code"),
        field_name="reference",
        lookup_expr="icontains",
        max_length=20,
    )
    identification = django_filters.ChoiceFilter(
        label=_("Identification status"), choices=Identification.choices
    )
    lifecycle = django_filters.ChoiceFilter(label=_("Case state"), choices=Lifecycle.choices)
    form = django_filters.ChoiceFilter(
        label=_("Form of exploitation"),
        choices=ExploitationForm.choices,
        field_name="exploitation_forms__form",
        distinct=True,
    )
    open_needs = django_filters.BooleanFilter(
        label=_("Has open needs"),
        method="filter_open_needs",
        widget=forms.Select(choices=[("", "---------"), ("true", _("Yes")), ("false", _("No"))]),
    )
    worker = django_filters.ModelChoiceFilter(
        label=_("Case worker"), queryset=_workers, method="filter_worker"
    )
    age_group = django_filters.ChoiceFilter(
        label=_("Child or adult"),
        choices=[("child", _("Child or presumed child")), ("adult", _("Adult"))],
        method="filter_age_group",
    )
    opened_from = django_filters.DateFilter(
        label=_("First contact from"),
        field_name="first_contact_on",
        lookup_expr="gte",
        widget=DATE,
    )
    opened_to = django_filters.DateFilter(
        label=_("First contact until"),
        field_name="first_contact_on",
        lookup_expr="lte",
        widget=DATE,
    )
    sort = django_filters.OrderingFilter(
        label=_("Sort by"),
        fields=(
            ("created_at", "registered"),
            ("first_contact_on", "first_contact"),
            ("reference", "reference"),
            ("identification", "identification"),
        ),
        field_labels={
            "created_at": _("Registered"),
            "first_contact_on": _("First contact"),
            "reference": _("Reference code"),
            "identification": _("Identification status"),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form.fields["worker"].label_from_instance = lambda u: u.get_full_name() or u.username

    def filter_open_needs(self, queryset, name, value):
        with_open = queryset.with_open_needs()
        return with_open if value else queryset.exclude(pk__in=with_open.values("pk"))

    def filter_worker(self, queryset, name, user):
        return queryset.filter(
            assignments__user=user, assignments__ended_at__isnull=True
        ).distinct()

    def filter_age_group(self, queryset, name, value):
        return queryset.children() if value == "child" else queryset.adults()
