"""Training of front-line staff, prevention work, and the network of experts."""

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from strom.models import Actor, Country, Municipality, Role


class Topic(models.TextChoices):
    """The core topics whose coverage is followed (DOMAIN.md, the STROM guidelines)."""

    IDENTIFICATION = "identification", _("Identification indicators")
    VICTIM_CENTRED = "victim_centred", _("Victim-centred and trauma-informed work")
    REFERRAL = "referral", _("The referral mechanism")
    LABOUR = "labour", _("Labour exploitation")
    CHILDREN = "children", _("Child trafficking")
    DATA_PROTECTION = "data_protection", _("Data protection")


class TrainingLevel(models.TextChoices):
    LOCAL = "local", _("Local")
    NATIONAL = "national", _("National")
    REGIONAL = "regional", _("Regional (Baltic Sea Region)")


class TrainingMode(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")


# Staff whose training coverage is followed.
FRONT_LINE_ROLES = (Role.SOCIAL_WORKER, Role.COORDINATOR, Role.SERVICE_PROVIDER)


class TrainingEvent(models.Model):
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="training_events",
        verbose_name=_("organising municipality"),
    )
    level = models.CharField(
        _("level"), max_length=10, choices=TrainingLevel.choices, default=TrainingLevel.LOCAL
    )
    mode = models.CharField(
        _("form"), max_length=10, choices=TrainingMode.choices, default=TrainingMode.IN_PERSON
    )
    starts_at = models.DateTimeField(_("starts"))
    duration_hours = models.DecimalField(
        _("duration (hours)"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(0.5), MaxValueValidator(80)],
    )
    place = models.CharField(_("place or link"), max_length=300)
    organiser = models.ForeignKey(
        Actor, on_delete=models.PROTECT, related_name="+", verbose_name=_("organiser")
    )
    trainers = models.CharField(_("trainers"), max_length=300, blank=True)
    target_roles = models.JSONField(_("for roles"), default=list, blank=True)
    target_kinds = models.JSONField(_("for kinds of organisation"), default=list, blank=True)
    capacity = models.PositiveSmallIntegerField(
        _("places"), validators=[MinValueValidator(1), MaxValueValidator(2000)]
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-starts_at", "id"]
        verbose_name = _("training")
        verbose_name_plural = _("trainings")

    def __str__(self):
        return self.title

    @property
    def audit_municipality(self):
        return self.municipality

    def get_absolute_url(self):
        return reverse("training_detail", args=[self.pk])

    def topic_labels(self):
        return [Topic(t.topic).label for t in self.topics.all()]

    @property
    def places_left(self):
        """Uses the `registered` annotation of lists when there is one."""
        registered = getattr(self, "registered", None)
        if registered is None:
            registered = self.registrations.count()
        return max(self.capacity - registered, 0)


class EventTopic(models.Model):
    event = models.ForeignKey(TrainingEvent, on_delete=models.CASCADE, related_name="topics")
    topic = models.CharField(_("topic"), max_length=30, choices=Topic.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "topic"], name="one_topic_row")]


class Material(models.Model):
    event = models.ForeignKey(TrainingEvent, on_delete=models.CASCADE, related_name="materials")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to="training/")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title


class Registration(models.Model):
    """A place at a training: a STROM user, or an external participant by name."""

    event = models.ForeignKey(TrainingEvent, on_delete=models.PROTECT, related_name="registrations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="training_registrations",
    )
    external_name = models.CharField(_("name"), max_length=150, blank=True)
    external_organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    registered_at = models.DateTimeField(auto_now_add=True)
    attended = models.BooleanField(_("attended"), null=True, blank=True)
    attendance_marked_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["event", "registered_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "user"],
                condition=models.Q(user__isnull=False),
                name="one_registration_per_user",
                violation_error_message=_("Already registered."),
            ),
            models.CheckConstraint(
                condition=models.Q(user__isnull=False) | ~models.Q(external_name=""),
                name="registration_names_someone",
            ),
        ]

    def __str__(self):
        return f"{self.event} · {self.participant_name}"

    @property
    def participant_name(self):
        if self.user_id:
            return self.user.get_full_name() or self.user.get_username()
        return self.external_name

    @property
    def participant_organisation(self):
        if self.user_id:
            membership = self.user.memberships.filter(ended_at__isnull=True).first()
            return membership.actor.name if membership else ""
        return self.external_organisation


def _certificate_code():
    # 128 bits of randomness: a certificate URL cannot be guessed.
    return secrets.token_urlsafe(16)


class Certificate(models.Model):
    registration = models.OneToOneField(
        Registration, on_delete=models.PROTECT, related_name="certificate"
    )
    code = models.CharField(max_length=40, unique=True, default=_certificate_code, editable=False)
    issued_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.code

    def get_verify_url(self):
        return reverse("certificate_verify", args=[self.code])


class PreventionKind(models.TextChoices):
    CAMPAIGN = "campaign", _("Awareness campaign")
    OUTREACH = "outreach", _("Outreach to a group at risk")
    SCHOOL = "school", _("School lesson")
    EMPLOYERS = "employers", _("Information for employers")
    OTHER = "other", _("Other")


class RiskGroup(models.TextChoices):
    YOUTH = "youth", _("Young people and pupils")
    CHILDREN_IN_CARE = "children_in_care", _("Children in care")
    MIGRANT_WORKERS = "migrant_workers", _("Migrant and seasonal workers")
    JOBSEEKERS = "jobseekers", _("Jobseekers going abroad")
    PEOPLE_IN_PROSTITUTION = "prostitution", _("People in prostitution")
    HOMELESS = "homeless", _("Homeless people")
    EMPLOYERS = "employers", _("Employers and recruiters")
    GENERAL = "general", _("General public")


class PreventionActivity(models.Model):
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="prevention_activities",
        verbose_name=_("municipality"),
    )
    kind = models.CharField(_("kind"), max_length=15, choices=PreventionKind.choices)
    target_group = models.CharField(_("group at risk"), max_length=20, choices=RiskGroup.choices)
    title = models.CharField(_("title"), max_length=200)
    held_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=300, blank=True)
    partners = models.CharField(_("partners"), max_length=300, blank=True)
    people_reached = models.PositiveIntegerField(
        _("people reached"), validators=[MaxValueValidator(10_000_000)]
    )
    materials = models.TextField(_("materials used"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-held_on", "id"]
        verbose_name = _("prevention activity")
        verbose_name_plural = _("prevention activities")

    def __str__(self):
        return self.title

    @property
    def audit_municipality(self):
        return self.municipality


class ExpertProfile(models.Model):
    """A user's entry in the expert directory. Only opted-in profiles are listed."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="expert_profile"
    )
    listed = models.BooleanField(_("list me in the expert directory"), default=False)
    areas = models.TextField(_("areas of expertise"), blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("municipality"),
    )
    country = models.ForeignKey(Country, on_delete=models.PROTECT, verbose_name=_("country"))
    contact = models.CharField(_("how to contact me"), max_length=300)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["user__last_name", "user__first_name"]
        verbose_name = _("expert profile")
        verbose_name_plural = _("expert profiles")

    def __str__(self):
        return self.user.get_full_name() or self.user.get_username()
