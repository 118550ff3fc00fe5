"""The service map: what help exists for (potential) victims, who provides it or could, and
how much of it is free. Fields follow Open Referral HSDS 3.0 (capacity from HSDS 3.1);
STROM adds provision (provides / could provide), the identification a service requires and
confidential addresses (shelters)."""

from babel import UnknownLocaleError
from babel.lists import format_list
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from cases.models import ADULT_AGE
from strom import languages
from strom.models import Actor, Country, Municipality
from strom.taxonomy import NeedCategory

# Longest free texts of a service: a page of the directory stays small.
DESCRIPTION_MAX = 4000
NOTES_MAX = 2000


def spoken_list(names):
    """["women", "men"] -> "women and men", with the active language's commas and "and"."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    try:
        return format_list(list(names), locale=translation.to_locale(language))
    except (UnknownLocaleError, ValueError):
        return format_list(list(names), locale="en")


class ServiceStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    INACTIVE = "inactive", _("Inactive")
    TEMPORARILY_CLOSED = "temporarily closed", _("Temporarily closed")
    DEFUNCT = "defunct", _("Defunct")


class Provision(models.TextChoices):
    PROVIDES = "provides", _("Provides")
    COULD_PROVIDE = "could_provide", _("Could provide")


class AreaLevel(models.TextChoices):
    MUNICIPALITY = "municipality", _("Municipality")
    REGION = "region", _("Region")
    NATIONAL = "national", _("Whole country")


class RequiredStatus(models.TextChoices):
    """The identification status a service asks for. Potential victims must be able to get
    help (directive 2011/36/EU art. 11(2)); a service that asks for more says so."""

    NONE = "none", _("None: potential victims accepted")
    PRESUMED = "presumed", _("Reasonable-grounds decision (presumed victim)")
    IDENTIFIED = "identified", _("Formally identified victims only")


class CapacityUnit(models.TextChoices):
    BEDS = "beds", _("beds")
    PLACES = "places", _("places")
    APPOINTMENTS = "appointments", _("appointments a week")
    HOURS = "hours", _("hours a week")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class Service(models.Model):
    provider = models.ForeignKey(
        Actor, on_delete=models.PROTECT, related_name="services", verbose_name=_("provider")
    )
    name = models.CharField(_("name"), max_length=200)
    # TextFields: max_length sizes the form field; the validator checks it in full_clean
    # (the HSDS import), which max_length alone does not do for a TextField.
    description = models.TextField(
        _("description"),
        blank=True,
        max_length=DESCRIPTION_MAX,
        validators=[MaxLengthValidator(DESCRIPTION_MAX)],
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ServiceStatus.choices, default=ServiceStatus.ACTIVE
    )
    provision = models.CharField(
        _("provision"),
        max_length=15,
        choices=Provision.choices,
        default=Provision.PROVIDES,
        help_text=_("'Could provide': the organisation is willing and able, but does not yet."),
    )
    # Service area: the municipality it serves, or the country for regional and national ones.
    area_level = models.CharField(
        _("service area"), max_length=15, choices=AreaLevel.choices, default=AreaLevel.MUNICIPALITY
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="services",
        verbose_name=_("municipality"),
    )
    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, related_name="services", verbose_name=_("country")
    )
    # Eligibility.
    required_status = models.CharField(
        _("identification required"),
        max_length=12,
        choices=RequiredStatus.choices,
        default=RequiredStatus.NONE,
    )
    accepts_women = models.BooleanField(_("accepts women"), default=True)
    accepts_men = models.BooleanField(_("accepts men"), default=True)
    accepts_gender_diverse = models.BooleanField(
        _("accepts transgender and gender non-conforming people"), default=True
    )
    minimum_age = models.PositiveSmallIntegerField(
        _("minimum age"), null=True, blank=True, validators=[MaxValueValidator(120)]
    )
    maximum_age = models.PositiveSmallIntegerField(
        _("maximum age"), null=True, blank=True, validators=[MaxValueValidator(120)]
    )
    eligibility_description = models.TextField(
        _("eligibility notes"),
        blank=True,
        max_length=NOTES_MAX,
        validators=[MaxLengthValidator(NOTES_MAX)],
    )
    # Capacity (HSDS 3.1).
    capacity_available = models.PositiveIntegerField(_("available"), null=True, blank=True)
    capacity_maximum = models.PositiveIntegerField(_("maximum"), null=True, blank=True)
    capacity_unit = models.CharField(
        _("unit"), max_length=15, choices=CapacityUnit.choices, blank=True
    )
    capacity_updated_at = models.DateTimeField(_("capacity updated"), null=True, blank=True)
    capacity_updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # Access.
    fees_description = models.CharField(_("fees"), max_length=300, blank=True)
    application_process = models.TextField(
        _("how to apply or refer"),
        blank=True,
        max_length=NOTES_MAX,
        validators=[MaxLengthValidator(NOTES_MAX)],
    )
    accessibility = models.CharField(_("accessibility"), max_length=300, blank=True)
    # Location (one per service; HSDS allows several).
    address = models.CharField(_("address"), max_length=300, blank=True)
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    address_confidential = models.BooleanField(
        _("confidential address"),
        default=False,
        help_text=_("Shown only to coordinators and the provider's own staff (shelters)."),
    )
    # Schedule.
    open_24_7 = models.BooleanField(_("open 24/7"), default=False)
    # Contacts.
    contact_name = models.CharField(_("contact person"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    emergency_phone = models.CharField(_("24/7 phone"), max_length=40, blank=True)
    emergency_contact = models.CharField(_("24/7 contact person"), max_length=150, blank=True)
    deputy_contact = models.CharField(_("deputy"), max_length=150, blank=True)
    deputy_phone = models.CharField(_("deputy's phone"), max_length=40, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("service")
        verbose_name_plural = _("services")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(capacity_available__isnull=True)
                | models.Q(capacity_maximum__isnull=True)
                | models.Q(capacity_available__lte=models.F("capacity_maximum")),
                name="available_not_above_maximum",
                violation_error_message=_("Available capacity cannot be above the maximum."),
            ),
            models.CheckConstraint(
                condition=models.Q(minimum_age__isnull=True)
                | models.Q(maximum_age__isnull=True)
                | models.Q(minimum_age__lte=models.F("maximum_age")),
                name="minimum_age_not_above_maximum",
                violation_error_message=_("The minimum age cannot be above the maximum age."),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("service_detail", args=[self.pk])

    @property
    def audit_municipality(self):
        return self.municipality

    def clean(self):
        if self.area_level == AreaLevel.MUNICIPALITY and not self.municipality_id:
            raise ValidationError({"municipality": _("Name the municipality the service serves.")})
        if (self.latitude is None) != (self.longitude is None):
            raise ValidationError({"longitude": _("Give both latitude and longitude, or neither.")})

    @property
    def has_capacity(self):
        """None when nobody said; otherwise whether a place is free."""
        if self.capacity_available is None:
            return None
        return self.capacity_available > 0

    @property
    def is_active(self):
        return self.status == ServiceStatus.ACTIVE

    def is_open_at(self, moment=None):
        if self.open_24_7:
            return True
        moment = timezone.localtime(moment)
        now = moment.time()
        return any(
            h.weekday == moment.weekday() and h.opens_at <= now < h.closes_at
            for h in self.hours.all()
        )

    def accepts_gender(self, gender):
        return {
            "woman": self.accepts_women,
            "man": self.accepts_men,
            "transgender": self.accepts_gender_diverse,
        }.get(gender, True)

    def accepts_children(self):
        """The age limits admit someone under 18 (a shelter "for women and children" takes a
        boy of 16 with or without his mother: the limits by sex are for adults)."""
        return self.minimum_age is None or self.minimum_age < ADULT_AGE

    def accepted_sexes(self):
        """ "women, men, and transgender ..." as a list in the active language."""
        names = [
            str(name)
            for accepted, name in (
                (self.accepts_women, _("women")),
                (self.accepts_men, _("men")),
                (self.accepts_gender_diverse, _("transgender and gender non-conforming people")),
            )
            if accepted
        ]
        return spoken_list(names)

    def language_names(self):
        return [languages.name(row.code) for row in self.languages.all()]


class ServiceCategory(models.Model):
    """A need category the service meets (one taxonomy with case needs)."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="categories")
    category = models.CharField(_("need category"), max_length=30, choices=NeedCategory.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["service", "category"], name="one_row_per_category")
        ]
        indexes = [models.Index(fields=["category", "service"])]


class ServiceLanguage(models.Model):
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="languages")
    code = models.CharField(_("language"), max_length=3)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["service", "code"], name="one_row_per_language")
        ]


class OpeningHours(models.Model):
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="hours")
    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday.choices)
    opens_at = models.TimeField(_("opens"))
    closes_at = models.TimeField(_("closes"))

    class Meta:
        ordering = ["weekday", "opens_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")),
                name="closes_after_opening",
                violation_error_message=_("A service cannot close before it opens."),
            )
        ]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.opens_at:%H:%M}-{self.closes_at:%H:%M}"
