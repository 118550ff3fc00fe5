"""The municipal capacity scorecard: the STROM guidelines' challenges as indicators, each
with a plain-language verdict. A fixed number of aggregate queries for any number of
municipalities."""

import datetime
from collections import defaultdict

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements.models import AgreementStatus, Party
from referrals.models import EscalationEvent, Pathway, Referral
from reports.figures import Scope, answer_times_by_municipality
from services.models import ServiceCategory, ServiceStatus
from strom.models import ActorKind, Membership, Role
from strom.taxonomy import NeedCategory
from training.models import FRONT_LINE_ROLES, PreventionActivity

GOOD, PARTIAL, WEAK, NONE = "good", "partial", "weak", "none"


def _withheld(label, minimum):
    """An indicator over fewer referrals than the minimum cell: no figure, no verdict."""
    return (
        label,
        _("fewer than %(n)s referrals") % {"n": minimum},
        NONE,
        _("Too few referrals in the period to show a figure."),
    )


def scorecard(municipalities, start, end, minimum=1):
    """`minimum`: a median or a rate over fewer referrals than this is not shown (the
    national coordinator's minimum cell; 1 for a coordinator's own municipality)."""
    ids = [m.pk for m in municipalities]
    now = timezone.now()
    coordinators = dict(
        Membership.objects.active()
        .filter(role=Role.COORDINATOR, actor__municipality_id__in=ids)
        .values_list("actor__municipality_id")
        .annotate(n=Count("user", distinct=True))
    )
    categories = dict(
        ServiceCategory.objects.filter(
            service__status=ServiceStatus.ACTIVE,
            service__provision="provides",
            service__municipality_id__in=ids,
        )
        .values_list("service__municipality_id")
        .annotate(n=Count("category", distinct=True))
    )
    pathways = set(
        Pathway.objects.filter(municipality_id__in=ids).values_list("municipality_id", flat=True)
    )
    kinds = defaultdict(set)
    for municipality_id, kind in (
        Party.objects.filter(
            version__agreement__municipality_id__in=ids,
            version__agreement__status=AgreementStatus.IN_FORCE,
            version__frozen_at__isnull=False,
        )
        .values_list("version__agreement__municipality_id", "actor__kind")
        .distinct()
    ):
        kinds[municipality_id].add(kind)
    staff = dict(
        Membership.objects.active()
        .filter(role__in=FRONT_LINE_ROLES, actor__municipality_id__in=ids)
        .values_list("actor__municipality_id")
        .annotate(n=Count("user", distinct=True))
    )
    trained = dict(
        Membership.objects.active()
        .filter(
            role__in=FRONT_LINE_ROLES,
            actor__municipality_id__in=ids,
            user__training_registrations__attended=True,
            user__training_registrations__event__starts_at__gte=now - datetime.timedelta(days=365),
        )
        .values_list("actor__municipality_id")
        .annotate(n=Count("user", distinct=True))
    )
    answer_times = answer_times_by_municipality(Scope(municipalities, start, end), minimum)
    sent = dict(
        Referral.objects.filter(
            case__municipality_id__in=ids, sent_at__date__gte=start, sent_at__date__lte=end
        )
        .values_list("case__municipality_id")
        .annotate(n=Count("id"))
    )
    escalated = dict(
        EscalationEvent.objects.filter(
            level__gte=1,
            referral__case__municipality_id__in=ids,
            referral__sent_at__date__gte=start,
            referral__sent_at__date__lte=end,
        )
        .values_list("referral__case__municipality_id")
        .annotate(n=Count("referral", distinct=True))
    )
    prevention = dict(
        PreventionActivity.objects.filter(
            municipality_id__in=ids, held_on__gte=start, held_on__lte=end
        )
        .values_list("municipality_id")
        .annotate(n=Count("id"))
    )
    total_categories = len(NeedCategory)
    cards = []
    for m in municipalities:
        k = m.pk
        rows = []
        n = coordinators.get(k, 0)
        rows.append(
            (
                _("Designated coordinator"),
                str(n),
                GOOD if n else WEAK,
                _("Yes.") if n else _("No coordinator: designate one."),
            )
        )
        c = categories.get(k, 0)
        rows.append(
            (
                _("Services mapped per need"),
                f"{c}/{total_categories}",
                GOOD if c >= 10 else PARTIAL if c >= 5 else WEAK,
                _("Most needs have a local provider.")
                if c >= 10
                else _("Several needs have no local provider: see the gap view."),
            )
        )
        has = k in pathways
        rows.append(
            (
                _("Local referral pathway"),
                _("adopted") if has else _("none"),
                GOOD if has else WEAK,
                _("Adopted.") if has else _("Adopt and adapt the national pathway."),
            )
        )
        mou = sorted(str(ActorKind(kind).label) for kind in kinds.get(k, set()))
        rows.append(
            (
                _("Agreements in force"),
                ", ".join(mou) or "–",
                GOOD if len(mou) >= 3 else PARTIAL if mou else WEAK,
                _("Cooperation is formalised with several kinds of organisation.")
                if len(mou) >= 3
                else _("Formalise cooperation with an MoU."),
            )
        )
        people, done = staff.get(k, 0), trained.get(k, 0)
        share = round(100 * done / people) if people else 0
        rows.append(
            (
                _("Front-line staff trained in the last 12 months"),
                f"{share} %",
                GOOD if share >= 75 else PARTIAL if share >= 40 else WEAK,
                _("Most staff are trained.") if share >= 75 else _("Plan refresher training."),
            )
        )
        answer = answer_times[k]
        if answer.withheld:
            rows.append(_withheld(_("Median time to answer a referral (hours)"), minimum))
        else:
            hours = answer.median
            rows.append(
                (
                    _("Median time to answer a referral (hours)"),
                    "–" if hours is None else str(hours),
                    WEAK if hours is None or hours > 48 else PARTIAL if hours > 24 else GOOD,
                    _("No referral answered in the period.")
                    if hours is None
                    else _("Referrals are answered quickly.")
                    if hours <= 24
                    else _("Answers are slow: check the deadlines with the partners."),
                )
            )
        count = sent.get(k, 0)
        if 0 < count < minimum:
            rows.append(_withheld(_("Referrals escalated"), minimum))
        elif not count:
            rows.append((_("Referrals escalated"), "–", NONE, _("No referral sent in the period.")))
        else:
            rate = round(100 * escalated.get(k, 0) / count) if count else 0
            rows.append(
                (
                    _("Referrals escalated"),
                    f"{rate} %",
                    GOOD if rate <= 10 else PARTIAL if rate <= 25 else WEAK,
                    _("Deadlines are kept.") if rate <= 10 else _("Many deadlines are missed."),
                )
            )
        p = prevention.get(k, 0)
        rows.append(
            (
                _("Prevention activities in the period"),
                str(p),
                GOOD if p >= 3 else PARTIAL if p else WEAK,
                _("Regular prevention work.") if p >= 3 else _("Little prevention work recorded."),
            )
        )
        cards.append({"municipality": m, "rows": rows})
    return cards
