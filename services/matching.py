"""Which services fit a case's open needs, and why or why not. One query for the candidate
services (with their categories, languages and hours prefetched), then rules in Python."""

from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.choices import Identification
from strom import languages as spoken_languages

from .models import AreaLevel, Provision, RequiredStatus, ServiceStatus


@dataclass
class Match:
    service: object
    fits: bool = True
    score: int = 0
    reasons: list = field(default_factory=list)  # (fits: bool, text)
    blocking: list = field(default_factory=list)  # the texts that make it not fit

    def good(self, text, points=0):
        self.reasons.append((True, text))
        self.score += points

    def bad(self, text, *, blocking=False, points=0):
        self.reasons.append((False, text))
        self.score -= points
        if blocking:
            self.fits = False
            self.blocking.append(text)


def candidate_services(services, case, categories):
    return (
        services.filter(status=ServiceStatus.ACTIVE, categories__category__in=categories)
        .filter(
            Q(municipality=case.municipality)
            | Q(
                country_id=case.municipality.country_id,
                area_level__in=[AreaLevel.REGION, AreaLevel.NATIONAL],
            )
        )
        .distinct()
        .prefetch_related("categories", "languages", "hours")
    )


def assess(service, case, person, now=None):
    match = Match(service)
    # Identification required.
    if service.required_status == RequiredStatus.NONE:
        # A reason is true for this person: "accepts potential victims" only for one.
        if case.identification in (Identification.PRESUMED, Identification.IDENTIFIED):
            match.good(_("Asks for no identification decision"), 1)
        else:
            match.good(_("Accepts potential victims"), 1)
    elif service.required_status == RequiredStatus.PRESUMED:
        if case.identification in (Identification.PRESUMED, Identification.IDENTIFIED):
            match.good(_("Reasonable-grounds decision is there"))
        else:
            match.bad(_("Asks for a reasonable-grounds decision"), blocking=True)
    elif case.identification == Identification.IDENTIFIED:
        match.good(_("Person is formally identified"))
    else:
        match.bad(_("Formally identified victims only"), blocking=True)
    # Sex and gender.
    # The limits by sex are for adults: a service that takes children takes a boy of 16.
    age = person.current_age()
    child = person.is_treated_as_child()
    if not service.accepts_gender(person.gender):
        if child and service.accepts_children():
            match.good(_("Accepts children"))
        else:
            match.bad(
                _("Does not accept: %(gender)s") % {"gender": person.get_gender_display()},
                blocking=True,
            )
    # Age.
    low, high = service.minimum_age, service.maximum_age
    if age is None:
        if low is not None or high is not None:
            match.bad(_("Age unknown: check the age limits"), points=1)
    elif (low is not None and age < low) or (high is not None and age > high):
        match.bad(
            _("Age %(age)s is outside %(low)s–%(high)s")
            % {
                "age": age,
                "low": low if low is not None else 0,
                "high": high if high is not None else "…",
            },
            blocking=True,
        )
    elif low is not None or high is not None:
        match.good(_("Age %(age)s is within the limits") % {"age": age})
    # Language.
    spoken = {row.code for row in service.languages.all()}
    shared = [code for code in person.languages if code in spoken]
    if shared:
        names = ", ".join(spoken_languages.name(code) for code in shared)
        match.good(_("Speaks %(languages)s") % {"languages": names}, 2)
    elif spoken and person.languages:
        match.bad(_("No shared language: an interpreter is needed"), points=2)
    # Capacity.
    if service.capacity_available is None:
        match.bad(_("Free capacity not reported"), points=1)
    elif service.capacity_available == 0:
        match.bad(_("No free capacity"), blocking=True)
    else:
        match.good(
            _("%(count)s %(unit)s free")
            % {"count": service.capacity_available, "unit": service.get_capacity_unit_display()},
            2,
        )
    # Open now.
    if service.open_24_7:
        match.good(_("Open 24/7"), 1)
    elif service.is_open_at(now):
        match.good(_("Open now"), 1)
    else:
        match.bad(_("Closed now"))
    # Provision and distance.
    if service.provision == Provision.COULD_PROVIDE:
        match.bad(_("Could provide: not offered yet"), points=3)
    if service.municipality_id == case.municipality_id:
        match.good(_("In the municipality"), 1)
    return match


def matches_for_case(case, services, now=None):
    """[(need, [Match, ...])] for each open need, best first: fitting services, then by score."""
    now = now or timezone.now()
    needs = [need for need in case.needs.all() if need.is_open]
    categories = {need.category for need in needs}
    candidates = list(candidate_services(services, case, categories)) if categories else []
    person = case.person
    result = []
    for need in needs:
        matches = [
            assess(service, case, person, now)
            for service in candidates
            if need.category in {c.category for c in service.categories.all()}
        ]
        matches.sort(key=lambda m: (not m.fits, -m.score, m.service.name))
        result.append((need, matches))
    return result


def send_warnings(case, to_actor, service=None, now=None):
    """Why an organisation (and its service, if one is chosen) may not fit this case's person:
    the blocking rules of `assess` (identification, sex, age, no free capacity), and an area
    that does not cover the case's municipality. Texts for the coordinator who sends a step."""
    warnings = []
    if service is not None:
        match = assess(service, case, case.person, now or timezone.now())
        warnings += match.blocking
        covers = service.municipality_id == case.municipality_id or (
            service.country_id == case.municipality.country_id
            and service.area_level in (AreaLevel.REGION, AreaLevel.NATIONAL)
        )
        if not covers:
            warnings.append(_("Out of area: the service does not serve the case's municipality"))
    elif to_actor is not None:
        local = to_actor.municipality_id is not None
        covers = (
            to_actor.municipality_id == case.municipality_id
            if local
            else to_actor.country_id == case.municipality.country_id
        )
        if not covers:
            warnings.append(
                _("Out of area: the organisation does not work in the case's municipality")
            )
    return warnings
