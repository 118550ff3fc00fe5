"""Cooperation agreements and Memoranda of Understanding: versions of clauses between
parties, signed and then frozen; a change after signing is an amendment (a new version).
From the first signature on, a version's text, parties and dates no longer change."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from strom.models import Actor, Municipality


class AgreementKind(models.TextChoices):
    MOU = "mou", _("Memorandum of Understanding")
    AGREEMENT = "agreement", _("Cooperation agreement")


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    NEGOTIATION = "negotiation", _("In negotiation")
    SIGNED = "signed", _("Signed")
    IN_FORCE = "in_force", _("In force")
    EXPIRED = "expired", _("Expired")
    TERMINATED = "terminated", _("Terminated")


class DocumentLanguage(models.TextChoices):
    EN = "en", "English"
    LV = "lv", "Latviešu"
    LT = "lt", "Lietuvių"
    ET = "et", "Eesti"
    RU = "ru", "Русский"


class Agreement(models.Model):
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="agreements",
        verbose_name=_("municipality"),
    )
    number = models.CharField(_("agreement number"), max_length=30, unique=True, editable=False)
    kind = models.CharField(
        _("kind"), max_length=15, choices=AgreementKind.choices, default=AgreementKind.MOU
    )
    title = models.CharField(_("title"), max_length=200)
    language = models.CharField(
        _("language of the document"),
        max_length=2,
        choices=DocumentLanguage.choices,
        default=DocumentLanguage.LV,
    )
    status = models.CharField(
        _("status"), max_length=15, choices=AgreementStatus.choices, default=AgreementStatus.DRAFT
    )
    effective_from = models.DateField(_("in force from"))
    effective_until = models.DateField(_("in force until"), null=True, blank=True)
    review_on = models.DateField(_("review date"), null=True, blank=True)
    terminated_on = models.DateField(_("terminated on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(effective_until__isnull=True)
                | models.Q(effective_until__gt=models.F("effective_from")),
                name="until_after_from",
                violation_error_message=_("The end date must be after the start date."),
            )
        ]

    def __str__(self):
        return f"{self.number} {self.title}"

    @property
    def audit_municipality(self):
        return self.municipality

    def get_absolute_url(self):
        return reverse("agreement_detail", args=[self.pk])

    def clean(self):
        if self.review_on and self.effective_until and self.review_on > self.effective_until:
            raise ValidationError({"review_on": _("The review must come before the end date.")})

    @property
    def current_version(self):
        return self.versions.order_by("-number").first()


def signed_scan_path(instance, filename):
    # A random name without extension: served only through the permission-checked view,
    # under the type sniffed at upload.
    return f"agreements/scans/{uuid.uuid4().hex}"


class AgreementVersion(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    created_at = models.DateTimeField(auto_now_add=True)
    frozen_at = models.DateTimeField(_("frozen"), null=True, blank=True)
    pdf = models.FileField(_("signed PDF"), upload_to="agreements/", blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    # The scan of the paper copy the parties signed (PDF, PNG or JPEG; strom.uploads).
    signed_scan = models.FileField(
        _("scan of the signed paper copy"), upload_to=signed_scan_path, blank=True, max_length=200
    )
    signed_scan_type = models.CharField(_("file type"), max_length=100, blank=True)
    signed_scan_sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["agreement", "number"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "number"], name="one_version_number")
        ]

    def __str__(self):
        return f"{self.agreement.number} v{self.number}"

    @property
    def audit_municipality(self):
        return self.agreement.municipality

    @property
    def is_frozen(self):
        """Every party has signed: the version never changes again."""
        return self.frozen_at is not None

    @property
    def has_signatures(self):
        """Some party has signed: the text, parties and dates stay as they were signed until
        the signatures are withdrawn (agreements.actions.withdraw_signatures)."""
        return Signature.objects.filter(party__version=self).exists()


class Party(models.Model):
    version = models.ForeignKey(AgreementVersion, on_delete=models.CASCADE, related_name="parties")
    actor = models.ForeignKey(
        Actor, on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    order = models.PositiveSmallIntegerField(default=0)
    signatory_name = models.CharField(_("signatory"), max_length=150)
    signatory_title = models.CharField(_("signatory's position"), max_length=150, blank=True)
    contact_name = models.CharField(_("24/7 contact person"), max_length=150, blank=True)
    contact_phone = models.CharField(_("24/7 phone"), max_length=40, blank=True)
    deputy_name = models.CharField(_("deputy"), max_length=150, blank=True)
    deputy_phone = models.CharField(_("deputy's phone"), max_length=40, blank=True)

    class Meta:
        ordering = ["version", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "actor"],
                name="one_party_per_actor",
                violation_error_message=_("This organisation is already a party."),
            )
        ]

    def __str__(self):
        return str(self.actor)


class Clause(models.Model):
    version = models.ForeignKey(AgreementVersion, on_delete=models.CASCADE, related_name="clauses")
    order = models.PositiveSmallIntegerField()
    key = models.CharField(max_length=30, blank=True)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))

    class Meta:
        ordering = ["version", "order", "id"]

    def __str__(self):
        return self.title


class Signature(models.Model):
    party = models.OneToOneField(Party, on_delete=models.CASCADE, related_name="signature")
    signed_on = models.DateField(_("signed on"))
    signatory_name = models.CharField(_("signed by"), max_length=150)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.party} {self.signed_on}"


class Reminder(models.Model):
    """One reminder sent (review or expiry, 60 or 30 days before): the unique constraint makes
    the daily task idempotent."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=10)
    days = models.PositiveSmallIntegerField()
    due_on = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "kind", "days", "due_on"], name="one_reminder_per_date"
            )
        ]


class ClauseTemplate(models.Model):
    """The clauses a new agreement starts from, per document language. Seeded from
    agreements/clause_templates.py; a superuser may adapt them to national law in the admin."""

    language = models.CharField(
        _("language of the document"), max_length=2, choices=DocumentLanguage.choices
    )
    key = models.CharField(max_length=30)
    order = models.PositiveSmallIntegerField()
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))

    class Meta:
        ordering = ["language", "order"]
        verbose_name = _("clause template")
        verbose_name_plural = _("clause templates")
        constraints = [
            models.UniqueConstraint(fields=["language", "key"], name="one_template_per_clause")
        ]

    def __str__(self):
        return f"{self.language}: {self.title}"
