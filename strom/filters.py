import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from . import access
from .audit import AuditAction, AuditEvent
from .models import Actor, ActorKind


class AuditEventFilter(django_filters.FilterSet):
    action = django_filters.ChoiceFilter(label=_("Action"), choices=AuditAction.choices)
    username = django_filters.CharFilter(label=_("User name"), lookup_expr="iexact")
    object_label = django_filters.CharFilter(label=_("Object"), lookup_expr="icontains")
    occurred_from = django_filters.DateFilter(
        label=_("From"),
        field_name="occurred_at",
        lookup_expr="date__gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    occurred_to = django_filters.DateFilter(
        label=_("To"),
        field_name="occurred_at",
        lookup_expr="date__lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = AuditEvent
        fields = []


class ActorFilter(django_filters.FilterSet):
    name = django_filters.CharFilter(label=_("Name"), lookup_expr="icontains")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=ActorKind.choices)
    municipality = django_filters.ModelChoiceFilter(
        label=_("Municipality"), queryset=lambda request: access.municipalities_for(request.user)
    )
    is_active = django_filters.BooleanFilter(label=_("Active"))

    class Meta:
        model = Actor
        fields = []
