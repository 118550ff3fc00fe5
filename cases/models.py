"""Cases of potential, presumed and formally identified victims.

A victim is named by the case's reference code (RIX-2026-0007) everywhere: URLs, the
audit log, notifications. Identifying data and free text are encrypted at rest
(`strom.crypto.EncryptedTextField`); statistical fields stay in the clear so that
lists can filter them and reports can count them.
"""

from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from strom import languages
from strom.crypto import EncryptedTextField
from strom.models import Actor, ActorKind, Municipality
from strom.taxonomy import NeedCategory

from .choices import (
    OPEN_NEED_STATUSES,
    SHAREABLE_WITHOUT_CONSENT,
    AnonymisedBecause,
    ClosureReason,
    ConsentGiven,
    DocumentKind,
    ErasureGround,
    ExploitationForm,
    ExploitationPeriod,
    Gender,
    Identification,
    LabourSector,
    LawEnforcementCooperation,
    Lifecycle,
    NeedStatus,
    NoteKind,
    RecruiterRelationship,
    ShareItem,
    Urgency,
)

ADULT_AGE = 18
# CTDC age bands (DOMAIN.md).
AGE_BANDS = [
    (0, 8),
    (9, 17),
    (18, 20),
    (21, 23),
    (24, 26),
    (27, 29),
    (30, 38),
    (39, 47),
    (48, None),
]


def first_of_next_month(day):
    """The 1st of the month after `day`'s month."""
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def treated_as_child(today, prefix="person__"):
    """The child/adult rule in SQL, for case lists and reports: she is a child while she does
    not yet count as an adult, or when she may be one (Person.child_status)."""
    return models.Q(**{f"{prefix}adult_from__gt": today}) | models.Q(
        **{f"{prefix}may_be_child": True}
    )


class CaseSequence(models.Model):
    """The last reference number given per municipality and year. Numbers are never reused:
    cases are never deleted (erasure anonymises)."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["municipality", "year"], name="one_sequence_per_year")
        ]


class CaseQuerySet(models.QuerySet):
    def with_open_needs(self):
        return self.filter(
            models.Exists(
                Need.objects.filter(case=models.OuterRef("pk"), status__in=OPEN_NEED_STATUSES)
            )
        )

    def children(self, today=None):
        today = today or timezone.localdate()
        return self.filter(treated_as_child(today))

    def adults(self, today=None):
        today = today or timezone.localdate()
        return self.filter(person__adult_from__lte=today, person__may_be_child=False)


class Case(models.Model):
    reference = models.CharField(_("reference code"), max_length=20, unique=True, editable=False)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="cases", verbose_name=_("municipality")
    )
    owner = models.ForeignKey(
        Actor,
        on_delete=models.PROTECT,
        related_name="owned_cases",
        verbose_name=_("responsible organisation"),
    )
    first_contact_on = models.DateField(_("first contact"))
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("registered by"),
    )
    lifecycle = models.CharField(
        _("case state"), max_length=10, choices=Lifecycle.choices, default=Lifecycle.OPEN
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closure_reason = models.CharField(
        _("reason for closing"), max_length=20, choices=ClosureReason.choices, blank=True
    )
    identification = models.CharField(
        _("identification status"),
        max_length=12,
        choices=Identification.choices,
        default=Identification.POTENTIAL,
    )
    reflection_starts_on = models.DateField(_("reflection period from"), null=True, blank=True)
    reflection_ends_on = models.DateField(_("reflection period until"), null=True, blank=True)
    law_enforcement_cooperation = models.CharField(
        _("cooperation with law enforcement"),
        max_length=20,
        choices=LawEnforcementCooperation.choices,
        default=LawEnforcementCooperation.UNKNOWN,
        help_text=_("For statistics only: assistance never depends on it."),
    )
    # Set once when identifying data and free text are erased (cases/retention.py); the
    # statistical fields above stay, so reports do not change.
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True, editable=False)
    anonymised_because = models.CharField(
        _("anonymised because"),
        max_length=10,
        choices=AnonymisedBecause.choices,
        blank=True,
        editable=False,
    )
    erasure_ground = models.CharField(
        _("ground for erasure"), max_length=20, choices=ErasureGround.choices, blank=True
    )
    erasure_request_reference = models.CharField(
        _("request reference"),
        max_length=60,
        blank=True,
        help_text=_("The data protection officer's reference for the request; never a name."),
    )

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        default_permissions = ("view", "change")
        indexes = [models.Index(fields=["municipality", "identification"])]

    def __str__(self):
        # The reference code, never a name: this string reaches the audit log.
        return self.reference

    @property
    def audit_municipality(self):
        return self.municipality

    @property
    def is_closed(self):
        return self.lifecycle == Lifecycle.CLOSED

    def reflection_period_for(self, start):
        return start, start + timedelta(days=self.municipality.country.reflection_period_days)


class CaseUserObjectPermission(UserObjectPermissionBase):
    """Per-case grants to users (assigned workers): guardian's direct foreign-key table."""

    content_object = models.ForeignKey(Case, on_delete=models.CASCADE)


class CaseGroupObjectPermission(GroupObjectPermissionBase):
    """Per-case grants to groups (an actor's staff, a case shared with another office)."""

    content_object = models.ForeignKey(Case, on_delete=models.CASCADE)


class Assignment(models.Model):
    """A worker assigned to a case. The primary worker leads it."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="assignments")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="case_assignments",
        verbose_name=_("case worker"),
    )
    is_primary = models.BooleanField(_("primary case worker"), default=False)
    assigned_at = models.DateTimeField(_("assigned"), auto_now_add=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)

    class Meta:
        ordering = ["-is_primary", "assigned_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "user"],
                condition=models.Q(ended_at__isnull=True),
                name="one_active_assignment_per_worker",
                violation_error_message=_("This worker is already assigned to the case."),
            ),
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(ended_at__isnull=True, is_primary=True),
                name="one_primary_worker",
            ),
        ]


class Person(models.Model):
    """The person the case is about. Encrypted fields identify her; the others are for
    statistics and stay in the clear."""

    # Special-category data (GDPR art. 9): recorded only where it shapes assistance, and
    # never exported.
    SPECIAL_CATEGORY_FIELDS = (
        "ethnicity",
        "sexual_orientation",
        "gender_identity",
        "disability",
        "health",
    )

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="person")
    # Identifying, encrypted.
    given_names = EncryptedTextField(_("given names"), blank=True)
    family_name = EncryptedTextField(_("family name"), blank=True)
    aliases = EncryptedTextField(_("other names used"), blank=True)
    date_of_birth = EncryptedTextField(_("date of birth"), blank=True)
    phone = EncryptedTextField(_("phone"), blank=True)
    email = EncryptedTextField(_("e-mail"), blank=True)
    address = EncryptedTextField(_("address"), blank=True)
    identity_documents = EncryptedTextField(_("identity documents"), blank=True)
    notes = EncryptedTextField(_("notes"), blank=True)
    guardian = EncryptedTextField(
        _("guardian or representative"),
        blank=True,
        help_text=_("Name, organisation and contact of the guardian or legal representative."),
    )
    # Statistical, in the clear.
    gender = models.CharField(
        _("gender"), max_length=20, choices=Gender.choices, default=Gender.NOT_SPECIFIED
    )
    age_years = models.PositiveSmallIntegerField(_("age (years)"), null=True, blank=True)
    age_is_estimate = models.BooleanField(_("age is an estimate"), default=False)
    age_recorded_on = models.DateField(_("age recorded on"), null=True, blank=True)
    may_be_child = models.BooleanField(
        _("may be a child"),
        default=False,
        help_text=_("When age is uncertain and the person may be under 18, treat as a child."),
    )
    # The first day she counts as an adult: the 1st of the month after the one she turns 18
    # (always a 1st, so that it gives away no day of birth). She counts as a child until the
    # end of the month she turns 18: when in doubt, a child (directive 2011/36/EU art. 13(2)).
    adult_from = models.DateField(
        _("counts as an adult from"), null=True, blank=True, editable=False
    )
    citizenship = CountryField(_("citizenship"), blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    interpreter_needed = models.BooleanField(_("interpreter needed"), default=False)
    # Special category, encrypted.
    ethnicity = EncryptedTextField(_("ethnicity"), blank=True)
    sexual_orientation = EncryptedTextField(_("sexual orientation"), blank=True)
    gender_identity = EncryptedTextField(_("gender identity"), blank=True)
    disability = EncryptedTextField(_("disability"), blank=True)
    health = EncryptedTextField(_("health"), blank=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")

    def __str__(self):
        return f"{self.case.reference}"

    def clean(self):
        unknown = [code for code in self.languages or [] if code not in languages.codes()]
        if unknown:
            raise ValidationError({"languages": _("Unknown language codes.")})

    def language_names(self):
        return [languages.name(code) for code in self.languages or []]

    def derive_age(self, today=None):
        """Fill the age and the month she counts as an adult from, from the date of birth or
        the estimate. From a date of birth only its year and month reach the clear columns:
        the age is taken on the 1st of the month after her birthday month (the last such day
        before today), so it is exact on that day whatever the day of birth, and she has her
        birthday, for the statistics, at the end of its month (never older than she is)."""
        today = today or timezone.localdate()
        if self.date_of_birth:
            born = date.fromisoformat(self.date_of_birth)
            after_birth_month = first_of_next_month(born)
            years = max(0, relativedelta(today, after_birth_month).years)
            self.age_years = years
            self.age_is_estimate = False
            self.age_recorded_on = after_birth_month + relativedelta(years=years)
            self.adult_from = after_birth_month + relativedelta(years=ADULT_AGE)
        elif self.age_years is not None:
            self.age_recorded_on = self.age_recorded_on or today
            self.adult_from = first_of_next_month(
                self.age_recorded_on + relativedelta(years=ADULT_AGE - self.age_years)
            )
        else:
            self.age_recorded_on = None
            self.adult_from = None

    def current_age(self, today=None):
        if self.age_years is None or self.age_recorded_on is None:
            return None
        today = today or timezone.localdate()
        return self.age_years + relativedelta(today, self.age_recorded_on).years

    def child_status(self, today=None):
        """'child', 'presumed_child', 'adult' or 'unknown' (directive art. 13(2): an uncertain
        age that may be under 18 counts as a child)."""
        today = today or timezone.localdate()
        under_18 = self.adult_from is not None and self.adult_from > today
        if under_18 and not self.age_is_estimate:
            return "child"
        if under_18 or self.may_be_child:
            return "presumed_child"
        if self.adult_from is None:
            return "unknown"
        return "adult"

    def is_treated_as_child(self, today=None):
        return self.child_status(today) in ("child", "presumed_child")

    def age_band(self, today=None):
        age = self.current_age(today)
        if age is None:
            return ""
        for low, high in AGE_BANDS:
            if high is None or age <= high:
                return f"{low}+" if high is None else f"{low}-{high}"
        return ""


class Exploitation(models.Model):
    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="exploitation")
    labour_sector = models.CharField(
        _("labour sector"), max_length=10, choices=LabourSector.choices, blank=True
    )
    means_of_control = models.JSONField(_("means of control"), default=list, blank=True)
    recruiter_relationship = models.CharField(
        _("relationship to recruiter"),
        max_length=20,
        choices=RecruiterRelationship.choices,
        blank=True,
    )
    recruitment_countries = CountryField(_("countries of recruitment"), multiple=True, blank=True)
    transit_countries = CountryField(_("countries of transit"), multiple=True, blank=True)
    exploitation_countries = CountryField(_("countries of exploitation"), multiple=True, blank=True)
    period = models.CharField(
        _("period in exploitation"), max_length=10, choices=ExploitationPeriod.choices, blank=True
    )
    indicators = EncryptedTextField(_("indicators observed"), blank=True)

    class Meta:
        verbose_name = _("exploitation")
        verbose_name_plural = _("exploitation")

    def __str__(self):
        return f"{self.case.reference}"


class ExploitationFormRecord(models.Model):
    """One row per form of exploitation of a case, so that lists can filter by form."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="exploitation_forms")
    form = models.CharField(
        _("form of exploitation"), max_length=30, choices=ExploitationForm.choices
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "form"], name="one_row_per_form")]


class IdentificationChange(models.Model):
    """One step of the identification status history. A decision can be reconsidered: a new
    row, never an edit."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="identification_changes")
    status = models.CharField(_("status"), max_length=12, choices=Identification.choices)
    decided_on = models.DateField(_("date"))
    deciding_actor = models.ForeignKey(
        Actor,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("deciding authority"),
    )
    note = EncryptedTextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["decided_on", "recorded_at", "id"]


class Need(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="needs")
    category = models.CharField(_("need"), max_length=30, choices=NeedCategory.choices)
    urgency = models.CharField(
        _("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.DAYS
    )
    status = models.CharField(
        _("status"), max_length=12, choices=NeedStatus.choices, default=NeedStatus.IDENTIFIED
    )
    tailoring = EncryptedTextField(
        _("how the help is tailored"),
        blank=True,
        help_text=_("Language, gender of staff, age, culture, disability..."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    service = models.ForeignKey(
        "services.Service",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("chosen service"),
    )

    class Meta:
        ordering = ["case", "category"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "category"],
                name="one_need_per_category",
                violation_error_message=_("This need is already recorded for the case."),
            )
        ]

    def __str__(self):
        return f"{self.case.reference}: {self.get_category_display()}"

    @property
    def is_open(self):
        return self.status in OPEN_NEED_STATUSES


class ConsentQuerySet(models.QuerySet):
    def in_force(self, on=None):
        on = on or timezone.localdate()
        return self.filter(withdrawn_at__isnull=True, given_on__lte=on).filter(
            models.Q(expires_on__isnull=True) | models.Q(expires_on__gte=on)
        )


class Consent(models.Model):
    """One act of consent to share (GBVIMS practice). Withdrawal takes effect at once."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="consents")
    recipient = models.ForeignKey(
        Actor,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recipient organisation"),
    )
    recipient_kind = models.CharField(
        _("or any organisation of this kind"), max_length=40, choices=ActorKind.choices, blank=True
    )
    items = models.JSONField(_("information to share"), default=list)
    purpose = models.CharField(_("purpose"), max_length=300)
    given_how = models.CharField(
        _("how consent was given"), max_length=20, choices=ConsentGiven.choices
    )
    interpreter_used = models.BooleanField(_("interpreter used"), default=False)
    given_on = models.DateField(_("given on"))
    expires_on = models.DateField(_("valid until"), null=True, blank=True)
    guardian_consent = models.BooleanField(_("guardian consented"), default=False)
    child_assent = models.BooleanField(_("child assented"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawal_reason = EncryptedTextField(_("reason for withdrawal"), blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = ConsentQuerySet.as_manager()

    class Meta:
        ordering = ["-given_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(recipient__isnull=False) | ~models.Q(recipient_kind=""),
                name="consent_names_a_recipient",
            ),
        ]

    def __str__(self):
        return f"{self.case.reference}: consent {self.pk}"

    @property
    def recipient_label(self):
        return str(self.recipient) if self.recipient_id else self.get_recipient_kind_display()

    def item_labels(self):
        return [ShareItem(item).label for item in self.items if item in ShareItem.values]

    def is_in_force(self, on=None):
        on = on or timezone.localdate()
        return (
            self.withdrawn_at is None
            and self.given_on <= on
            and (self.expires_on is None or self.expires_on >= on)
        )


def may_share(case, item, actor, on=None):
    """May `case` share `item` with `actor` now? Reference code, needs, language and urgency
    always (they need no consent); anything else only under consent in force that names
    the actor or its kind. Consent never decides whether help is given."""
    if item in SHAREABLE_WITHOUT_CONSENT:
        return True
    if item not in ShareItem.values:
        raise ValueError(f"Unknown information item: {item}")
    consents = (
        Consent.objects.in_force(on)
        .filter(case=case)
        .filter(
            models.Q(recipient=actor) | models.Q(recipient__isnull=True, recipient_kind=actor.kind)
        )
    )
    return any(item in consent.items for consent in consents)


class CaseNote(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="notes")
    kind = models.CharField(
        _("kind"), max_length=10, choices=NoteKind.choices, default=NoteKind.NOTE
    )
    occurred_on = models.DateField(_("date"))
    text = EncryptedTextField(_("text"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        ordering = ["-occurred_on", "-created_at"]


def _document_path(instance, filename):
    # A random name, no extension: the stored file reveals nothing and can never be
    # served or executed as what its original name claims.
    import uuid

    return f"cases/{instance.case.municipality.code}/{uuid.uuid4().hex}"


class CaseDocument(models.Model):
    """A file kept with a case (a scan of an identity document, a decision, a letter).

    The content is encrypted at rest with the field-encryption keys; the original name is
    encrypted too. Files live under MEDIA_ROOT, outside the web root, and are served only
    through a permission-checked view.
    """

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(
        _("kind"), max_length=10, choices=DocumentKind.choices, default=DocumentKind.OTHER
    )
    title = EncryptedTextField(_("title"))
    original_name = EncryptedTextField(_("original file name"), blank=True)
    file = models.FileField(_("file"), upload_to=_document_path, max_length=200)
    content_type = models.CharField(_("file type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256 of the content"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        verbose_name = _("case document")
        verbose_name_plural = _("case documents")

    def __str__(self):
        return f"{self.case.reference} #{self.pk}"

    @property
    def audit_municipality(self):
        return self.case.municipality


class FormToken(models.Model):
    """A create form's one-time token, spent by its first successful post (cases/once.py).
    Inserted in the same transaction as what the form creates, under a unique key: a second
    post of the same form waits for the first, then finds the token spent and shows what the
    first one made. Holds no case data: a user, a key and a link."""

    key = models.CharField(_("key"), max_length=43, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    url = models.CharField(_("link"), max_length=300, blank=True)
    spent_at = models.DateTimeField(_("spent"), auto_now_add=True)

    class Meta:
        verbose_name = _("form token")
        verbose_name_plural = _("form tokens")
        indexes = [models.Index(fields=["user", "spent_at"], name="formtoken_user_spent")]

    def __str__(self):
        return f"{self.user_id} {self.spent_at:%Y-%m-%d %H:%M}"
