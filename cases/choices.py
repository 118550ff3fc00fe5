"""The categories cases are recorded in (DOMAIN.md), so that STROM's figures compare with
CTDC, HTCDS and Eurostat statistics."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Identification(models.TextChoices):
    POTENTIAL = "potential", _("Potential victim")
    PRESUMED = "presumed", _("Presumed victim (reasonable grounds)")
    IDENTIFIED = "identified", _("Formally identified victim")
    NOT_VICTIM = "not_victim", _("Not a victim")


class Lifecycle(models.TextChoices):
    OPEN = "open", pgettext_lazy("case state", "Open")
    ACTIVE = "active", pgettext_lazy("case state", "Active")
    CLOSED = "closed", pgettext_lazy("case state", "Closed")


class ClosureReason(models.TextChoices):
    GOALS_MET = "goals_met", _("Assistance plan completed")
    MOVED = "moved", _("Moved to another municipality or country")
    RETURNED = "returned", _("Returned to country of origin")
    DECLINED = "declined", _("Person declined further assistance")
    LOST_CONTACT = "lost_contact", _("Contact lost")
    NOT_VICTIM = "not_victim", _("Assessed as not a victim")
    DECEASED = "deceased", _("Deceased")
    OTHER = "other", _("Other")


class Gender(models.TextChoices):
    WOMAN = "woman", _("Woman")
    MAN = "man", _("Man")
    TRANSGENDER = "transgender", _("Transgender or gender non-conforming")
    NOT_SPECIFIED = "not_specified", _("Not specified")


class LawEnforcementCooperation(models.TextChoices):
    UNKNOWN = "unknown", _("Not discussed")
    COOPERATING = "cooperating", _("Cooperates")
    NOT_COOPERATING = "not_cooperating", _("Does not cooperate")
    DECLINED = "declined", _("Declined to talk to the police")


class ExploitationForm(models.TextChoices):
    SEXUAL_PROSTITUTION = "sexual_prostitution", _("Sexual exploitation: prostitution")
    SEXUAL_PORNOGRAPHY = "sexual_pornography", _("Sexual exploitation: pornography")
    SEXUAL_REMOTE = "sexual_remote", _("Sexual exploitation: remote interactive services")
    SEXUAL_PRIVATE = "sexual_private", _("Sexual exploitation: private sexual services")
    FORCED_LABOUR = "forced_labour", _("Forced labour or services")
    FORCED_BEGGING = "forced_begging", _("Forced begging")
    CRIMINAL_ACTIVITIES = "criminal_activities", _("Exploitation of criminal activities")
    FORCED_MARRIAGE = "forced_marriage", _("Forced marriage")
    ILLEGAL_ADOPTION = "illegal_adoption", _("Illegal adoption")
    SURROGACY = "surrogacy", _("Exploitation of surrogacy")
    ORGAN_REMOVAL = "organ_removal", _("Removal of organs")
    SLAVERY = "slavery", _("Slavery or servitude")
    OTHER = "other", _("Other")


class LabourSector(models.TextChoices):
    """ISIC Rev. 4 sections."""

    A = "A", _("A Agriculture, forestry and fishing")
    B = "B", _("B Mining and quarrying")
    C = "C", _("C Manufacturing")
    F = "F", _("F Construction")
    G = "G", _("G Wholesale and retail trade")
    H = "H", _("H Transportation and storage")
    I = "I", _("I Accommodation and food service (hospitality)")  # noqa: E741
    N = "N", _("N Administrative and support services (cleaning, agencies)")
    S = "S", _("S Other service activities (beauty, nail salons, car wash)")
    T = "T", _("T Domestic work")
    OTHER = "other", _("Other sector")


class MeansOfControl(models.TextChoices):
    DEBT = "debt", _("Debt bondage or earnings taken")
    THREATS = "threats", _("Threats")
    PSYCHOLOGICAL_ABUSE = "psychological_abuse", _("Psychological abuse")
    PHYSICAL_ABUSE = "physical_abuse", _("Physical abuse")
    SEXUAL_ABUSE = "sexual_abuse", _("Sexual abuse")
    FALSE_PROMISES = "false_promises", _("False promises")
    DRUGS_ALCOHOL = "drugs_alcohol", _("Drugs or alcohol")
    RESTRICTED = "restricted", _("Denial of basic needs or restricted movement")
    EXCESSIVE_HOURS = "excessive_hours", _("Excessive working hours")
    DOCUMENTS = "documents", _("Documents withheld")


class RecruiterRelationship(models.TextChoices):
    INTIMATE_PARTNER = "intimate_partner", _("Intimate partner")
    FRIEND = "friend", _("Friend")
    FAMILY = "family", _("Family")
    OTHER = "other", _("Other (broker, employer...)")
    UNKNOWN = "unknown", _("Unknown")


class ExploitationPeriod(models.TextChoices):
    UP_TO_12 = "0-12", _("0 to 12 months")
    UP_TO_24 = "13-24", _("13 to 24 months")
    OVER_24 = "25+", _("25 months or more")


class Urgency(models.TextChoices):
    IMMEDIATE = "immediate", _("Immediate")
    DAYS = "days", _("Within days")
    PLANNED = "planned", _("Planned")


class NeedStatus(models.TextChoices):
    IDENTIFIED = "identified", _("Identified")
    REFERRED = "referred", _("Referred")
    BEING_MET = "being_met", _("Being met")
    MET = "met", _("Met")
    DECLINED = "declined", _("Declined by the person")
    NO_PROVIDER = "no_provider", _("No provider available")


OPEN_NEED_STATUSES = (
    NeedStatus.IDENTIFIED,
    NeedStatus.REFERRED,
    NeedStatus.BEING_MET,
    NeedStatus.NO_PROVIDER,
)


class ShareItem(models.TextChoices):
    IDENTITY = "identity", _("Identity (name, date of birth, documents)")
    CONTACT = "contact", _("Contact details")
    NEEDS = "needs", _("Needs")
    CASE_HISTORY = "case_history", _("Case history")
    HEALTH = "health", _("Health")


# What a referral may always carry, consent or not (DOMAIN.md: consent to share).
SHAREABLE_WITHOUT_CONSENT = frozenset({"reference", "needs", "language", "urgency"})


class ConsentGiven(models.TextChoices):
    SIGNED = "signed", _("Signed")
    VERBAL_WITNESS = "verbal_witness", _("Verbal, with a witness")
    VERBAL = "verbal", _("Verbal")


class NoteKind(models.TextChoices):
    NOTE = "note", _("Note")
    MEETING = "meeting", _("Meeting with the person")
    PHONE = "phone", _("Phone call")
    AGENCY = "agency", _("Contact with another agency")


class AnonymisedBecause(models.TextChoices):
    RETENTION = "retention", _("Retention period ended")
    ERASURE = "erasure", _("Erased on request")


class ErasureGround(models.TextChoices):
    """GDPR art. 17(1) grounds a coordinator may record when erasing a case."""

    NO_LONGER_NECESSARY = "not_necessary", _("No longer necessary for the purpose (art. 17(1)(a))")
    CONSENT_WITHDRAWN = "consent_withdrawn", _("Consent withdrawn (art. 17(1)(b))")
    OBJECTION = "objection", _("Objection to processing (art. 17(1)(c))")
    UNLAWFUL = "unlawful", _("Processed unlawfully (art. 17(1)(d))")
    LEGAL_OBLIGATION = "legal_obligation", _("Legal obligation or court order (art. 17(1)(e))")


class DocumentKind(models.TextChoices):
    IDENTITY = "identity", _("Identity document")
    DECISION = "decision", _("Decision or letter from an authority")
    MEDICAL = "medical", _("Medical document")
    CONSENT = "consent", _("Signed consent form")
    OTHER = "other", _("Other")
