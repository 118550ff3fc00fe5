"""Clause templates and the words printed on agreement PDFs, in the agreement's language,
and the filling of placeholders: {municipality}, {parties}, {roles} (from the
municipality's referral pathway: which party owns which step and its time limit),
{contacts} (each party's 24/7 contact and deputy), {effective_from}, {effective_until},
{review_on}. Users may edit clause text freely: only these exact placeholders are filled."""

from django.utils import formats, translation

from .clause_templates import CLAUSE_KEYS, CLAUSES, KIND_TITLES, LABELS  # noqa: F401


def _date(value, language):
    if value is None:
        return "–"
    with translation.override(language):
        return formats.date_format(value, "SHORT_DATE_FORMAT")


def roles_text(agreement, parties, language):
    from referrals.models import LimitUnit, PathwayStep

    labels = LABELS[language]
    by_actor = {party.actor_id: party for party in parties}
    steps = (
        PathwayStep.objects.filter(
            pathway__municipality=agreement.municipality, responsible_actor_id__in=by_actor
        )
        .select_related("responsible_actor")
        .order_by("pathway_id", "order")
    )
    lines = []
    for step in steps:
        unit = labels["working_days" if step.response_unit == LimitUnit.WORKING_DAYS else "hours"]
        lines.append(
            f"{labels['step']} {step.order}. {step.name}: {step.responsible_actor.name}"
            f" ({labels['limit']}: {step.response_limit} {unit})"
        )
    return "\n".join(lines) if lines else labels["no_roles"]


def contacts_text(parties, language):
    labels = LABELS[language]
    lines = []
    for party in parties:
        if not (party.contact_name or party.contact_phone):
            continue
        line = (
            f"{party.actor.name}: {labels['contact_24_7']} {party.contact_name} "
            f"{party.contact_phone}"
        )
        if party.deputy_name or party.deputy_phone:
            line += f"; {labels['deputy']} {party.deputy_name} {party.deputy_phone}"
        lines.append(line.strip())
    return "\n".join(lines) if lines else labels["no_contacts"]


def fill(body, agreement, parties, language):
    values = {
        "{municipality}": agreement.municipality.name,
        "{parties}": ", ".join(party.actor.name for party in parties),
        "{effective_from}": _date(agreement.effective_from, language),
        "{effective_until}": _date(agreement.effective_until, language),
        "{review_on}": _date(agreement.review_on, language),
    }
    for placeholder, value in values.items():
        body = body.replace(placeholder, value)
    if "{roles}" in body:
        body = body.replace("{roles}", roles_text(agreement, parties, language))
    if "{contacts}" in body:
        body = body.replace("{contacts}", contacts_text(parties, language))
    return body
