"""The report layer: every figure computed in the database from the apps' models, returned
as plain tables that the pages, the exports and the PDF share. No table holds a reference
code, a name or a row per case. Each function runs a fixed number of queries."""

import datetime
from dataclasses import dataclass, field
from statistics import median, quantiles

from django.db.models import Case as When_
from django.db.models import Count, F, IntegerField, Min, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import TruncMonth, TruncQuarter
from django.utils.translation import gettext_lazy as _

from cases.choices import ExploitationForm, Gender, Identification, NeedStatus
from cases.models import Case, ExploitationFormRecord, Need, treated_as_child
from referrals.models import DeclineReason, EscalationEvent, EscalationLevel, Referral
from strom.models import ActorKind

EU = {
    "AT",
    "BE",
    "BG",
    "HR",
    "CY",
    "CZ",
    "DK",
    "EE",
    "FI",
    "FR",
    "DE",
    "GR",
    "HU",
    "IE",
    "IT",
    "LV",
    "LT",
    "LU",
    "MT",
    "NL",
    "PL",
    "PT",
    "RO",
    "SK",
    "SI",
    "ES",
    "SE",
}
AGE_BANDS = [(0, 8), (9, 17), (18, 20), (21, 23), (24, 26), (27, 29), (30, 38), (39, 47), (48, 200)]
EUROSTAT_FORMS = {
    "sexual": ["sexual_prostitution", "sexual_pornography", "sexual_remote", "sexual_private"],
    "labour": ["forced_labour", "forced_begging", "criminal_activities", "slavery"],
    "organs": ["organ_removal"],
    "other": ["forced_marriage", "illegal_adoption", "surrogacy", "other"],
}


@dataclass
class Table:
    key: str
    title: str
    row_labels: list
    column_labels: list
    counts: list
    publish: bool = False  # marked for publication: the stricter minimum applies
    note: str = ""
    extra: dict = field(default_factory=dict)


@dataclass
class Scope:
    """What a report covers: municipalities and a period of first contact."""

    municipalities: list
    start: datetime.date
    end: datetime.date
    granularity: str = "month"

    @property
    def ids(self):
        return [m.pk for m in self.municipalities]

    def cases(self):
        return Case.objects.filter(
            municipality_id__in=self.ids,
            first_contact_on__gte=self.start,
            first_contact_on__lte=self.end,
        )


def _grid(rows, row_keys, col_keys, row_field, col_field):
    position = {key: i for i, key in enumerate(row_keys)}
    column = {key: j for j, key in enumerate(col_keys)}
    counts = [[0] * len(col_keys) for _ in row_keys]
    for row in rows:
        r, c = position.get(row[row_field]), column.get(row[col_field])
        if r is not None and c is not None:
            counts[r][c] += row["n"]
    return counts


def cases_by_status(scope):
    statuses = list(Identification)
    rows = (
        scope.cases().values("municipality_id", "identification").annotate(n=Count("id")).order_by()
    )
    return Table(
        "status",
        _("Cases by identification status and municipality"),
        [m.name for m in scope.municipalities],
        [s.label for s in statuses],
        _grid(rows, scope.ids, [s.value for s in statuses], "municipality_id", "identification"),
    )


def cases_by_form_and_gender(scope):
    forms, genders = list(ExploitationForm), list(Gender)
    rows = (
        ExploitationFormRecord.objects.filter(case__in=scope.cases())
        .values("form", gender=F("case__person__gender"))
        .annotate(n=Count("case", distinct=True))
        .order_by()
    )
    return Table(
        "forms",
        _("Cases by form of exploitation and gender"),
        [f.label for f in forms],
        [g.label for g in genders],
        _grid(rows, [f.value for f in forms], [g.value for g in genders], "form", "gender"),
    )


def _band():
    return When_(
        *[
            When(person__age_years__gte=low, person__age_years__lte=high, then=Value(index))
            for index, (low, high) in enumerate(AGE_BANDS)
        ],
        default=Value(-1),
        output_field=IntegerField(),
    )


def cases_by_age_band(scope):
    genders = list(Gender)
    rows = (
        scope.cases()
        .annotate(band=_band())
        .values("band", gender=F("person__gender"))
        .annotate(n=Count("id"))
        .order_by()
    )
    labels = [f"{low}–{high}" if high < 200 else f"{low}+" for low, high in AGE_BANDS]
    counts = _grid(
        rows, list(range(len(AGE_BANDS))) + [-1], [g.value for g in genders], "band", "gender"
    )
    return Table(
        "age",
        _("Cases by age band (CTDC) and gender"),
        [*labels, str(_("Age unknown"))],
        [g.label for g in genders],
        counts,
    )


def _citizenship_group(national_code):
    return When_(
        When(person__citizenship=national_code, then=Value(0)),
        When(person__citizenship__in=sorted(EU - {national_code}), then=Value(1)),
        When(person__citizenship="", then=Value(3)),
        default=Value(2),
        output_field=IntegerField(),
    )


def cases_by_citizenship(scope):
    columns = [_("National"), _("Other EU"), _("Non-EU"), _("Unknown")]
    counts = [[0] * 4 for _m in scope.municipalities]
    codes = {m.country.code for m in scope.municipalities}
    position = {m.pk: i for i, m in enumerate(scope.municipalities)}
    for code in sorted(codes):
        rows = (
            scope.cases()
            .filter(municipality__country__code=code)
            .annotate(group=_citizenship_group(code))
            .values("municipality_id", "group")
            .annotate(n=Count("id"))
            .order_by()
        )
        for row in rows:
            counts[position[row["municipality_id"]]][row["group"]] += row["n"]
    return Table(
        "citizenship",
        _("Cases by citizenship group and municipality"),
        [m.name for m in scope.municipalities],
        columns,
        counts,
    )


def cases_by_child(scope, today=None):
    today = today or datetime.date.today()
    child = treated_as_child(today)
    rows = (
        scope.cases()
        .annotate(
            group=When_(
                When(child, then=Value(0)),
                When(person__adult_from__isnull=True, then=Value(2)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .values("municipality_id", "group")
        .annotate(n=Count("id"))
        .order_by()
    )
    return Table(
        "child",
        _("Children and adults by municipality"),
        [m.name for m in scope.municipalities],
        [_("Child or presumed child"), _("Adult"), _("Age unknown")],
        _grid(rows, scope.ids, [0, 1, 2], "municipality_id", "group"),
    )


def trend(scope):
    trunc = TruncQuarter if scope.granularity == "quarter" else TruncMonth
    statuses = list(Identification)
    rows = list(
        scope.cases()
        .annotate(period=trunc("first_contact_on"))
        .values("period", "identification")
        .annotate(n=Count("id"))
        .order_by("period")
    )
    periods = sorted({row["period"] for row in rows})
    fmt = "%Y-%m" if scope.granularity != "quarter" else "%Y-Q"
    labels = [
        p.strftime(fmt) + (str((p.month - 1) // 3 + 1) if scope.granularity == "quarter" else "")
        for p in periods
    ]
    return Table(
        "trend",
        _("New cases by period and identification status"),
        labels,
        [s.label for s in statuses],
        _grid(rows, periods, [s.value for s in statuses], "period", "identification"),
    )


def referrals(scope):
    statuses = [
        "sent",
        "accepted",
        "in_progress",
        "declined",
        "completed",
        "withdrawn",
        "expired",
        "on_hold",
    ]
    qs = Referral.objects.filter(case__in=scope.cases()).exclude(status="draft")
    rows = qs.values("case__municipality_id", "status").annotate(n=Count("id")).order_by()
    from referrals.models import ReferralStatus

    table = Table(
        "referrals",
        _("Referrals by status and municipality"),
        [m.name for m in scope.municipalities],
        [ReferralStatus(s).label for s in statuses],
        _grid(rows, scope.ids, statuses, "case__municipality_id", "status"),
    )
    reasons = list(DeclineReason)
    declined = (
        qs.filter(status="declined")
        .values("case__municipality_id", "decline_reason")
        .annotate(n=Count("id"))
        .order_by()
    )
    decline = Table(
        "declines",
        _("Declined referrals by reason"),
        [m.name for m in scope.municipalities],
        [r.label for r in reasons],
        _grid(
            declined,
            scope.ids,
            [r.value for r in reasons],
            "case__municipality_id",
            "decline_reason",
        ),
    )
    return table, decline


def _hours(pairs):
    return [(b - a).total_seconds() / 3600 for a, b in pairs if a and b and b >= a]


class _OverMinimumCell:
    """A figure over `count` values, shown only over at least `minimum` of them (the
    smallest cell a reader may see)."""

    @property
    def shown(self):
        return self.count >= max(self.minimum, 1)

    @property
    def withheld(self):
        """Values exist but too few to show a figure over them."""
        return 0 < self.count < self.minimum


@dataclass(frozen=True)
class Spread(_OverMinimumCell):
    """A median and 90th percentile over `count` values, in hours."""

    count: int
    median: float | None
    p90: float | None
    minimum: int = 1


def spread(values, minimum=1):
    """The one computation of a median and 90th percentile: the speed panel, the scorecard
    and the PDF all use it."""
    values = list(values)
    if not values:
        return Spread(0, None, None, minimum)
    if len(values) < 2:
        return Spread(1, round(values[0], 1), round(values[0], 1), minimum)
    return Spread(
        len(values), round(median(values), 1), round(quantiles(values, n=10)[-1], 1), minimum
    )


@dataclass(frozen=True)
class Share(_OverMinimumCell):
    """A percentage of `count` items."""

    count: int
    percent: int | None
    minimum: int = 1


def share(part, count, minimum=1):
    return Share(count, round(100 * part / count) if count else None, minimum)


def answers(scope):
    """Each answer (accept or decline) to a referral of a case in the scope, as
    (municipality id, hours from sending to the answer, answered by the deadline). One query;
    the speed panel and the scorecard both read these."""
    from referrals.models import Transition

    rows = Transition.objects.filter(
        referral__case__in=scope.cases(),
        to_status__in=["accepted", "declined"],
        referral__sent_at__isnull=False,
    ).values_list(
        "referral__case__municipality_id", "referral__sent_at", "at", "referral__response_due_at"
    )
    return [
        (municipality_id, (at - sent).total_seconds() / 3600, bool(due and at <= due))
        for municipality_id, sent, at, due in rows
        if at >= sent
    ]


def answer_times_by_municipality(scope, minimum=1):
    """The median time to answer a referral per municipality (the scorecard's figure)."""
    hours = {}
    for municipality_id, value, _on_time in answers(scope):
        hours.setdefault(municipality_id, []).append(value)
    return {m.pk: spread(hours.get(m.pk, []), minimum) for m in scope.municipalities}


def timings(scope, minimum=1):
    """Median and 90th percentile: referral sent to answer; case opening to first accepted
    referral; and the share answered on time. Two queries. A figure over fewer than
    `minimum` values is withheld (the national coordinator's minimum cell)."""
    from referrals.models import Transition

    answered = answers(scope)
    first_help = list(
        Transition.objects.filter(referral__case__in=scope.cases(), to_status="accepted")
        .values("referral__case")
        .annotate(first=Min("at"), opened=F("referral__case__created_at"))
        .values_list("opened", "first")
    )
    return {
        "answer": spread([value for _m, value, _t in answered], minimum),
        "help": spread(_hours(first_help), minimum),
        "on_time": share(sum(1 for *_x, on_time in answered if on_time), len(answered), minimum),
    }


def escalations(scope):
    kinds = list(ActorKind)
    levels = list(EscalationLevel)
    rows = (
        EscalationEvent.objects.filter(referral__case__in=scope.cases())
        .values("level", actor_kind=F("referral__to_actor__kind"))
        .annotate(n=Count("id"))
        .order_by()
    )
    # One row per kind of organisation, one column per level: three columns fit any screen
    # and page, where fourteen did not.
    return Table(
        "escalations",
        _("Escalations by level and kind of organisation"),
        [k.label for k in kinds],
        [lv.label for lv in levels],
        _grid(rows, [k.value for k in kinds], [lv.value for lv in levels], "actor_kind", "level"),
    )


def needs(scope):
    columns = [
        NeedStatus.IDENTIFIED,
        NeedStatus.REFERRED,
        NeedStatus.BEING_MET,
        NeedStatus.MET,
        NeedStatus.DECLINED,
        NeedStatus.NO_PROVIDER,
    ]
    rows = (
        Need.objects.filter(case__in=scope.cases())
        .values("status", municipality_id=F("case__municipality_id"))
        .annotate(n=Count("id"))
        .order_by()
    )
    return Table(
        "needs",
        _("Needs by status and municipality"),
        [m.name for m in scope.municipalities],
        [c.label for c in columns],
        _grid(rows, scope.ids, [c.value for c in columns], "municipality_id", "status"),
    )


def eurostat(scope):
    """Registered victims (identified and presumed) for the annual EU data collection: by
    form group, sex and age, and by citizenship group. Marked for publication."""
    registered = scope.cases().filter(identification__in=["identified", "presumed"])
    today = datetime.date.today()
    child = treated_as_child(today)
    sex_age = When_(
        When(child & Q(person__gender="woman"), then=Value(0)),
        When(Q(person__gender="woman"), then=Value(1)),
        When(child & Q(person__gender="man"), then=Value(2)),
        When(Q(person__gender="man"), then=Value(3)),
        default=Value(4),
        output_field=IntegerField(),
    )
    group_of = {form: group for group, forms in EUROSTAT_FORMS.items() for form in forms}
    rows = (
        ExploitationFormRecord.objects.filter(case__in=registered)
        .annotate(
            sa=Subquery(
                registered.filter(pk=OuterRef("case_id")).annotate(x=sex_age).values("x")[:1]
            )
        )
        .values("form", "sa")
        .annotate(n=Count("case", distinct=True))
        .order_by()
    )
    groups = list(EUROSTAT_FORMS)
    counts = [[0] * 5 for _g in groups]
    for row in rows:
        counts[groups.index(group_of[row["form"]])][row["sa"]] += row["n"]
    return Table(
        "eurostat",
        _("Eurostat: registered victims by form of exploitation, sex and age"),
        [
            _("Sexual exploitation"),
            _("Labour exploitation"),
            _("Removal of organs"),
            _("Other forms"),
        ],
        [_("Female child"), _("Female adult"), _("Male child"), _("Male adult"), _("Sex unknown")],
        counts,
        publish=True,
    )


def all_tables(scope):
    referral_table, decline_table = referrals(scope)
    return [
        cases_by_status(scope),
        trend(scope),
        cases_by_form_and_gender(scope),
        cases_by_age_band(scope),
        cases_by_child(scope),
        cases_by_citizenship(scope),
        referral_table,
        decline_table,
        escalations(scope),
        needs(scope),
        eurostat(scope),
    ]
