"""Chains of assistance: pathways of steps with deadlines, and referrals that carry a case
from one organisation to the next, with escalation when a deadline passes."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from strom.models import Actor, ActorKind, Country, Municipality, Role
from strom.taxonomy import NeedCategory


class LimitUnit(models.TextChoices):
    HOURS = "hours", _("hours")
    WORKING_DAYS = "working_days", _("working days")


class Pathway(models.Model):
    """A referral pathway. The national one is kept by the national coordinator; a
    municipality adopts it as a copy (origin kept) and adapts the copy."""

    name = models.CharField(_("name"), max_length=200)
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="pathways")
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="pathways",
        help_text=_("Empty for the national pathway."),
    )
    origin = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="adaptations",
        verbose_name=_("adapted from"),
    )
    description = models.TextField(_("description"), blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["country__name", "municipality__name", "name"]
        verbose_name = _("referral pathway")
        verbose_name_plural = _("referral pathways")

    def __str__(self):
        return self.name

    @property
    def is_national(self):
        return self.municipality_id is None

    @property
    def audit_municipality(self):
        return self.municipality

    def get_absolute_url(self):
        return reverse("pathway_detail", args=[self.pk])


class PathwayStep(models.Model):
    pathway = models.ForeignKey(Pathway, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(_("order"))
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("what happens"), blank=True)
    responsible_kind = models.CharField(
        _("responsible kind of organisation"),
        max_length=40,
        choices=ActorKind.choices,
        blank=True,
    )
    responsible_role = models.CharField(
        _("responsible role"), max_length=30, choices=Role.choices, blank=True
    )
    responsible_actor = models.ForeignKey(
        Actor,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responsible organisation"),
        help_text=_("In a municipal pathway: the actual organisation."),
    )
    need_category = models.CharField(
        _("need it serves"), max_length=30, choices=NeedCategory.choices, blank=True
    )
    response_limit = models.PositiveSmallIntegerField(
        _("answer within"), validators=[MinValueValidator(1), MaxValueValidator(999)]
    )
    response_unit = models.CharField(
        _("unit"), max_length=15, choices=LimitUnit.choices, default=LimitUnit.HOURS
    )
    completion_limit = models.PositiveSmallIntegerField(
        _("complete within"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(999)],
    )
    completion_unit = models.CharField(
        _("unit"), max_length=15, choices=LimitUnit.choices, default=LimitUnit.WORKING_DAYS
    )
    reminder_hours = models.PositiveSmallIntegerField(
        _("remind the recipient this many hours before the answer is due"),
        default=2,
        validators=[MaxValueValidator(240)],
    )
    grace_hours = models.PositiveSmallIntegerField(
        _("escalate to the national coordinator this many hours after the deadline"),
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(720)],
    )
    origin = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["pathway", "order", "id"]
        verbose_name = _("pathway step")
        verbose_name_plural = _("pathway steps")

    def __str__(self):
        return self.name

    def clean(self):
        if self.completion_limit is None:
            return
        if (
            self.completion_unit == self.response_unit
            and self.completion_limit < self.response_limit
        ):
            raise ValidationError(
                {
                    "completion_limit": _(
                        "The step cannot have to be completed before it is answered."
                    )
                }
            )


class ReferralStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENT = "sent", _("Sent")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    IN_PROGRESS = "in_progress", _("In progress")
    ON_HOLD = "on_hold", _("On hold")
    COMPLETED = "completed", _("Completed")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    EXPIRED = "expired", _("Expired")


S = ReferralStatus
# Who may move a referral from which status to which: the recipient answers and works,
# the case's coordinator sends, holds, withdraws and re-routes.
RECIPIENT_TRANSITIONS = {
    S.SENT: {S.ACCEPTED, S.DECLINED},
    S.ACCEPTED: {S.IN_PROGRESS, S.COMPLETED},
    S.IN_PROGRESS: {S.COMPLETED},
}
COORDINATOR_TRANSITIONS = {
    S.DRAFT: {S.SENT, S.WITHDRAWN},
    S.SENT: {S.ON_HOLD, S.WITHDRAWN, S.EXPIRED, S.SENT},
    S.ACCEPTED: {S.ON_HOLD, S.WITHDRAWN},
    S.IN_PROGRESS: {S.ON_HOLD, S.WITHDRAWN},
    S.ON_HOLD: {S.SENT, S.WITHDRAWN},
    S.DECLINED: {S.SENT, S.WITHDRAWN},
    S.EXPIRED: {S.SENT, S.WITHDRAWN},
}
FINAL = {S.COMPLETED, S.WITHDRAWN}


# The one definition of "overdue": while a referral waits for its answer, it is overdue once
# its answer deadline has passed; while it is being worked on, once its completion deadline has
# passed. The queryset and the instance read this table, so that the inbox, the referral page,
# the chain and the home pages agree.
OVERDUE_ON = (
    ((S.SENT,), "response_due_at"),
    ((S.ACCEPTED, S.IN_PROGRESS), "due_at"),
)
# Steps still open for their need: sent, being worked on, or paused.
OPEN_FOR_NEED = (S.SENT, S.ACCEPTED, S.IN_PROGRESS, S.ON_HOLD)


def _overdue_q(now):
    q = models.Q()
    for statuses, field in OVERDUE_ON:
        q |= models.Q(status__in=statuses, **{f"{field}__lt": now})
    return q


def _current_due():
    return models.Case(
        *[models.When(status__in=statuses, then=models.F(field)) for statuses, field in OVERDUE_ON],
        default=models.Value(None),
        output_field=models.DateTimeField(),
    )


class ReferralQuerySet(models.QuerySet):
    def overdue(self, now=None):
        return self.filter(_overdue_q(now or timezone.now()))

    def with_urgency(self, now=None):
        """Annotate `is_overdue` and `current_due_at` (the deadline that runs now)."""
        return self.annotate(
            is_overdue=models.ExpressionWrapper(
                _overdue_q(now or timezone.now()), output_field=models.BooleanField()
            ),
            current_due_at=_current_due(),
        )

    def inbox_counts(self, now=None):
        """How many wait for an answer, and how many of all are overdue: one query."""
        return self.aggregate(
            waiting=models.Count("pk", filter=models.Q(status=S.SENT)),
            overdue=models.Count("pk", filter=_overdue_q(now or timezone.now())),
        )

    def most_urgent_first(self, now=None):
        """Overdue first, then by the deadline that runs now (none last)."""
        return self.with_urgency(now).order_by(
            "-is_overdue", models.F("current_due_at").asc(nulls_last=True), "-sent_at", "-id"
        )


class DeclineReason(models.TextChoices):
    NO_CAPACITY = "no_capacity", _("No capacity")
    NOT_ELIGIBLE = "not_eligible", _("Not eligible")
    OUT_OF_AREA = "out_of_area", _("Out of area")
    MISSING_DOCUMENTS = "missing_documents", _("Missing documents")
    OTHER = "other", _("Other")


class Outcome(models.TextChoices):
    GOT_HELP = "got_help", _("Got help")
    NOT_CONTACTED = "not_contacted", _("Could not be contacted")
    NOT_INTERESTED = "not_interested", _("No longer interested")
    REFERRED_ELSEWHERE = "referred_elsewhere", _("Referred elsewhere")


class Referral(models.Model):
    """One step of a case's chain of assistance, addressed to an organisation."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="referrals")
    step = models.ForeignKey(
        PathwayStep, on_delete=models.PROTECT, related_name="referrals", verbose_name=_("step")
    )
    from_actor = models.ForeignKey(
        Actor, on_delete=models.PROTECT, related_name="+", verbose_name=_("from")
    )
    to_actor = models.ForeignKey(
        Actor,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals_received",
        verbose_name=_("to organisation"),
    )
    to_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("to person"),
    )
    service = models.ForeignKey(
        "services.Service",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("service"),
    )
    status = models.CharField(
        _("status"), max_length=15, choices=ReferralStatus.choices, default=ReferralStatus.DRAFT
    )
    decline_reason = models.CharField(
        _("reason for declining"), max_length=20, choices=DeclineReason.choices, blank=True
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    response_due_at = models.DateTimeField(_("answer due"), null=True, blank=True)
    due_at = models.DateTimeField(_("completion due"), null=True, blank=True)
    # Escalation: the next moment the sweep must look at this referral, and the routing
    # round (re-routing starts escalation afresh).
    next_escalation_at = models.DateTimeField(null=True, blank=True, db_index=True)
    round = models.PositiveSmallIntegerField(default=1)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ReferralQuerySet.as_manager()

    class Meta:
        ordering = ["case", "step__order", "id"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        default_permissions = ("view", "change")
        indexes = [models.Index(fields=["status", "next_escalation_at"])]

    def __str__(self):
        # Reference code and step, never a name: this reaches notifications and the audit log.
        return f"{self.case.reference} · {self.step.name}"

    @property
    def audit_municipality(self):
        return self.case.municipality

    def get_absolute_url(self):
        return reverse("referral_detail", args=[self.pk])

    @property
    def is_final(self):
        return self.status in FINAL

    @property
    def awaits_answer(self):
        return self.status == ReferralStatus.SENT

    def _running_deadline(self):
        for statuses, field in OVERDUE_ON:
            if self.status in statuses:
                return field, getattr(self, field)
        return None, None

    @property
    def due_now(self):
        """The deadline that runs now: the answer's while it waits, else the completion's."""
        if "current_due_at" in self.__dict__:
            return self.__dict__["current_due_at"]
        return self._running_deadline()[1]

    @property
    def overdue(self):
        """Past the deadline that runs now (see OVERDUE_ON). Read from the queryset's
        annotation where present, so that list pages make no extra query."""
        if "is_overdue" in self.__dict__:
            return bool(self.__dict__["is_overdue"])
        due = self._running_deadline()[1]
        return due is not None and due < timezone.now()

    @property
    def overdue_kind(self):
        """Which deadline has passed: "response" or "completion" ("" if none)."""
        if not self.overdue:
            return ""
        return "response" if self._running_deadline()[0] == "response_due_at" else "completion"


class ReferralUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Referral, on_delete=models.CASCADE)


class ReferralGroupObjectPermission(GroupObjectPermissionBase):
    """A referral addressed to an organisation is granted to its staff group."""

    content_object = models.ForeignKey(Referral, on_delete=models.CASCADE)


class Transition(models.Model):
    """The history of a referral: every change of status or recipient, by whom and when."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=15, choices=ReferralStatus.choices, blank=True)
    to_status = models.CharField(max_length=15, choices=ReferralStatus.choices)
    to_actor = models.ForeignKey(
        Actor, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.CharField(max_length=500, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]


class EscalationLevel(models.IntegerChoices):
    REMINDER = 0, _("Reminder to the recipient")
    COORDINATOR = 1, _("Escalated to the municipal coordinator")
    NATIONAL = 2, _("Escalated to the national coordinator")


class EscalationEvent(models.Model):
    """One escalation, recorded once: the unique constraint makes the sweep idempotent."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="escalations")
    round = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=15, default="response")
    level = models.PositiveSmallIntegerField(choices=EscalationLevel.choices)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["referral", "round", "kind", "level"], name="one_escalation_per_level"
            )
        ]


class ConsentOverride(models.Model):
    """A coordinator's recorded decision to share an item without consent (audited)."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="overrides")
    item = models.CharField(max_length=20)
    reason = models.CharField(_("reason"), max_length=500)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["referral", "item"], name="one_override_per_item")
        ]
