from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from cases.models import ShareItem
from strom import access

from .models import DeclineReason, Outcome


class SendForm(forms.Form):
    to_actor = forms.ModelChoiceField(label=_("To organisation"), queryset=None)
    to_user = forms.ModelChoiceField(
        label=_("To a person there (optional)"), queryset=None, required=False
    )
    service = forms.ModelChoiceField(label=_("Service (optional)"), queryset=None, required=False)

    def __init__(self, *args, user, referral, **kwargs):
        super().__init__(*args, **kwargs)
        actors = access.actors_for(user).filter(is_active=True).order_by("name")
        self.fields["to_actor"].queryset = actors
        self.fields["to_user"].queryset = (
            get_user_model()
            .objects.filter(
                is_active=True,
                memberships__ended_at__isnull=True,
                memberships__actor__in=actors,
            )
            .distinct()
            .order_by("last_name", "first_name")
        )
        self.fields["to_user"].label_from_instance = lambda u: u.get_full_name() or u.username
        services = access.services_for(user).filter(status="active")
        if referral.step.need_category:
            services = services.filter(categories__category=referral.step.need_category)
        self.fields["service"].queryset = services.distinct()
        if referral.to_actor_id:
            self.initial.setdefault("to_actor", referral.to_actor_id)
        if referral.case_id:
            chosen = referral.case.needs.filter(
                category=referral.step.need_category, service__isnull=False
            ).first()
            if chosen and not referral.service_id:
                self.initial.setdefault("service", chosen.service_id)
                self.initial.setdefault("to_actor", chosen.service.provider_id)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class DeclineForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason for declining"), choices=DeclineReason.choices)
    note = forms.CharField(
        label=_("Note (optional)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CompleteForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)
    note = forms.CharField(
        label=_("Note (optional)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class OverrideForm(forms.Form):
    item = forms.ChoiceField(label=_("Information"), choices=ShareItem.choices)
    reason = forms.CharField(
        label=_("Why it must be shared without consent"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class StartPathwayForm(forms.Form):
    pathway = forms.ModelChoiceField(label=_("Pathway"), queryset=None, empty_label=None)

    def __init__(self, *args, user, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pathway"].queryset = access.pathways_for(user).filter(
            municipality=case.municipality
        )
