"""Every referral page that shows a case's content records who saw it (issue 13, finding 7),
as the case pages do: one `view` audit event with the case as its object, so that it is in the
case's access log the coordinators read, and the page in `detail`, never a value. The routes
are read from the URL resolver, so that a new referral page cannot be forgotten.

The provider's inbox lists reference codes, step names, states and dates: no content of a
case, so it records nothing."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from strom.audit import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db

# Who may open each page that shows something of one case. A GET route missing here fails
# test_every_referral_page_is_classified: decide whether it shows a case's content.
SHOWS_A_CASE = {
    "case_pathway": {"coord.riga", "sw.riga"},  # the chain of assistance
    "referral_detail": {"coord.riga", "sw.riga", "provider.riga"},  # shared summary
}
NO_CASE_CONTENT = {"referral_inbox": {"provider.riga", "provider.tallinn"}}
REFUSED = ["sw.jelgava", "coord.jelgava", "admin.riga", "national.lv", "provider.tallinn"]


def referral_routes():
    """(url name, route) of every URL pattern of referrals/urls.py as the site serves it."""
    found = []

    def walk(patterns, prefix, inside):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                name = getattr(pattern.urlconf_module, "__name__", "")
                walk(
                    pattern.url_patterns,
                    prefix + str(pattern.pattern),
                    inside or name == "referrals.urls",
                )
            elif isinstance(pattern, URLPattern) and inside:
                found.append((pattern.name, prefix + str(pattern.pattern)))

    walk(get_resolver().url_patterns, "", False)
    return sorted(found)


def url_of(name, route, referral):
    kwargs = {}
    if "<ref:reference>" in route:
        kwargs["reference"] = referral.case.reference
    if "<int:pk>" in route:
        kwargs["pk"] = referral.pk
    return reverse(name, kwargs=kwargs)


def events_since(before):
    return AuditEvent.objects.exclude(pk__in=before)


def case_views(case, before=()):
    return list(
        events_since(before)
        .filter(action=AuditAction.VIEW, object_type="cases.case", object_id=str(case.pk))
        .values_list("username", "detail")
    )


def test_the_walk_finds_the_referral_pages():
    names = {name for name, _route in referral_routes()}
    assert {"case_pathway", "referral_detail", "referral_inbox", "referral_send"} <= names


@pytest.mark.parametrize(("name", "route"), referral_routes())
def test_every_referral_page_is_classified(demo, client_for, sent, name, route):
    """A page a GET opens is either in SHOWS_A_CASE or in NO_CASE_CONTENT; the others
    only take a POST."""
    client = client_for(demo.users["coord.riga"])
    response = client.get(url_of(name, route, sent))
    if name in SHOWS_A_CASE or name in NO_CASE_CONTENT:
        return
    assert response.status_code == 405, (name, response.status_code)


@pytest.mark.parametrize(
    ("name", "route", "username"),
    [
        (name, route, username)
        for name, route in referral_routes()
        for username in SHOWS_A_CASE.get(name, ())
    ],
)
def test_every_referral_page_showing_a_case_records_one_view_of_the_case(
    demo, client_for, sent, name, route, username
):
    case = sent.case
    before = set(AuditEvent.objects.values_list("pk", flat=True))
    response = client_for(demo.users[username]).get(url_of(name, route, sent))
    assert response.status_code == 200
    views = events_since(before).filter(action=AuditAction.VIEW)
    assert len(views) == 1, [(e.object_type, e.detail) for e in views]
    view = views.get()
    assert (view.object_type, view.object_id) == ("cases.case", str(case.pk))
    assert view.user == demo.users[username]
    assert view.object_label == case.reference
    assert view.municipality == case.municipality  # the coordinators' log
    assert view.detail
    # The page, never a value of the case.
    for value in ("Lan", "Nguyen", "VN", "Safety"):
        assert value not in view.detail


@pytest.mark.parametrize(("name", "route"), referral_routes())
@pytest.mark.parametrize("username", REFUSED + ["provider.riga", "sw.riga", "coord.riga"])
def test_a_user_refused_a_referral_page_gets_404_and_no_view_is_recorded(
    demo, client_for, sent, name, route, username
):
    if username in SHOWS_A_CASE.get(name, ()) or username in NO_CASE_CONTENT.get(name, ()):
        return  # may see it: the test above
    before = set(AuditEvent.objects.values_list("pk", flat=True))
    response = client_for(demo.users[username]).get(url_of(name, route, sent))
    assert response.status_code in (404, 405), (name, username, response.status_code)
    assert not events_since(before).filter(action=AuditAction.VIEW).exists()


def test_a_referral_that_does_not_exist_is_404_and_records_nothing(demo, client_for, sent):
    client = client_for(demo.users["coord.riga"])
    before = set(AuditEvent.objects.values_list("pk", flat=True))
    response = client.get(reverse("referral_detail", args=[999999]))
    assert response.status_code == 404
    assert not events_since(before).exists()


def test_the_inbox_lists_reference_codes_and_records_no_view(demo, client_for, sent):
    before = set(AuditEvent.objects.values_list("pk", flat=True))
    response = client_for(demo.users["provider.riga"]).get(reverse("referral_inbox"))
    assert response.status_code == 200 and sent.case.reference in response.content.decode()
    assert not events_since(before).filter(action=AuditAction.VIEW).exists()


def test_the_providers_reading_is_in_the_case_access_log_the_coordinator_sees(
    demo, client_for, sent
):
    client_for(demo.users["provider.riga"]).get(reverse("referral_detail", args=[sent.pk]))
    assert case_views(sent.case) == [("provider.riga", f"referral {sent.pk}")]
    page = client_for(demo.users["coord.riga"]).get(
        reverse("case_detail", args=[sent.case.reference])
    )
    logged = [(e.username, e.action, e.detail) for e in page.context["access_log"]]
    assert ("provider.riga", AuditAction.VIEW, f"referral {sent.pk}") in logged


def test_the_chain_of_assistance_records_a_view_named_pathway(demo, client_for, sent):
    client_for(demo.users["sw.riga"]).get(reverse("case_pathway", args=[sent.case.reference]))
    assert case_views(sent.case) == [("sw.riga", "pathway")]
