"""Open Referral HSDS 3.0 export and import of the service map (capacity in the HSDS 3.1 way).

One document: `{"hsds_version": "3.0", "generator": "STROM", "services": [...]}`, each service
a full HSDS service object with its organization, schedules, location, contacts, phones,
service areas and capacities nested. STROM's own fields travel as `attributes` whose taxonomy
terms come from taxonomies named `strom:...` (see TAXONOMY_* below); other taxonomies in an
imported file are ignored.

Ids are uuid5 of a fixed namespace and the database key, so exporting twice gives the same
file. A confidential address (a shelter) is exported only when the caller's `may_see_address`
predicate allows it; otherwise the location carries no address nor coordinates, only an
attribute saying it is confidential.

The import checks the whole file first and writes nothing when anything is wrong; then it
creates every service in one transaction.
"""

import json
import re
import uuid
from dataclasses import dataclass, field
from datetime import time
from decimal import ROUND_HALF_UP, Decimal

import pycountry
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from strom import access, languages
from strom.audit import AuditAction, record
from strom.models import Actor, ActorKind, ActorLevel
from strom.taxonomy import NeedCategory

from .models import (
    AreaLevel,
    CapacityUnit,
    OpeningHours,
    Provision,
    RequiredStatus,
    Service,
    ServiceCategory,
    ServiceLanguage,
    ServiceStatus,
)

HSDS_VERSION = "3.0"
GENERATOR = "STROM"
MAX_BYTES = 40 * 1024 * 1024  # an export of 5,000 services is about 34 MB
MAX_SERVICES = 5000
# An HSDS service is nested about 9 levels deep. Deeper nesting is refused before anything
# recursive (the decoder, the messages) meets it.
MAX_DEPTH = 64
# A STROM export has about 60 JSON objects and lists per service; this bounds the memory
# that decoding a file of the allowed size can take.
MAX_CONTAINERS = 200 * MAX_SERVICES
# Values repeated in error messages are cut to this many characters.
SHOWN_CHARS = 80

# Fixed: changing it changes every id in every export.
NAMESPACE = uuid.UUID("7d0f6c2e-3b55-5d7c-9a38-5f1e0c2a4b91")

TAXONOMY_NEED_CATEGORY = "strom:need-category"
TAXONOMY_PROVISION = "strom:provision"
TAXONOMY_REQUIRED_STATUS = "strom:required-status"
TAXONOMY_ACCEPTS = "strom:accepts"
TAXONOMY_AREA_LEVEL = "strom:area-level"
TAXONOMY_ADDRESS_CONFIDENTIAL = "strom:address-confidential"
TAXONOMY_ACTOR_KIND = "strom:actor-kind"

# strom:accepts term code -> Service field.
ACCEPTS = {
    "women": "accepts_women",
    "men": "accepts_men",
    "gender-diverse": "accepts_gender_diverse",
}
ACCEPTS_NAMES = {
    "women": "Women",
    "men": "Men",
    "gender-diverse": "Transgender and gender non-conforming people",
}
CONFIDENTIAL_CODE = "confidential"

# The models' check constraints, each checked by _Reader before anything is written
# (tests/services/test_hsds.py fails when a model gains one this module does not know).
CHECKED_CONSTRAINTS = frozenset(
    {"available_not_above_maximum", "minimum_age_not_above_maximum", "closes_after_opening"}
)

DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]  # index = Weekday value
ALL_DAYS = ",".join(DAYS)
DESCRIPTION_24_7 = "24/7"

# Contact titles: the import recognises the 24/7 contact and the deputy by them.
TITLE_CONTACT = "Contact person"
TITLE_EMERGENCY = "24/7 contact"
TITLE_DEPUTY = "Deputy"
PHONE_MAIN = "Main"
PHONE_EMERGENCY = "24/7"

_TIME = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?$")
_WS = re.compile(r"[ \t\n\r]*")


class HsdsImportError(Exception):
    """The file cannot be imported. `errors` is a list of (line, message); line is the line
    where the offending service object starts, or None for the file as a whole."""

    def __init__(self, errors):
        self.errors = list(errors)
        super().__init__("; ".join(_format(line, message) for line, message in self.errors))


def _format(line, message):
    if line is None:
        return str(message)
    return _("line %(line)s: %(message)s") % {"line": line, "message": message}


def format_errors(errors):
    """One text line per error, for the command line."""
    return [_format(line, message) for line, message in errors]


# Export ------------------------------------------------------------------------------


def _id(*parts):
    return str(uuid.uuid5(NAMESPACE, "/".join(str(part) for part in parts)))


def _compact(data, keep=()):
    """Drop empty optional values (HSDS types a missing string as absent, not null)."""
    return {k: v for k, v in data.items() if k in keep or (v is not None and v != "" and v != [])}


def _term(taxonomy, code, name):
    return {
        "id": _id("term", taxonomy, code),
        "code": code,
        "name": name,
        "description": name,
        "taxonomy": taxonomy,
    }


def _attribute(owner_id, link_entity, taxonomy, code, name, value=None):
    term = _term(taxonomy, code, name)
    return _compact(
        {
            "id": _id(owner_id, "attribute", taxonomy, code),
            "link_id": owner_id,
            "link_entity": link_entity,
            "taxonomy_term_id": term["id"],
            "taxonomy_term": term,
            "value": value,
        }
    )


def _phone(owner_id, number, description=""):
    return _compact(
        {
            "id": _id(owner_id, "phone", description or "main", number),
            "number": number,
            "type": "voice",
            "description": description,
        }
    )


def _organization(actor):
    org_id = _id("actor", actor.pk)
    kind = ActorKind(actor.kind) if actor.kind in ActorKind.values else ActorKind.OTHER
    return _compact(
        {
            "id": org_id,
            "name": actor.name,
            "description": str(kind.label),
            "email": actor.email,
            "website": actor.website,
            "phones": [_phone(org_id, actor.phone)] if actor.phone else [],
            "attributes": [
                _attribute(org_id, "organization", TAXONOMY_ACTOR_KIND, kind.value, str(kind.label))
            ],
        },
        keep=("description",),
    )


def _schedules(service, service_id):
    if service.open_24_7:
        return [
            {
                "id": _id(service_id, "schedule", "24/7"),
                "freq": "WEEKLY",
                "byday": ALL_DAYS,
                "opens_at": "00:00",
                "closes_at": "23:59",
                "description": DESCRIPTION_24_7,
            }
        ]
    return [
        {
            "id": _id(service_id, "schedule", hours.pk),
            "freq": "WEEKLY",
            "byday": DAYS[hours.weekday],
            "opens_at": f"{hours.opens_at:%H:%M}",
            "closes_at": f"{hours.closes_at:%H:%M}",
        }
        for hours in sorted(service.hours.all(), key=lambda h: (h.weekday, h.opens_at, h.pk))
    ]


def _location(service, service_id, shown):
    has_place = service.address or service.latitude is not None or service.accessibility
    if not (has_place or service.address_confidential):
        return []
    location_id = _id(service_id, "location")
    location = {
        "id": location_id,
        "location_type": "physical",
        "name": service.name,
    }
    if shown:
        if service.latitude is not None and service.longitude is not None:
            location["latitude"] = float(service.latitude)
            location["longitude"] = float(service.longitude)
        if service.address:
            location["addresses"] = [
                {
                    "id": _id(location_id, "address"),
                    "address_1": service.address,
                    "city": "",
                    "state_province": "",
                    "postal_code": "",
                    "country": service.country.code,
                    "address_type": "physical",
                }
            ]
    else:
        location["description"] = "The address is confidential."
    if service.accessibility:
        location["accessibility"] = [
            {"id": _id(location_id, "accessibility"), "description": service.accessibility}
        ]
    if service.address_confidential:
        location["attributes"] = [
            _attribute(
                location_id,
                "location",
                TAXONOMY_ADDRESS_CONFIDENTIAL,
                CONFIDENTIAL_CODE,
                "Confidential address",
                "true",
            )
        ]
    return [
        {
            "id": _id(service_id, "service_at_location"),
            "service_id": service_id,
            "location": location,
        }
    ]


def _contacts(service, service_id):
    rows = [
        (TITLE_CONTACT, service.contact_name, service.phone if service.contact_name else ""),
        (TITLE_EMERGENCY, service.emergency_contact, service.emergency_phone),
        (TITLE_DEPUTY, service.deputy_contact, service.deputy_phone),
    ]
    contacts = []
    for title, name, phone in rows:
        if not (name or phone):
            continue
        contact_id = _id(service_id, "contact", title)
        contacts.append(
            _compact(
                {
                    "id": contact_id,
                    "name": name,
                    "title": title,
                    "phones": [_phone(contact_id, phone)] if phone else [],
                }
            )
        )
    return contacts


def _service_areas(service, service_id):
    if service.area_level == AreaLevel.MUNICIPALITY and service.municipality is not None:
        m = service.municipality
        return [
            {
                "id": _id(service_id, "service_area"),
                "name": m.name,
                "description": f"Municipality {m.code}, {service.country.name}",
                "uri": f"urn:strom:municipality:{m.code}",
            }
        ]
    level = AreaLevel(service.area_level)
    return [
        {
            "id": _id(service_id, "service_area"),
            "name": service.country.name,
            "description": f"{level.label}: {service.country.name}",
            "uri": f"urn:strom:country:{service.country.code}",
        }
    ]


def _capacities(service, service_id):
    if (
        service.capacity_available is None
        and service.capacity_maximum is None
        and not service.capacity_unit
    ):
        return []
    capacity = {
        "id": _id(service_id, "capacity"),
        "available": service.capacity_available,
        "maximum": service.capacity_maximum,
    }
    if service.capacity_unit:
        unit = CapacityUnit(service.capacity_unit)
        capacity["unit"] = {
            "id": _id("unit", unit.value),
            "name": str(unit.label),
            "scheme": "strom",
            "identifier": unit.value,
        }
    if service.capacity_updated_at is not None:
        capacity["updated"] = service.capacity_updated_at.isoformat()
    return [_compact(capacity)]


def _attributes(service, service_id):
    def attr(taxonomy, code, name, value=None):
        return _attribute(service_id, "service", taxonomy, code, name, value)

    rows = [
        attr(TAXONOMY_NEED_CATEGORY, row.category, str(NeedCategory(row.category).label))
        for row in sorted(service.categories.all(), key=lambda r: r.category)
        if row.category in NeedCategory.values
    ]
    rows.append(
        attr(TAXONOMY_PROVISION, service.provision, str(Provision(service.provision).label))
    )
    rows.append(
        attr(
            TAXONOMY_REQUIRED_STATUS,
            service.required_status,
            str(RequiredStatus(service.required_status).label),
        )
    )
    for code, field_name in ACCEPTS.items():
        value = "true" if getattr(service, field_name) else "false"
        rows.append(attr(TAXONOMY_ACCEPTS, code, ACCEPTS_NAMES[code], value))
    rows.append(
        attr(TAXONOMY_AREA_LEVEL, service.area_level, str(AreaLevel(service.area_level).label))
    )
    rows.append(
        attr(
            TAXONOMY_ADDRESS_CONFIDENTIAL,
            CONFIDENTIAL_CODE,
            "Confidential address",
            "true" if service.address_confidential else "false",
        )
    )
    return rows


def _service(service, may_see_address):
    service_id = _id("service", service.pk)
    phones = []
    if service.phone:
        phones.append(_phone(service_id, service.phone, PHONE_MAIN))
    if service.emergency_phone:
        phones.append(_phone(service_id, service.emergency_phone, PHONE_EMERGENCY))
    organization = _organization(service.provider)
    return _compact(
        {
            "id": service_id,
            "organization_id": organization["id"],
            "name": service.name,
            "description": service.description,
            "email": service.email,
            "status": service.status,
            "application_process": service.application_process,
            "fees_description": service.fees_description,
            "eligibility_description": service.eligibility_description,
            "minimum_age": service.minimum_age,
            "maximum_age": service.maximum_age,
            "organization": organization,
            "languages": [
                {"id": _id(service_id, "language", code), "code": code, "name": name}
                for code, name in sorted(
                    (row.code, languages.name(row.code, "en")) for row in service.languages.all()
                )
            ],
            "schedules": _schedules(service, service_id),
            "service_at_locations": _location(
                service,
                service_id,
                not service.address_confidential or may_see_address(service),
            ),
            "contacts": _contacts(service, service_id),
            "phones": phones,
            "service_areas": _service_areas(service, service_id),
            "capacities": _capacities(service, service_id),
            "attributes": _attributes(service, service_id),
        },
        keep=("name", "status"),
    )


def export_document(services, *, may_see_address):
    """The HSDS document of the given services. `may_see_address(service)` decides whether a
    confidential address and its map pin are written out."""
    if hasattr(services, "prefetch_related"):
        services = services.select_related("provider", "municipality", "country").prefetch_related(
            "categories", "languages", "hours"
        )
    # Term names and fixed texts in English: the file is for machines and other systems,
    # and the same data gives the same file whatever the interface language.
    with translation.override("en"):
        return {
            "hsds_version": HSDS_VERSION,
            "generator": GENERATOR,
            "services": [_service(service, may_see_address) for service in services],
        }


def dumps(document):
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


# Import ------------------------------------------------------------------------------


def _reject_constant(name):
    raise ValueError(name)


def _decoder():
    # Decimals keep coordinates exact; NaN and Infinity are not JSON.
    return json.JSONDecoder(parse_float=Decimal, parse_constant=_reject_constant)


def _skip_ws(text, index):
    return _WS.match(text, index).end()


def _array_offsets(text, index, decoder):
    """Start offsets of the elements of the JSON array at text[index] == '['."""
    offsets = []
    index = _skip_ws(text, index + 1)
    if text[index] == "]":
        return offsets
    while True:
        offsets.append(index)
        _value, index = decoder.raw_decode(text, index)
        index = _skip_ws(text, index)
        if text[index] == ",":
            index = _skip_ws(text, index + 1)
            continue
        return offsets


def _service_offsets(text, decoder, key):
    """Where each service object starts in the (already validated) text."""
    index = _skip_ws(text, 0)
    if key is None:
        return _array_offsets(text, index, decoder)
    found = []
    index = _skip_ws(text, index + 1)
    while text[index] != "}":
        name, index = decoder.raw_decode(text, index)
        index = _skip_ws(text, _skip_ws(text, index) + 1)  # past ':'
        if name == key and text[index] == "[":
            found = _array_offsets(text, index, decoder)  # the last one wins, as in json
        _value, index = decoder.raw_decode(text, index)
        index = _skip_ws(text, index)
        if text[index] == ",":
            index = _skip_ws(text, index + 1)
    return found


def _line_numbers(text, offsets):
    lines, line, previous = [], 1, 0
    for offset in offsets:
        line += text.count("\n", previous, offset)
        previous = offset
        lines.append(line)
    return lines


def _is_number(value):
    return isinstance(value, int | Decimal) and not isinstance(value, bool)


def _show(value):
    """A value as the file wrote it, for messages: at most SHOWN_CHARS characters."""
    if isinstance(value, str | Decimal):
        shown = str(value)
    else:
        try:
            shown = json.dumps(value, default=str, ensure_ascii=False)
        except (RecursionError, ValueError):
            shown = "…"
    return shown if len(shown) <= SHOWN_CHARS else shown[: SHOWN_CHARS - 1] + "…"


def _too_deep(document):
    """Whether the decoded document nests deeper than MAX_DEPTH, found level by level
    (no recursion)."""
    level, depth = [document], 0
    while level:
        depth += 1
        if depth > MAX_DEPTH:
            return True
        below = []
        for value in level:
            children = value.values() if type(value) is dict else value
            below += [child for child in children if type(child) in (dict, list)]
        level = below
    return False


def _too_deep_error():
    return HsdsImportError(
        [
            (
                None,
                _(
                    "The file is nested too deeply (more than %(max)s levels); "
                    "it is not an HSDS file."
                )
                % {"max": MAX_DEPTH},
            )
        ]
    )


def _truthy(value):
    if value is None or value is True:
        return True
    if value is False:
        return False
    if isinstance(value, str) and value.strip().lower() in ("true", "yes", "1"):
        return True
    if isinstance(value, str) and value.strip().lower() in ("false", "no", "0"):
        return False
    return None


def _parse_time(value):
    if not isinstance(value, str):
        return None
    match = _TIME.match(value.strip())
    if not match:
        return None
    hour, minute, second = int(match[1]), int(match[2]), int(match[3] or 0)
    if hour == 24 and minute == 0 and second == 0:
        return time(23, 59)
    if hour > 23 or minute > 59 or second > 59:
        return None
    return time(hour, minute, second)


def _language_code(value):
    if not isinstance(value, str):
        return None
    code = value.strip().lower().replace("_", "-").split("-")[0]
    if code in languages.codes():
        return code
    if len(code) == 3:
        lang = pycountry.languages.get(alpha_3=code)
        if lang is not None and getattr(lang, "alpha_2", None) in languages.codes():
            return lang.alpha_2
    return None


@dataclass
class _Organization:
    name: str
    kind: str
    email: str
    website: str
    phone: str
    actor: Actor | None = None  # an existing actor, or the new one once validated


@dataclass
class _Planned:
    line: int | None
    service: Service
    organization: _Organization | None = None
    categories: list = field(default_factory=list)
    languages: list = field(default_factory=list)
    hours: list = field(default_factory=list)


class _Reader:
    """Reads one service object into an unsaved Service and its child rows, collecting
    every problem instead of stopping at the first."""

    def __init__(self, data, line, municipality, by):
        self.data = data
        self.line = line
        self.municipality = municipality
        self.by = by
        self.errors = []

    def error(self, message):
        self.errors.append((self.line, message))

    # Small typed getters ------------------------------------------------------------

    def text(self, obj, key, label=None):
        value = obj.get(key)
        if value is None:
            return ""
        if not isinstance(value, str):
            self.error(_("%(field)s must be text") % {"field": label or key})
            return ""
        return value.strip()

    def items(self, obj, key):
        value = obj.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.error(_("%(field)s must be a list") % {"field": key})
            return []
        good = [item for item in value if isinstance(item, dict)]
        if len(good) != len(value):
            self.error(_("every entry of %(field)s must be an object") % {"field": key})
        return good

    def obj(self, obj, key):
        value = obj.get(key)
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.error(_("%(field)s must be an object") % {"field": key})
            return {}
        return value

    def age(self, key, label):
        value = self.data.get(key)
        if value is None:
            return None
        if not _is_number(value) or value != int(value) or not 0 <= value <= 120:
            self.error(
                _("%(field)s (%(value)s) must be a whole number from 0 to 120")
                % {"field": label, "value": _show(value)}
            )
            return None
        return int(value)

    # The parts of a service -------------------------------------------------------------

    def read(self):
        data = self.data
        service = Service(
            municipality=self.municipality,
            country=self.municipality.country,
            area_level=AreaLevel.MUNICIPALITY,
        )
        planned = _Planned(line=self.line, service=service)
        service.name = self.text(data, "name")
        if not service.name:
            self.error(_("missing service name"))
        service.description = self.text(data, "description")
        service.email = self.text(data, "email")
        status = data.get("status")
        if status not in ServiceStatus.values:
            self.error(
                _("status %(value)s must be one of %(choices)s")
                % {
                    "value": f"'{_show(status)}'" if status is not None else _("(missing)"),
                    "choices": ", ".join(ServiceStatus.values),
                }
            )
        else:
            service.status = status
        service.application_process = self.text(data, "application_process")
        service.fees_description = self.text(data, "fees_description")
        service.eligibility_description = self.text(data, "eligibility_description")
        service.minimum_age = self.age("minimum_age", _("minimum age"))
        service.maximum_age = self.age("maximum_age", _("maximum age"))
        if (
            service.minimum_age is not None
            and service.maximum_age is not None
            and service.minimum_age > service.maximum_age
        ):
            self.error(
                _("minimum age (%(minimum)s) is above maximum age (%(maximum)s)")
                % {"minimum": service.minimum_age, "maximum": service.maximum_age}
            )
            service.minimum_age = service.maximum_age = None
        planned.organization = self.read_organization()
        planned.languages = self.read_languages()
        planned.hours = self.read_schedules(service)
        self.read_location(service)
        self.read_contacts(service)
        self.read_capacity(service)
        planned.categories = self.read_attributes(service)
        return planned

    def read_organization(self):
        org = self.obj(self.data, "organization")
        name = self.text(org, "name", _("organization name"))
        if not name:
            self.error(_("missing organization name"))
            return None
        kind = ActorKind.OTHER
        for taxonomy, code, _value in self.terms(org):
            if taxonomy == TAXONOMY_ACTOR_KIND and code in ActorKind.values:
                kind = code
        website = self.text(org, "website", _("organization website"))
        if website and "://" not in website:
            website = "https://" + website
        phones = self.items(org, "phones")
        phone = self.text(phones[0], "number", _("phone number")) if phones else ""
        return _Organization(
            name=name,
            kind=kind,
            email=self.text(org, "email", _("organization e-mail")),
            website=website,
            phone=phone,
        )

    def read_languages(self):
        codes = []
        for entry in self.items(self.data, "languages"):
            raw = entry.get("code")
            if raw is None or raw == "":
                self.error(_("a language without a code (give its ISO 639-1 code)"))
                continue
            code = _language_code(raw)
            if code is None:
                self.error(_("unknown language code '%(code)s'") % {"code": _show(raw)})
            elif code not in codes:
                codes.append(code)
        return codes

    def read_schedules(self, service):
        hours = []
        for schedule in self.items(self.data, "schedules"):
            freq = schedule.get("freq")
            if freq not in (None, "", "WEEKLY", "weekly"):
                self.error(
                    _("only weekly schedules can be imported (freq %(freq)s)")
                    % {"freq": _show(freq)}
                )
                continue
            interval = schedule.get("interval")
            if interval not in (None, "", 1):
                self.error(
                    _("only schedules that repeat every week can be imported (interval %(n)s)")
                    % {"n": _show(interval)}
                )
                continue
            byday = schedule.get("byday") or ""
            if not isinstance(byday, str):
                self.error(_('schedule byday must be text like "MO,TU"'))
                continue
            days = [day.strip().upper() for day in byday.split(",") if day.strip()]
            unknown = [day for day in days if day not in DAYS]
            if unknown:
                self.error(
                    _("unknown day '%(day)s' in a schedule (use MO, TU, WE, TH, FR, SA, SU)")
                    % {"day": _show(unknown[0])}
                )
                continue
            description = schedule.get("description")
            opens_raw, closes_raw = schedule.get("opens_at"), schedule.get("closes_at")
            opens, closes = _parse_time(opens_raw), _parse_time(closes_raw)
            if isinstance(description, str) and description.strip().lower() == "24/7":
                service.open_24_7 = True
                continue
            if set(days) == set(DAYS) and opens == time(0, 0) and closes == time(23, 59):
                service.open_24_7 = True
                continue
            if opens_raw is None and closes_raw is None:
                if days or description:
                    self.error(
                        _("a schedule without opens_at and closes_at (only 24/7 can go without)")
                    )
                continue
            if opens is None or closes is None:
                bad = opens_raw if opens is None else closes_raw
                which = "opens_at" if opens is None else "closes_at"
                self.error(
                    _("%(field)s '%(value)s' is not a time (HH:MM)")
                    % {"field": which, "value": _show(bad)}
                )
                continue
            if not days:
                self.error(_("a schedule without byday (the days it applies to)"))
                continue
            for day in dict.fromkeys(days):
                if closes <= opens:
                    self.error(
                        _("closes_at (%(closes)s) before opens_at (%(opens)s) on %(day)s")
                        % {"closes": f"{closes:%H:%M}", "opens": f"{opens:%H:%M}", "day": day}
                    )
                    continue
                hours.append(
                    OpeningHours(weekday=DAYS.index(day), opens_at=opens, closes_at=closes)
                )
        return hours

    def read_location(self, service):
        links = self.items(self.data, "service_at_locations")
        if not links:
            return
        location = self.obj(links[0], "location")
        for taxonomy, _code, value in self.terms(location):
            if taxonomy == TAXONOMY_ADDRESS_CONFIDENTIAL and _truthy(value):
                service.address_confidential = True
        addresses = self.items(location, "addresses")
        if addresses:
            address = addresses[0]
            parts = [
                self.text(address, "address_1", "address_1"),
                self.text(address, "address_2", "address_2"),
            ]
            line_1 = parts[0].lower()
            tail = " ".join(
                part
                for part in (
                    self.text(address, "postal_code", "postal_code"),
                    self.text(address, "city", "city"),
                )
                if part
            )
            if tail and tail.lower() not in line_1:
                parts.append(tail)
            service.address = ", ".join(part for part in parts if part)
        latitude, longitude = location.get("latitude"), location.get("longitude")
        if latitude is not None or longitude is not None:
            ok = True
            for name, value, limit in (("latitude", latitude, 90), ("longitude", longitude, 180)):
                if value is None:
                    self.error(_("give both latitude and longitude, or neither"))
                    ok = False
                    break
                if not _is_number(value):
                    self.error(_("%(field)s must be a number") % {"field": name})
                    ok = False
                elif not -limit <= value <= limit:
                    message = (
                        _("latitude %(value)s is off the globe")
                        if name == "latitude"
                        else _("longitude %(value)s is off the globe")
                    )
                    self.error(message % {"value": _show(value)})
                    ok = False
            if ok:
                places = Decimal("0.000001")
                service.latitude = Decimal(latitude).quantize(places, rounding=ROUND_HALF_UP)
                service.longitude = Decimal(longitude).quantize(places, rounding=ROUND_HALF_UP)
        descriptions = [
            self.text(entry, "description", "accessibility")
            for entry in self.items(location, "accessibility")
        ]
        service.accessibility = "; ".join(text for text in descriptions if text)

    def read_contacts(self, service):
        contact_found = False
        for contact in self.items(self.data, "contacts"):
            title = self.text(contact, "title").lower()
            name = self.text(contact, "name")
            phones = self.items(contact, "phones")
            phone = self.text(phones[0], "number", _("phone number")) if phones else ""
            if "24/7" in title or "24 / 7" in title:
                service.emergency_contact = service.emergency_contact or name
                service.emergency_phone = service.emergency_phone or phone
            elif "deputy" in title:
                service.deputy_contact = service.deputy_contact or name
                service.deputy_phone = service.deputy_phone or phone
            elif not contact_found:
                contact_found = True
                service.contact_name = name
                service.phone = phone
            if not service.email:
                service.email = self.text(contact, "email")
        for entry in self.items(self.data, "phones"):
            number = self.text(entry, "number", _("phone number"))
            description = self.text(entry, "description").lower()
            if "24/7" in description:
                service.emergency_phone = service.emergency_phone or number
            elif not service.phone:
                service.phone = number

    def read_capacity(self, service):
        capacities = self.items(self.data, "capacities")
        if not capacities:
            return
        if len(capacities) > 1:
            self.error(
                _("STROM keeps one capacity per service; this one has %(count)s")
                % {"count": len(capacities)}
            )
            return
        capacity = capacities[0]
        numbers = {}
        for key, label in (("available", _("available")), ("maximum", _("maximum"))):
            value = capacity.get(key)
            if value is None:
                numbers[key] = None
            elif not _is_number(value) or value != int(value):
                self.error(
                    _("capacity %(field)s (%(value)s) must be a whole number")
                    % {"field": label, "value": _show(value)}
                )
                numbers[key] = None
            elif value < 0:
                self.error(
                    _("capacity %(field)s (%(value)s) cannot be negative")
                    % {"field": label, "value": _show(value)}
                )
                numbers[key] = None
            else:
                numbers[key] = int(value)
        available, maximum = numbers["available"], numbers["maximum"]
        if available is not None and maximum is not None and available > maximum:
            self.error(
                _("capacity available (%(available)s) is above maximum (%(maximum)s)")
                % {"available": available, "maximum": maximum}
            )
            available = maximum = None
        service.capacity_available, service.capacity_maximum = available, maximum
        unit = self.obj(capacity, "unit")
        if unit:
            raw = unit.get("identifier") or unit.get("name") or ""
            code = raw.strip().lower() if isinstance(raw, str) else ""
            if code not in CapacityUnit.values and code + "s" in CapacityUnit.values:
                code += "s"
            if code in CapacityUnit.values:
                service.capacity_unit = code
            else:
                self.error(
                    _("unknown capacity unit '%(unit)s' (use one of %(choices)s)")
                    % {"unit": _show(raw), "choices": ", ".join(CapacityUnit.values)}
                )
        updated = capacity.get("updated")
        if updated is not None:
            try:
                moment = parse_datetime(updated) if isinstance(updated, str) else None
            except ValueError:
                moment = None
            if moment is None:
                self.error(
                    _("capacity updated '%(value)s' is not a date and time")
                    % {"value": _show(updated)}
                )
            else:
                if timezone.is_naive(moment):
                    moment = timezone.make_aware(moment)
                service.capacity_updated_at = moment
        if available is not None or maximum is not None:
            service.capacity_updated_by = self.by

    def terms(self, obj):
        """(taxonomy, code, value) of the attributes of an object."""
        found = []
        for attribute in self.items(obj, "attributes"):
            term = attribute.get("taxonomy_term")
            if not isinstance(term, dict):
                continue
            taxonomy = term.get("taxonomy")
            if not taxonomy and isinstance(term.get("taxonomy_detail"), dict):
                taxonomy = term["taxonomy_detail"].get("name")
            if not isinstance(taxonomy, str) or not taxonomy.startswith("strom:"):
                continue
            code = term.get("code")
            if code is None:
                code = term.get("name")
            found.append((taxonomy, code, attribute.get("value")))
        return found

    def read_attributes(self, service):
        categories = []
        single = {
            TAXONOMY_PROVISION: ("provision", Provision),
            TAXONOMY_REQUIRED_STATUS: ("required_status", RequiredStatus),
            TAXONOMY_AREA_LEVEL: ("area_level", AreaLevel),
        }
        for taxonomy, code, value in self.terms(self.data):
            shown = {"taxonomy": taxonomy, "code": _show(code)}
            if taxonomy == TAXONOMY_NEED_CATEGORY:
                if code in NeedCategory.values:
                    if code not in categories:
                        categories.append(code)
                else:
                    self.error(_("unknown need category '%(code)s'") % shown)
            elif taxonomy in single:
                field_name, choices = single[taxonomy]
                if code in choices.values:
                    setattr(service, field_name, code)
                else:
                    self.error(
                        _("unknown %(taxonomy)s value '%(code)s' (use one of %(choices)s)")
                        % {**shown, "choices": ", ".join(choices.values)}
                    )
            elif taxonomy == TAXONOMY_ACCEPTS:
                accepted = _truthy(value)
                if code not in ACCEPTS:
                    self.error(
                        _("unknown %(taxonomy)s value '%(code)s' (use one of %(choices)s)")
                        % {**shown, "choices": ", ".join(ACCEPTS)}
                    )
                elif accepted is None:
                    self.error(_("%(taxonomy)s %(code)s: value must be true or false") % shown)
                else:
                    setattr(service, ACCEPTS[code], accepted)
            elif taxonomy == TAXONOMY_ADDRESS_CONFIDENTIAL:
                confidential = _truthy(value)
                if confidential is None:
                    self.error(_("%(taxonomy)s %(code)s: value must be true or false") % shown)
                elif confidential:
                    service.address_confidential = True
        return categories


def _validation_messages(model, error):
    messages = []
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            if name == NON_FIELD_ERRORS:
                messages.extend(errors)
                continue
            try:
                label = model._meta.get_field(name).verbose_name
            except Exception:  # noqa: BLE001 - a field name we cannot label
                label = name
            messages.extend(f"{label}: {message}" for message in errors)
    else:
        messages.extend(error.messages)
    return messages


def _full_clean(instance, exclude, line, errors):
    # Field validators and clean() run here. The check constraints (CHECKED_CONSTRAINTS) are
    # checked by _Reader with clearer messages, and by the database again when writing:
    # Django's validate_constraints() costs a query per constraint and row, 20,000 queries
    # for a file of 5,000 services.
    try:
        instance.full_clean(exclude=exclude, validate_constraints=False)
    except ValidationError as error:
        errors.extend((line, message) for message in _validation_messages(type(instance), error))


def _parse(text):
    """The document and the line where each service starts, or HsdsImportError."""
    if isinstance(text, bytes | bytearray):
        if len(text) > MAX_BYTES:
            raise HsdsImportError([(None, too_large_message())])
        try:
            text = bytes(text).decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise HsdsImportError(
                [(None, _("The file is not UTF-8 text (byte %(at)s).") % {"at": error.start})]
            ) from error
    text = text.removeprefix("\ufeff")
    if len(text.encode("utf-8")) > MAX_BYTES:
        raise HsdsImportError([(None, too_large_message())])
    # An upper bound (brackets inside strings count too), found without decoding.
    if text.count("[") + text.count("{") > MAX_CONTAINERS:
        raise HsdsImportError(
            [
                (
                    None,
                    _(
                        "The file has more than %(max)s JSON objects and lists; "
                        "split it into smaller files."
                    )
                    % {"max": MAX_CONTAINERS},
                )
            ]
        )
    decoder = _decoder()
    try:
        document, end = decoder.raw_decode(text, _skip_ws(text, 0))
        if _skip_ws(text, end) != len(text):
            raise json.JSONDecodeError("Extra data", text, _skip_ws(text, end))
    except RecursionError:
        # The decoder stops at Python's recursion limit, before MAX_DEPTH is checked.
        raise _too_deep_error() from None
    except json.JSONDecodeError as error:
        raise HsdsImportError(
            [
                (
                    error.lineno,
                    _("The file is not valid JSON: %(reason)s (column %(column)s).")
                    % {"reason": error.msg, "column": error.colno},
                )
            ]
        ) from error
    except ValueError as error:  # NaN, Infinity
        raise HsdsImportError(
            [(None, _("The file is not valid JSON: %(reason)s.") % {"reason": error})]
        ) from error
    if _too_deep(document):
        raise _too_deep_error()

    if isinstance(document, list):
        key, services = None, document
    elif isinstance(document, dict):
        version = document.get("hsds_version")
        if version is not None and not str(version).startswith("3."):
            raise HsdsImportError(
                [
                    (
                        1,
                        _("HSDS version %(version)s is not supported; export HSDS 3.x.")
                        % {"version": _show(version)},
                    )
                ]
            )
        key = "services" if "services" in document else "contents" if "contents" in document else ""
        services = document.get(key)
        if not isinstance(services, list):
            raise HsdsImportError(
                [(1, _('The file has no list of "services" (an HSDS 3.0 document).'))]
            )
    else:
        raise HsdsImportError(
            [(1, _('The file has no list of "services" (an HSDS 3.0 document).'))]
        )
    if len(services) > MAX_SERVICES:
        raise HsdsImportError(
            [
                (
                    None,
                    _("The file has %(count)s services; import at most %(max)s at a time.")
                    % {"count": len(services), "max": MAX_SERVICES},
                )
            ]
        )
    lines = _line_numbers(text, _service_offsets(text, decoder, key))
    return services, lines


def too_large_message():
    return _("The file is larger than %(size)s MB; split it into smaller files.") % {
        "size": MAX_BYTES // (1024 * 1024)
    }


def _plan(services, lines, municipality, by):
    """Read and check every service; nothing is written."""
    errors, plans = [], []
    existing = {}
    for actor in Actor.objects.filter(municipality=municipality, is_active=True).order_by("pk"):
        existing.setdefault(actor.name, actor)
    new_actors = {}
    for index, data in enumerate(services):
        line = lines[index] if index < len(lines) else None
        if not isinstance(data, dict):
            errors.append((line, _("every service must be a JSON object")))
            continue
        reader = _Reader(data, line, municipality, by)
        plan = reader.read()
        errors.extend(reader.errors)
        org = plan.organization
        if org is not None:
            if org.name in existing:
                org.actor = existing[org.name]
            elif org.name in new_actors:
                org.actor = new_actors[org.name]
            else:
                actor = Actor(
                    name=org.name,
                    kind=org.kind,
                    level=ActorLevel.LOCAL,
                    country=municipality.country,
                    municipality=municipality,
                    email=org.email,
                    website=org.website,
                    phone=org.phone,
                )
                before = len(errors)
                _full_clean(actor, ["group"], line, errors)
                for position in range(before, len(errors)):
                    errors[position] = (
                        line,
                        _("organization %(message)s") % {"message": errors[position][1]},
                    )
                new_actors[org.name] = org.actor = actor
        # Values the reader refused are left empty, so the model reports only what is new.
        # provider, country and municipality are set here, not read from the file.
        exclude = ["provider", "country", "municipality"]
        if not plan.service.name:
            exclude.append("name")
        _full_clean(plan.service, exclude, line, errors)
        for code in plan.categories:
            _full_clean(ServiceCategory(category=code), ["service"], line, errors)
        for code in plan.languages:
            _full_clean(ServiceLanguage(code=code), ["service"], line, errors)
        for hours in plan.hours:
            _full_clean(hours, ["service"], line, errors)
        plans.append(plan)
    return plans, list(new_actors.values()), errors


def import_document(text, *, municipality, by=None, request=None, username=None):
    """Create the services of an HSDS document in `municipality`. Checks everything first and
    raises HsdsImportError with every problem found; otherwise writes all of it in one
    transaction and returns the new services."""
    if (
        by is not None
        and not access.administered_municipalities(by).filter(pk=municipality.pk).exists()
    ):
        raise PermissionDenied
    services, lines = _parse(text)
    plans, new_actors, errors = _plan(services, lines, municipality, by)
    if errors:
        raise HsdsImportError(errors)
    created = []
    try:
        with transaction.atomic():
            for actor in new_actors:
                actor.save()
                record(
                    AuditAction.CREATE,
                    request=request,
                    user=by,
                    username=username,
                    obj=actor,
                    detail="HSDS import: organisation",
                )
            categories, spoken, hours = [], [], []
            for plan in plans:
                service = plan.service
                service.provider = plan.organization.actor
                service.save()
                created.append(service)
                categories += [
                    ServiceCategory(service=service, category=c) for c in plan.categories
                ]
                spoken += [ServiceLanguage(service=service, code=c) for c in plan.languages]
                for row in plan.hours:
                    row.service = service
                    hours.append(row)
            ServiceCategory.objects.bulk_create(categories)
            ServiceLanguage.objects.bulk_create(spoken)
            OpeningHours.objects.bulk_create(hours)
            record(
                AuditAction.CREATE,
                request=request,
                user=by,
                username=username,
                municipality=municipality,
                detail=f"HSDS import: {len(created)} services",
            )
    except (DatabaseError, ValidationError) as error:
        raise HsdsImportError(
            [(None, _("The database refused the import: %(reason)s") % {"reason": error})]
        ) from error
    return created
