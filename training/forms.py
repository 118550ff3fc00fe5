from django import forms
from django.utils.translation import gettext_lazy as _

from strom import access, uploads
from strom.models import ActorKind, Role

from .models import Material, Topic, TrainingEvent


class EventForm(forms.ModelForm):
    topics = forms.MultipleChoiceField(
        label=_("Topics"), choices=Topic.choices, widget=forms.CheckboxSelectMultiple
    )
    target_roles = forms.MultipleChoiceField(
        label=_("For roles"),
        choices=Role.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    target_kinds = forms.MultipleChoiceField(
        label=_("For kinds of organisation"),
        choices=ActorKind.choices,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
    )
    starts_at = forms.DateTimeField(
        label=_("Starts"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    class Meta:
        model = TrainingEvent
        fields = [
            "title",
            "description",
            "municipality",
            "level",
            "mode",
            "starts_at",
            "duration_hours",
            "place",
            "organiser",
            "trainers",
            "topics",
            "target_roles",
            "target_kinds",
            "capacity",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = access.administered_municipalities(user)
        self.fields["municipality"].empty_label = None
        self.fields["organiser"].queryset = access.actors_for(user).filter(is_active=True)
        if self.instance.pk:
            self.initial["topics"] = [t.topic for t in self.instance.topics.all()]
            del self.fields["municipality"]

    def clean_capacity(self):
        capacity = self.cleaned_data["capacity"]
        if self.instance.pk and capacity < self.instance.registrations.count():
            raise forms.ValidationError(_("More people are already registered than that."))
        return capacity


class StaffParticipantForm(forms.Form):
    """The organiser adds a member of staff (training.actions.staff_to_add)."""

    user = forms.ModelChoiceField(label=_("Member of staff"), queryset=None)

    def __init__(self, *args, event, **kwargs):
        from .actions import staff_to_add

        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = staff_to_add(event)
        self.fields["user"].label_from_instance = lambda u: u.get_full_name() or u.get_username()


class ExternalParticipantForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    organisation = forms.CharField(label=_("Organisation"), max_length=200, required=False)


class MaterialForm(forms.ModelForm):
    # Type, content and size checked by strom.uploads (STROM_UPLOAD_MAX_MB).
    file = uploads.UploadField(label=_("File"), kinds=uploads.TRAINING_MATERIAL_KINDS)

    class Meta:
        model = Material
        fields = ["title", "file"]
