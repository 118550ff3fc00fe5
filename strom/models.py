"""The shared core: countries, municipalities, actors, memberships and the audit log."""

import uuid

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .audit import AuditEvent  # noqa: F401  (the audit log lives in its own module)
from .notifications import Notification, NotificationPreference  # noqa: F401


class Country(models.Model):
    code = models.CharField(
        _("ISO code"),
        max_length=2,
        unique=True,
        validators=[RegexValidator(r"^[A-Z]{2}$", _("Two capital letters (ISO 3166-1)."))],
    )
    name = models.CharField(_("name"), max_length=100)
    reflection_period_days = models.PositiveSmallIntegerField(
        _("reflection and recovery period (days)"),
        default=30,
        validators=[MinValueValidator(30), MaxValueValidator(366)],
        help_text=_("At least 30 days (Council of Europe Convention, art. 13)."),
    )
    languages = models.JSONField(
        _("languages"),
        default=list,
        blank=True,
        help_text=_("Language codes used in this country, first the official one."),
    )
    retention_years = models.PositiveSmallIntegerField(
        _("retention of closed cases (years)"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
        help_text=_(
            "A closed case is anonymised this many years after its closure: identifying "
            "data and free text are erased, statistics remain."
        ),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")

    def __str__(self):
        return self.name

    def clean(self):
        known = {code for code, _name in settings.LANGUAGES}
        unknown = [code for code in self.languages or [] if code not in known]
        if unknown:
            raise ValidationError(
                {
                    "languages": _("Unknown language codes: %(codes)s")
                    % {"codes": ", ".join(unknown)}
                }
            )


class Municipality(models.Model):
    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, related_name="municipalities", verbose_name=_("country")
    )
    name = models.CharField(_("name"), max_length=100)
    code = models.CharField(
        _("code"),
        max_length=3,
        unique=True,
        validators=[RegexValidator(r"^[A-Z]{3}$", _("Three capital letters, e.g. RIX."))],
        help_text=_("Starts every case reference code (RIX-2026-0007)."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")

    def __str__(self):
        return self.name

    @property
    def audit_municipality(self):
        return self


class ActorKind(models.TextChoices):
    SOCIAL_SERVICE = "social_service", _("Municipal social service")
    CHILD_PROTECTION = "child_protection", _("Child protection")
    POLICE = "police", _("Police")
    PROSECUTOR = "prosecutor", _("Prosecutor")
    NGO = "ngo", _("Non-governmental organisation")
    SHELTER = "shelter", _("Shelter")
    HEALTH_CARE = "health_care", _("Health care")
    LEGAL_AID = "legal_aid", _("Legal aid")
    EMPLOYMENT_OFFICE = "employment_office", _("Employment office")
    MIGRATION_AUTHORITY = "migration_authority", _("Migration authority")
    LABOUR_INSPECTORATE = "labour_inspectorate", _("Labour inspectorate")
    EMBASSY = "embassy", _("Embassy or consulate")
    NATIONAL_COORDINATOR_OFFICE = "national_coordinator_office", _("National coordinator office")
    OTHER = "other", _("Other")


class ActorLevel(models.TextChoices):
    LOCAL = "local", _("Local")
    REGIONAL = "regional", _("Regional")
    NATIONAL = "national", _("National")


class Actor(models.Model):
    """An organisation taking part in the chain of assistance."""

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=40, choices=ActorKind.choices)
    level = models.CharField(
        _("level"), max_length=10, choices=ActorLevel.choices, default=ActorLevel.LOCAL
    )
    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, related_name="actors", verbose_name=_("country")
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="actors",
        null=True,
        blank=True,
        verbose_name=_("municipality"),
        help_text=_("The municipality a local actor belongs to; empty for regional and national."),
    )
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    website = models.URLField(_("website"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    # The actor's staff as a group: per-object grants to an organisation (a referral
    # addressed to a shelter) go to this group, so they follow staff changes.
    group = models.OneToOneField(
        Group, on_delete=models.PROTECT, editable=False, related_name="actor"
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("actor")
        verbose_name_plural = _("actors")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level="local", municipality__isnull=False)
                | ~models.Q(level="local"),
                name="local_actor_has_municipality",
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        # Every actor has its own staff group from the start (see `group`).
        if not self.group_id:
            self.group = Group.objects.create(name=f"actor:{uuid.uuid4().hex}")
        super().save(*args, **kwargs)

    @property
    def audit_municipality(self):
        return self.municipality

    def clean(self):
        if self.level == ActorLevel.LOCAL and not self.municipality_id:
            raise ValidationError({"municipality": _("A local actor belongs to a municipality.")})
        if (
            self.municipality_id
            and self.country_id
            and self.municipality.country_id != self.country_id
        ):
            raise ValidationError(
                {"municipality": _("The municipality is not in the actor's country.")}
            )


class Role(models.TextChoices):
    SOCIAL_WORKER = "social_worker", _("Social worker")
    COORDINATOR = "coordinator", _("Coordinator")
    ADMINISTRATOR = "administrator", _("Administrator")
    SERVICE_PROVIDER = "service_provider", _("Service provider")
    NATIONAL_COORDINATOR = "national_coordinator", _("National coordinator")


# Roles that act for a municipality: their actor must be a local one.
MUNICIPAL_ROLES = {Role.SOCIAL_WORKER, Role.COORDINATOR, Role.ADMINISTRATOR}


class MembershipQuerySet(models.QuerySet):
    def active(self):
        return self.filter(ended_at__isnull=True, user__is_active=True)


class Membership(models.Model):
    """A user's role at an actor. A person may hold several."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("user"),
    )
    actor = models.ForeignKey(
        Actor, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("actor")
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["actor__name", "role"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "actor", "role"],
                condition=models.Q(ended_at__isnull=True),
                name="one_active_membership_per_user_actor_role",
                violation_error_message=_("This person already has this role at this actor."),
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.actor}"

    @property
    def is_active(self):
        return self.ended_at is None

    @property
    def municipality(self):
        return self.actor.municipality

    @property
    def audit_municipality(self):
        return self.actor.municipality

    def clean(self):
        if not self.actor_id or not self.role:
            return
        if self.role in MUNICIPAL_ROLES and self.actor.municipality_id is None:
            raise ValidationError(
                {"actor": _("This role works for a municipality: choose a local actor.")}
            )
        if self.role == Role.NATIONAL_COORDINATOR and self.actor.level != ActorLevel.NATIONAL:
            raise ValidationError(
                {"actor": _("A national coordinator belongs to a national actor.")}
            )


# Roles an administrator may only ask for: a coordinator reads every case of the
# municipality, an administrator could confirm the next such request. A second administrator
# of the municipality confirms (RoleRequest), or a superuser gives the role directly.
CONFIRMED_ROLES = (Role.COORDINATOR, Role.ADMINISTRATOR)


class RoleRequestOutcome(models.TextChoices):
    PENDING = "pending", _("Waiting for confirmation")
    CONFIRMED = "confirmed", _("Confirmed")
    REFUSED = "refused", _("Refused")


class RoleRequestQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(outcome=RoleRequestOutcome.PENDING)


class RoleRequest(models.Model):
    """An administrator's request to give someone a role that needs a second administrator's
    confirmation (CONFIRMED_ROLES). It gives no access until confirmed: only then is the
    Membership created."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="role_requests",
        verbose_name=_("person"),
    )
    actor = models.ForeignKey(
        Actor, on_delete=models.PROTECT, related_name="role_requests", verbose_name=_("actor")
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("asked by"),
    )
    requested_at = models.DateTimeField(_("asked"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    outcome = models.CharField(
        _("outcome"),
        max_length=10,
        choices=RoleRequestOutcome.choices,
        default=RoleRequestOutcome.PENDING,
    )

    objects = RoleRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("role request")
        verbose_name_plural = _("role requests")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "actor", "role"],
                condition=models.Q(outcome="pending"),
                name="one_pending_role_request_per_user_actor_role",
                violation_error_message=_(
                    "This role for this person at this organisation already waits for confirmation."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.actor}"

    @property
    def is_pending(self):
        return self.outcome == RoleRequestOutcome.PENDING

    @property
    def audit_municipality(self):
        return self.actor.municipality


class Heartbeat(models.Model):
    """When the periodic background job last ran. Reminders and escalations depend on the
    Celery worker and beat; if this goes stale, coordinators are told on their home page."""

    BEAT = "beat"

    name = models.CharField(_("name"), max_length=50, unique=True)
    last_seen_at = models.DateTimeField(_("last seen"))

    class Meta:
        verbose_name = _("heartbeat")
        verbose_name_plural = _("heartbeats")

    def __str__(self):
        return f"{self.name} {self.last_seen_at:%Y-%m-%d %H:%M:%S}"

    @classmethod
    def background_jobs_late(cls, now=None):
        """True when the beat heartbeat is missing or older than the allowed delay."""
        now = now or timezone.now()
        beat = cls.objects.filter(name=cls.BEAT).first()
        return beat is None or now - beat.last_seen_at > settings.STROM_HEARTBEAT_LATE_AFTER

    @classmethod
    def beat(cls, now=None):
        cls.objects.update_or_create(
            name=cls.BEAT, defaults={"last_seen_at": now or timezone.now()}
        )


class SecurityPolicy(models.Model):
    """Site-wide security choices a superuser makes (Django admin). One row."""

    two_factor_for_all = models.BooleanField(
        _("second factor for every role"),
        default=False,
        help_text=_(
            "Social workers, coordinators, service providers, administrators and superusers "
            "always need a second factor. Tick this to require it from national "
            "coordinators and every other user too."
        ),
    )
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("security policy")
        verbose_name_plural = _("security policy")

    def __str__(self):
        return str(_("Security policy"))

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)

    @classmethod
    def current(cls):
        return cls.objects.filter(pk=1).first() or cls(pk=1)
