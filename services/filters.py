import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from strom import access
from strom import languages as spoken_languages
from strom.taxonomy import NeedCategory

from .models import OpeningHours, Provision, RequiredStatus, ServiceStatus

YES_NO = forms.Select(choices=[("", "---------"), ("true", _("Yes")), ("false", _("No"))])


def open_now_q(moment=None):
    """Services open at the moment: 24/7, or opening hours that include it."""
    moment = timezone.localtime(moment)
    hours = OpeningHours.objects.filter(
        service=OuterRef("pk"),
        weekday=moment.weekday(),
        opens_at__lte=moment.time(),
        closes_at__gt=moment.time(),
    )
    return Q(open_24_7=True) | Exists(hours)


class ServiceFilter(django_filters.FilterSet):
    category = django_filters.ChoiceFilter(
        label=_("Need"),
        choices=NeedCategory.choices,
        field_name="categories__category",
        distinct=True,
    )
    language = django_filters.ChoiceFilter(
        label=_("Language"),
        choices=spoken_languages.choices,
        field_name="languages__code",
        distinct=True,
    )
    open_now = django_filters.BooleanFilter(
        label=_("Open now"), method="filter_open_now", widget=YES_NO
    )
    accepts_potential = django_filters.BooleanFilter(
        label=_("Accepts potential victims"), method="filter_accepts_potential", widget=YES_NO
    )
    has_capacity = django_filters.BooleanFilter(
        label=_("Has free capacity"), method="filter_has_capacity", widget=YES_NO
    )
    provision = django_filters.ChoiceFilter(label=_("Provision"), choices=Provision.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ServiceStatus.choices)
    municipality = django_filters.ModelChoiceFilter(
        label=_("Municipality"), queryset=lambda request: access.municipalities_for(request.user)
    )

    def filter_open_now(self, queryset, name, value):
        return queryset.filter(open_now_q()) if value else queryset.exclude(open_now_q())

    def filter_accepts_potential(self, queryset, name, value):
        q = Q(required_status=RequiredStatus.NONE)
        return queryset.filter(q) if value else queryset.exclude(q)

    def filter_has_capacity(self, queryset, name, value):
        q = Q(capacity_available__gt=0)
        return queryset.filter(q) if value else queryset.filter(capacity_available=0)
