from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from cases.models import ShareItem
from services.matching import send_warnings
from strom import access
from strom.models import Membership, Role

from .models import DeclineReason, Outcome


class SendForm(forms.Form):
    to_actor = forms.ModelChoiceField(label=_("To organisation"), queryset=None)
    to_user = forms.ModelChoiceField(
        label=_("To a person there (optional)"), queryset=None, required=False
    )
    service = forms.ModelChoiceField(label=_("Service (optional)"), queryset=None, required=False)
    # Shown, and required, only when the choice may not fit the person (self.warnings).
    override_reason = forms.CharField(
        label=_("Reason for sending anyway"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Do not write the person's name: say why this organisation is right anyway."),
    )

    def __init__(self, *args, user, referral, **kwargs):
        super().__init__(*args, **kwargs)
        self.referral = referral
        actors = access.actors_for(user).filter(is_active=True).order_by("name")
        self.fields["to_actor"].queryset = actors
        # Only the active staff who can read a referral sent to their organisation.
        staff = Membership.objects.active().filter(actor__in=actors, role=Role.SERVICE_PROVIDER)
        self.fields["to_user"].queryset = (
            get_user_model()
            .objects.filter(pk__in=staff.values("user_id"))
            .order_by("last_name", "first_name")
        )
        names = {}
        for membership in staff.select_related("actor"):
            names.setdefault(membership.user_id, []).append(membership.actor.name)
        self.fields["to_user"].label_from_instance = lambda u: "{} ({})".format(
            u.get_full_name() or u.username, ", ".join(sorted(names.get(u.pk, [])))
        )
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
        self.warnings = [] if self.is_bound else self._initial_warnings()

    def _initial_warnings(self):
        """What the page shows before she sends: the warnings for the preselected choice."""
        actor = self.fields["to_actor"].queryset.filter(pk=self.initial.get("to_actor")).first()
        service = self.fields["service"].queryset.filter(pk=self.initial.get("service")).first()
        if actor is None or not self.referral.case_id:
            return []
        return send_warnings(self.referral.case, actor, service)

    def clean(self):
        data = super().clean()
        actor, person, service = data.get("to_actor"), data.get("to_user"), data.get("service")
        if actor is None:
            return data
        if (
            person is not None
            and not Membership.objects.active()
            .filter(user=person, actor=actor, role=Role.SERVICE_PROVIDER)
            .exists()
        ):
            self.add_error("to_user", _("This person does not work at the organisation."))
        if service is not None and service.provider_id != actor.pk:
            self.add_error("service", _("The service is not one of the organisation's."))
        self.warnings = send_warnings(self.referral.case, actor, service)
        data["override_reason"] = data.get("override_reason", "").strip() if self.warnings else ""
        if self.warnings and not data["override_reason"]:
            self.add_error(
                "override_reason",
                _(
                    "This choice may not fit the person (see the warnings). Give a reason "
                    "for sending anyway, or choose another organisation or service."
                ),
            )
        return data


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
