"""Issue 9: a permission sweep over every URL pattern of the project.

Every named URL pattern is requested by every demo user, a Riga social worker assigned to no
case, one who was assigned to the swept case and then left Riga, a superuser and a stranger
(not signed in), with its arguments filled from Riga's demo objects (a Riga case, its needs,
consents and referrals, Riga's actors, services, pathway, agreement, training, ...):

- every answer is one of 200, 302, 403, 404, 405 (a POST-only view asked with GET), never a
  500; POST-only views, and every page that must refuse the user, are also sent a POST with
  empty data, which must not give a 500 (400 is fine) nor get past a refusal;
- the stranger is sent to the sign-in page from everything but the few public pages;
- the privacy-critical pages answer as the access policy says (`expectation` below): a Riga
  case only to Riga's coordinator and its assigned worker, reports only to coordinators and
  national coordinators, the audit log and people pages only to coordinators and
  administrators, and no Riga object at all to the staff of other municipalities;
- no response names a case reference code the user may not see (pages, CSV, XLSX, PDF).

A new URL pattern is swept automatically. When its arguments cannot be filled from the table
below, `test_every_url_pattern_can_be_swept` fails and names it: add the argument to
PK_BY_SEGMENT / BY_KWARG / BY_NAME (VARIANTS, QUERIES for several URLs of one pattern) and its
object to the `world` fixture, or (with a reason) the pattern to NOT_SWEPT. A new public page
(`@login_not_required`) must be added to PUBLIC.

Each request runs in a savepoint that is rolled back, with the session cookie restored, so a
POST (closing a case, signing out, ending a membership) does not change what later requests
of the same user see.
"""

import copy
import io
import re
import zipfile
from dataclasses import dataclass
from datetime import timedelta
from html.parser import HTMLParser
from urllib.parse import urlencode, urljoin, urlsplit

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.shortcuts import resolve_url
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone

from strom import access
from strom import actions as strom_actions
from strom.management.commands.load_demo import USERS
from strom.models import Role
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

DEMO_USERNAMES = [row[0] for row in USERS]
SUPERUSER = "root.sweep"
UNASSIGNED = "sw2.riga"  # a Riga social worker assigned to no case
FORMER = "sw3.riga"  # was assigned to the swept case, then left Riga
STRANGER = "stranger"
IDENTITIES = [*DEMO_USERNAMES, UNASSIGNED, FORMER, SUPERUSER, STRANGER]
# The passwords of the accounts `build_world` adds (the demo accounts have the demo password).
PASSWORDS = {
    SUPERUSER: "root-sweep-pass",
    UNASSIGNED: "strom-sweep-pass",
    FORMER: "strom-sweep-pass",
}

ALLOWED = frozenset({200, 302, 403, 404, 405})
ALLOWED_POST = ALLOWED | {400}  # a POST with empty data may be a bad request
REFUSED = frozenset({403, 404})
REFERENCE_RE = re.compile(rb"[A-Z]{3}-\d{4}-\d{4,6}")
MINIMAL_PDF = b"%PDF-1.4\n1 0 obj <</Type /Catalog>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n"

# Patterns deliberately not swept, with the reason.
NOT_SWEPT = {
    # Django admin: only its index is swept (below); its model pages are Django's own, reachable
    # only by staff, and each needs object ids of every registered model.
    "admin:*": "Django admin internals (the index is swept)",
}

# Public pages (`@login_not_required`) and what a stranger gets from them. Every other page
# sends a stranger to the sign-in page.
PUBLIC = {
    "login": {200},
    "set_language": {302},
    "healthz": {200},
    "favicon": {302},  # to the static icon
    "certificate_verify": {200},  # shows name, training and date only: the point of a certificate
    "admin:index": {302},  # to the admin's own sign-in page
}

# How a URL argument is filled, from the `world` fixture. `pk` after a literal segment
# ("actors/<int:pk>/") is the object of that segment; other arguments by their name; BY_NAME,
# keyed by (URL name, argument), overrides both. A world value that is a list gives one URL
# per item.
PK_BY_SEGMENT = {
    "actors": "actor",
    "people": "person",
    "memberships": "membership",
    "role-requests": "role_request",
    "needs": "need",
    "consents": "consent",
    "documents": "document",
    "workers": "assignment",
    "services": "service",
    "referrals": "referral",
    "pathways": "pathway",
    "agreements": "agreement",
    "training": "training",
    "prevention": "prevention",
    "notifications": "notification",
}
BY_KWARG = {
    "reference": "case",
    "step_pk": "step",
    "party_pk": "party",
    "clause_pk": "clause",
    "number": "version_number",
    "registration_pk": "registration",
    "material_pk": "material",
    "code": "certificate_code",
}
BY_NAME = {}
# Patterns requested with several sets of arguments (one URL each) instead.
VARIANTS = {"report_export": "report_exports"}
# Query strings a view needs, or that try to reach another municipality's data: one URL each.
QUERIES = {
    "services_hsds_export": "riga_query",
    "report": "report_queries",
    "report_pdf": "report_queries",
}


# The URL patterns ------------------------------------------------------------------------

_KWARG_RE = re.compile(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>")


@dataclass(frozen=True)
class Pattern:
    name: str | None
    route: str
    callback: object

    @property
    def kwargs(self):
        return tuple(a or b for a, b in _KWARG_RE.findall(self.route))

    @property
    def label(self):
        return f"{self.name or '(unnamed)'} /{self.route}"


def all_patterns(resolver=None, prefix="", namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from all_patterns(entry, prefix + str(entry.pattern), inner)
        else:
            name = f"{namespace}{entry.name}" if entry.name else None
            yield Pattern(name, prefix + str(entry.pattern), entry.callback)


def not_swept_reason(pattern):
    if pattern.name in NOT_SWEPT:
        return NOT_SWEPT[pattern.name]
    admin = pattern.route.startswith(settings.ADMIN_URL)
    if admin and pattern.name != "admin:index":
        return NOT_SWEPT["admin:*"]
    return None


def _pk_segment(route, kwarg):
    parts = route.split("/")
    for i, part in enumerate(parts):
        if re.search(rf"<(?:\w+:)?{kwarg}>", part):
            return parts[i - 1] if i else None
    return None


def _source(pattern, kwarg):
    if (pattern.name, kwarg) in BY_NAME:
        return BY_NAME[(pattern.name, kwarg)]
    if kwarg == "pk":
        return PK_BY_SEGMENT.get(_pk_segment(pattern.route, kwarg))
    return BY_KWARG.get(kwarg)


def concrete_urls(pattern, world):
    """The URLs to request for a pattern, or raise LookupError naming what is missing."""
    if pattern.name is None:
        raise LookupError(f"{pattern.label}: unnamed pattern")
    if pattern.name in VARIANTS:
        urls = [reverse(pattern.name, kwargs=c) for c in world[VARIANTS[pattern.name]]]
    else:
        urls = [reverse(pattern.name, kwargs=c) for c in _choices(pattern, world)]
    if pattern.name in QUERIES:
        queries = world[QUERIES[pattern.name]]
        urls = [f"{u}?{urlencode(q)}" if q else u for u in urls for q in queries]
    return urls


def _choices(pattern, world):
    choices = [{}]
    for kwarg in pattern.kwargs:
        source = _source(pattern, kwarg)
        if source is None or source not in world:
            raise LookupError(f"{pattern.label}: no value for <{kwarg}>")
        values = world[source]
        values = values if isinstance(values, list) else [values]
        choices = [{**c, kwarg: v} for c in choices for v in values]
    return choices


def swept_patterns():
    """In URL order, but signing out last: over HTTP (tests/production) every sign-in again
    costs a fresh second-factor code, which may mean waiting for the next one."""
    patterns = [p for p in all_patterns() if not_swept_reason(p) is None]
    return sorted(patterns, key=lambda p: p.name == "logout")


# The demo world ----------------------------------------------------------------------------


def build_world(demo):
    """Riga's objects, by the names PK_BY_SEGMENT, BY_KWARG and BY_NAME use, and the stored
    files it made. Adds the superuser, the unassigned and the former Riga social worker, each
    with the demo second factor (tests/production signs them in over HTTP)."""
    from agreements.models import Agreement
    from cases import actions as case_actions
    from cases.documents import upload_document
    from cases.models import Case
    from referrals.models import Pathway
    from reports.figures import Scope, all_tables
    from services.models import Service
    from strom.notifications import notify
    from strom.twofactor import enrol_demo_second_factor
    from training.models import Material, PreventionActivity, TrainingEvent

    riga = demo.municipalities["RIX"]
    sw = demo.users["sw.riga"]
    User = get_user_model()
    root = User.objects.create_superuser(
        SUPERUSER, f"{SUPERUSER}@strom.example", PASSWORDS[SUPERUSER]
    )
    enrol_demo_second_factor(root)
    for username in (UNASSIGNED, FORMER):
        membership = MembershipFactory(
            user__username=username,
            user__password=PASSWORDS[username],
            actor=demo.actors["riga-social"],
            role=Role.SOCIAL_WORKER,
        )
        enrol_demo_second_factor(membership.user)

    # The first Riga demo case has needs, a consent and referrals in several states.
    case = Case.objects.filter(municipality=riga).order_by("pk").first()
    former = User.objects.get(username=FORMER)
    case_actions.assign_worker(by=demo.users["coord.riga"], case=case, user=former)
    strom_actions.end_membership(
        by=demo.users["admin.riga"], membership=former.memberships.get(ended_at__isnull=True)
    )
    referral = case.referrals.filter(to_actor=demo.actors["riga-shelter"]).exclude(status="draft")
    pathway = Pathway.objects.get(municipality=riga)
    agreement = Agreement.objects.get(municipality=riga)
    version = agreement.current_version
    training = TrainingEvent.objects.filter(municipality=riga, starts_at__lt=timezone.now())
    training = training.order_by("-starts_at").first()
    registration = training.registrations.get(user=sw)
    material = Material.objects.create(
        event=training, title="Handout", file=ContentFile(b"Indicators\n", name="handout.txt")
    )
    (notification,) = notify(
        [demo.users["coord.riga"]],
        kind="escalation",
        title=f"No answer on {case.reference}",
        url=reverse("case_detail", args=[case.reference]),
    )
    document = upload_document(
        by=sw,
        case=Case.objects.get(pk=case.pk),
        upload=SimpleUploadedFile("letter.pdf", MINIMAL_PDF, content_type="application/pdf"),
        kind="decision",
        title="Letter",
    )
    today = timezone.localdate()
    keys = [t.key for t in all_tables(Scope([riga], today - timedelta(days=30), today))]
    world = {
        "case": case.reference,
        "need": case.needs.order_by("pk").first().pk,
        "document": document.pk,
        "consent": case.consents.filter(withdrawn_at__isnull=True).first().pk,
        "assignment": case.assignments.get(user=sw, ended_at__isnull=True).pk,
        "actor": demo.actors["riga-social"].pk,
        "person": sw.pk,
        "membership": sw.memberships.get(ended_at__isnull=True).pk,
        "role_request": strom_actions.request_role(
            by=demo.users["admin.riga"],
            user=User.objects.get(username=UNASSIGNED),
            actor=demo.actors["riga-social"],
            role=Role.COORDINATOR,
        ).pk,
        "service": Service.objects.get(provider=demo.actors["riga-shelter"], municipality=riga).pk,
        "referral": referral.order_by("pk").first().pk,
        "pathway": pathway.pk,
        "step": pathway.steps.order_by("order").first().pk,
        "agreement": agreement.pk,
        "party": version.parties.order_by("pk").first().pk,
        "clause": version.clauses.order_by("pk").first().pk,
        "version_number": version.number,
        "training": training.pk,
        "registration": registration.pk,
        "material": material.pk,
        "certificate_code": registration.certificate.code,
        "prevention": PreventionActivity.objects.filter(municipality=riga).first().pk,
        "notification": notification.pk,
        "riga_query": [{"municipality": riga.pk}],
        # As is, and asking for Riga (refused to whoever does not report on Riga).
        "report_queries": [{}, {"municipalities": riga.pk}],
        # Every table as CSV, one as XLSX.
        "report_exports": [
            *({"key": key, "fmt": "csv"} for key in keys),
            {"key": "status", "fmt": "xlsx"},
        ],
    }
    return world, [material.file, document.file]




@pytest.fixture
def world(demo, settings):
    from django.conf import settings as django_settings

    for rate in dir(django_settings):
        if rate.startswith("STROM_RATE_"):
            setattr(settings, rate, None)  # some thousands of requests: no rate limit
    world, files = build_world(demo)
    yield world
    # The rows are rolled back; the files are not.
    for file in files:
        file.delete(save=False)


# Who is asking -----------------------------------------------------------------------------


@dataclass
class Identity:
    name: str
    user: object  # None for the stranger
    in_riga: bool = False  # works in Riga (any role)
    national_lv: bool = False
    roles: frozenset = frozenset()

    @property
    def outsider(self):
        """Staff of another municipality, or of another country: no Riga object is theirs."""
        return self.user is not None and not (
            self.in_riga or self.national_lv or self.user.is_superuser
        )


def identity(name, demo):
    if name == STRANGER:
        return Identity(name, None)
    user = get_user_model().objects.get(username=name)
    ms = access.memberships(user)
    riga = demo.municipalities["RIX"]
    return Identity(
        name,
        user,
        in_riga=any(m.actor.municipality_id == riga.pk for m in ms),
        national_lv=riga.country_id in access.national_country_ids(user),
        roles=frozenset(m.role for m in ms),
    )


def visible_references(user):
    """Reference codes the user may read: her cases, the cases of referrals she may open, and
    (national coordinators) the escalated referrals of her country."""
    if user is None:
        return set()
    refs = set(access.cases_for(user).values_list("reference", flat=True))
    refs |= set(access.referrals_for(user).values_list("case__reference", flat=True))
    refs |= set(access.escalated_to_national(user).values_list("case__reference", flat=True))
    return refs


# What each identity must get ---------------------------------------------------------------

CASE_READERS = {"coord.riga", "sw.riga"}  # the coordinator and the assigned worker
REFERRAL_READERS = {"coord.riga", "sw.riga", "provider.riga"}  # case side and the recipient
REPORT_ROLES = {Role.COORDINATOR, Role.NATIONAL_COORDINATOR}
PEOPLE_ROLES = {Role.COORDINATOR, Role.ADMINISTRATOR}
REPORT_PAGES = {"report", "report_pdf", "report_export"}


def expectation(pattern, who):
    """The statuses a GET may answer, or REFUSED (403/404; a 405 only when the POST is refused
    too). None: anything in ALLOWED."""
    name = pattern.name
    if who.user is None:
        return PUBLIC.get(name, "sign-in")
    if name in PUBLIC:
        return None
    superuser = who.user.is_superuser
    if "reference" in pattern.kwargs or pattern.route.startswith("cases/") and pattern.kwargs:
        if who.name not in CASE_READERS:
            return REFUSED
        return {200} if name == "case_detail" else None
    if name == "case_list" and who.roles & {Role.SOCIAL_WORKER, Role.COORDINATOR}:
        return {200}
    if pattern.route.startswith("referrals/") and "pk" in pattern.kwargs:
        return None if who.name in REFERRAL_READERS else REFUSED
    if name in REPORT_PAGES:
        return {200} if who.roles & REPORT_ROLES else REFUSED
    if name in ("audit_list", "person_list"):
        return {200} if superuser or who.roles & PEOPLE_ROLES else REFUSED
    if name == "person_detail":
        return {200} if superuser or who.name in ("coord.riga", "admin.riga") else REFUSED
    if name in ("person_edit", "person_password", "person_unlock", "membership_end"):
        return None if superuser or who.name == "admin.riga" else REFUSED
    if name in ("role_request_confirm", "role_request_refuse"):
        return None if superuser or who.name == "admin.riga" else REFUSED
    if name == "notification_read":
        return None if who.name == "coord.riga" else REFUSED
    if who.outsider and pattern.kwargs:
        return REFUSED
    return None


# Requests ----------------------------------------------------------------------------------


@dataclass
class Answer:
    status: int
    location: str = ""
    body: bytes = b""
    content_type: str = ""
    error: str = ""


def request(client, method, url, data=None):
    """One request in a savepoint that is rolled back; the session cookie is restored."""
    cookies = copy.deepcopy(client.cookies)
    try:
        with transaction.atomic():
            try:
                response = getattr(client, method)(url, data)
            finally:
                transaction.set_rollback(True)
    except Exception as exc:  # the test client re-raises what the view raised: a 500
        return Answer(500, error=f"{type(exc).__name__}: {exc}"[:300])
    finally:
        client.cookies = cookies
    # Reading a streamed body closes the response; the test client closed the others. Never
    # call response.close() here: it would fire request_finished, whose handler closes the
    # database connection in the middle of the test's transaction on PostgreSQL.
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return Answer(
        response.status_code,
        location=response.get("Location", ""),
        body=body,
        content_type=response.get("Content-Type", ""),
    )


class ClientTransport:
    """The sweep's requests through Django's test client, each rolled back (`request`).
    tests/production/test_live_sweep.py sends the same requests over HTTP to gunicorn."""

    live = False

    def __init__(self, client):
        self.client = client

    def get(self, url):
        return request(self.client, "get", url)

    def post(self, url, data=None):
        return request(self.client, "post", url, data or {})


def text_of(answer):
    """Bytes to search for reference codes: XLSX unzipped, PDF text extracted."""
    body = answer.body
    if body.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            return b"".join(archive.read(n) for n in archive.namelist() if n.endswith(".xml"))
    if body.startswith(b"%PDF"):
        from pypdf import PdfReader
        from pypdf.errors import PdfReadError

        try:
            pages = PdfReader(io.BytesIO(body)).pages
            return body + "\n".join(page.extract_text() or "" for page in pages).encode()
        except (PdfReadError, ValueError, KeyError):
            return body
    return body


def to_sign_in(answer):
    return answer.status == 302 and urlsplit(answer.location).path == resolve_url(
        settings.LOGIN_URL
    )


# Garbage -----------------------------------------------------------------------------------
# Every page a user gets (200, HTML) is also sent what no browser would: its search and filter
# forms with nonsense in every field, each of its POST forms with nonsense for its fields'
# types (numbers too large for the database, impossible dates, text too long, markup, SQL),
# and NUL characters in the query string and in every posted value. Nonsense gives a form
# error or a 4xx, never a 5xx; a NUL always gives 400 (strom.middleware.RefuseNulMiddleware).

HUGE = "99999999999999999999"  # larger than any database integer
GARBAGE_TEXT = "'\"><script>alert(1)</script>' OR '1'='1' -- \u202e%_" + "ž" * 3000
GARBAGE_SHORT = "'\"><x>ž%_\\"  # for query strings (gunicorn limits a request line to 4 kB)
GARBAGE_BY_TYPE = {
    "number": HUGE,
    "range": HUGE,
    "select": HUGE,
    "radio": HUGE,
    "hidden": HUGE,
    "checkbox": "on",
    "date": "2026-02-31",
    "datetime-local": "2026-13-01T25:61",
    "time": "25:61",
    "month": "2026-13",
    "email": "not-an-e-mail@",
    "url": "javascript:alert(1)",
    "tel": "+" + "9" * 40,
    "password": "x",
    "file": "not-a-file",
}
NUL_TEXT = "x\x00y"
NUL_QUERY = "q=%00&page=%00"
NOT_GARBAGE = {"csrfmiddlewaretoken"}


class _Forms(HTMLParser):
    """The forms of a page: method, action and (name, type) of each field."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms = []
        self._form = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._form = {
                "method": (attrs.get("method") or "get").lower(),
                "action": attrs.get("action") or "",
                "fields": [],
            }
            self.forms.append(self._form)
        elif self._form is not None and tag in ("input", "select", "textarea", "button"):
            name = attrs.get("name")
            if name and name not in NOT_GARBAGE:
                kind = (attrs.get("type") or "text").lower() if tag == "input" else tag
                self._form["fields"].append((name, kind))

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None


def forms_of(body):
    parser = _Forms()
    parser.feed(body.decode("utf-8", "replace"))
    return parser.forms


def garbage_data(fields, *, nul=False, short=False):
    text = GARBAGE_SHORT if short else GARBAGE_TEXT
    data = {}
    for name, kind in fields:
        value = NUL_TEXT if nul else GARBAGE_BY_TYPE.get(kind, text)
        data.setdefault(name, []).append(value)
    return data


def _with_query(url, query):
    return f"{url}{'&' if '?' in url else '?'}{query}"


def garbage_requests(transport, url, page, seen):
    """Send garbage to the page at `url` (whose GET gave `page`); yield (method, url,
    answer, allowed statuses). `seen` keeps the POST forms already sent garbage, by action
    and fields: the forms in the header of every page are sent theirs once."""
    nul_url = _with_query(url, NUL_QUERY)
    yield "GET", nul_url, transport.get(nul_url), {400}
    skip = {reverse("logout"), reverse("admin:logout")}  # the sweep signs out once, last
    forms = forms_of(page.body)
    for form in forms:
        action = urljoin(url, form["action"]) if form["action"] else url
        if not action.startswith("/") or urlsplit(action).path in skip:
            continue
        if form["method"] == "get":
            fields = [*form["fields"], ("q", "text"), ("page", "number")]
            query = urlencode(garbage_data(fields, short=True), doseq=True)
            garbage_url = _with_query(urlsplit(action).path, query)
            yield "GET", garbage_url, transport.get(garbage_url), ALLOWED | {400}
            continue
        key = (urlsplit(action).path, tuple(sorted(form["fields"])))
        if key in seen:
            continue
        seen.add(key)
        answer = transport.post(action, garbage_data(form["fields"]))
        yield "POST", action, answer, ALLOWED_POST
        # A form with only a button has no field to carry the NUL: add one.
        nul_data = garbage_data([*form["fields"], ("unexpected", "text")], nul=True)
        yield "POST", action, transport.post(action, nul_data), {400}


# The tests ---------------------------------------------------------------------------------


def test_every_url_pattern_can_be_swept(world):
    """A new pattern whose arguments cannot be filled fails here, by name: extend the tables
    at the top of this module (or NOT_SWEPT, with a reason)."""
    missing = []
    for pattern in swept_patterns():
        try:
            concrete_urls(pattern, world)
        except LookupError as exc:
            missing.append(str(exc))
    assert not missing, "URL patterns the sweep cannot fill:\n" + "\n".join(missing)


def test_public_pages_are_exactly_the_listed_ones():
    """A page without sign-in is a decision: list it in PUBLIC."""
    public = {
        p.name
        for p in all_patterns()
        if getattr(p.callback, "login_required", True) is False and not_swept_reason(p) is None
    }
    assert public - {"admin:index"} == set(PUBLIC) - {"admin:index"}


def test_the_sweep_covers_the_privacy_critical_pages(world):
    names = {p.name for p in swept_patterns()}
    for name in ("case_detail", "case_list", "referral_detail", "report", "audit_list"):
        assert name in names


def sweep(name, demo, world, transport):
    """Every swept URL for one identity through `transport`; the list of wrong answers.

    Through the test client (`live` false) everything is checked. Over HTTP to the server
    with production settings (`live`), each request is committed: an earlier POST may have
    taken something away (an ended membership, a closed case), so there the sweep checks
    everything but the statuses a page must have when nothing changed; it allows a 429 (the
    server's rate limits are on)."""
    from cases.models import Case

    live = transport.live
    allowed_get = ALLOWED | {429} if live else ALLOWED
    allowed_post = ALLOWED_POST | {429} if live else ALLOWED_POST
    refused = REFUSED | {429} if live else REFUSED
    who = identity(name, demo)
    all_refs = dict(Case.objects.values_list("reference", "municipality__code"))
    visible = visible_references(who.user)
    # The policy gives superusers the whole audit log, case entries included.
    superuser_pages = {"audit_list"} if who.user and who.user.is_superuser else set()
    # A report names only the municipalities it covers.
    report_names = {m.name for m in demo.municipalities.values()}
    if who.user is not None:
        report_names -= {m.name for m in _report_scope(who.user)}

    problems = []
    seen_forms = set()
    for pattern in swept_patterns():
        try:
            urls = concrete_urls(pattern, world)
        except LookupError:
            continue  # test_every_url_pattern_can_be_swept names it
        expected = expectation(pattern, who)
        for url in urls:
            get = transport.get(url)
            answers = [("GET", url, get, allowed_get)]
            # POST with empty data to POST-only views, and where a refusal is expected (a view
            # must not check only on GET); must not give a 500.
            post = None
            if get.status == 405 or expected in (REFUSED, "sign-in"):
                post = transport.post(url)
                answers.append(("POST", url, post, allowed_post))
            if get.status == 200 and get.content_type.startswith("text/html"):
                answers += garbage_requests(transport, url, get, seen_forms)

            def wrong(why, method="GET", answer=get, url=url):
                detail = f" {answer.error}" if answer.error else ""
                problems.append(f"{name:16} {method:4} {url} -> {answer.status}{detail}: {why}")

            for method, sent_to, answer, allowed in answers:
                if answer.status not in allowed:
                    why = f"status not allowed (expected {sorted(allowed)})"
                    wrong(why, method, answer, sent_to)
            if expected == "sign-in":
                if not to_sign_in(get):
                    wrong(f"expected a redirect to {settings.LOGIN_URL}")
                if post and post.status != 500 and not to_sign_in(post):
                    wrong(f"expected a redirect to {settings.LOGIN_URL}", "POST", post)
            elif expected is REFUSED:
                if get.status not in refused | {405}:
                    wrong("expected 403/404")
                if post and post.status not in refused | {405, 500}:
                    wrong("expected 403/404", "POST", post)
                if get.status == 405 and post and post.status == 405:
                    wrong("405 for GET and POST: cannot tell it is refused", "POST", post)
            elif expected is not None and get.status not in expected and not live:
                wrong(f"expected {sorted(expected)}")

            # Reference codes in the URL itself are echoed by some pages (the 404 page, the
            # language form's "next"): the user typed them, they reveal nothing.
            may_name = all_refs.keys() if pattern.name in superuser_pages else visible
            may_name = set(may_name) | {r.decode() for r in REFERENCE_RE.findall(url.encode())}
            for method, sent_to, answer, _allowed in answers:
                if not answer.body:
                    continue
                text = text_of(answer)
                found = {r.decode() for r in REFERENCE_RE.findall(text)} & all_refs.keys()
                for ref in sorted(found - may_name):
                    wrong(f"LEAK: names case {ref} ({all_refs[ref]})", method, answer, sent_to)
                if answer.status == 200 and pattern.name in REPORT_PAGES:
                    for other in sorted(report_names):
                        if other.encode() in text:
                            wrong(
                                f"LEAK: report names municipality {other}", method, answer, sent_to
                            )
    return problems


@pytest.mark.parametrize("name", IDENTITIES)
def test_url_sweep(name, demo, world, client, client_for):
    if name != STRANGER:
        client = client_for(get_user_model().objects.get(username=name))
    problems = sweep(name, demo, world, ClientTransport(client))
    assert not problems, f"{len(problems)} wrong answers:\n" + "\n".join(problems)


def _report_scope(user):
    from strom.models import Municipality

    national = access.national_country_ids(user)
    if national:
        return Municipality.objects.filter(country_id__in=national)
    return Municipality.objects.filter(id__in=access.municipality_ids(user, Role.COORDINATOR))
