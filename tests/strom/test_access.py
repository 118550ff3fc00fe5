"""The access policy of DESIGN.md, role by role, on the demo world."""

import pytest
from django.urls import reverse

from strom import access
from strom.models import Membership

pytestmark = pytest.mark.django_db


def names(queryset):
    return {obj.name for obj in queryset}


def test_social_worker_reads_own_municipality_actors_and_national_ones(demo):
    visible = access.actors_for(demo.users["sw.riga"])
    assert demo.actors["riga-shelter"] in visible
    assert demo.actors["lv-migration"] in visible  # national actor of her country
    assert demo.actors["jelgava-social"] not in visible
    assert demo.actors["tallinn-ngo"] not in visible
    assert demo.actors["ee-national"] not in visible


def test_service_provider_reads_own_actor_and_its_municipality(demo):
    visible = access.actors_for(demo.users["provider.riga"])
    assert demo.actors["riga-shelter"] in visible
    assert demo.actors["riga-social"] in visible
    assert demo.actors["jelgava-police"] not in visible


def test_national_coordinator_reads_every_actor_of_her_country_only(demo):
    visible = access.actors_for(demo.users["national.lv"])
    assert demo.actors["riga-shelter"] in visible
    assert demo.actors["jelgava-employment"] in visible
    assert demo.actors["tallinn-ngo"] not in visible
    assert demo.actors["vilnius-ngo"] not in visible


@pytest.mark.parametrize(
    "username", ["sw.riga", "coord.riga", "provider.riga", "national.lv", "admin.jelgava"]
)
def test_only_the_municipality_administrator_edits_its_actors(demo, username):
    assert demo.actors["riga-shelter"] not in access.editable_actors(demo.users[username])


def test_administrator_edits_own_municipality_actors(demo):
    editable = access.editable_actors(demo.users["admin.riga"])
    assert demo.actors["riga-shelter"] in editable
    assert demo.actors["lv-migration"] not in editable  # national actors are the superuser's
    assert demo.actors["jelgava-social"] not in editable


@pytest.mark.parametrize("username", ["sw.riga", "provider.riga", "national.lv", "admin.jelgava"])
def test_roles_outside_riga_management_see_no_riga_memberships(demo, username):
    riga = Membership.objects.filter(actor__municipality__code="RIX")
    assert not access.memberships_for(demo.users[username]).filter(pk__in=riga).exists()


@pytest.mark.parametrize("username", ["coord.riga", "admin.riga"])
def test_riga_coordinator_and_administrator_see_riga_staff(demo, username):
    people = access.people_for(demo.users[username])
    assert demo.users["sw.riga"] in people
    assert demo.users["provider.riga"] in people
    assert demo.users["sw.jelgava"] not in people
    assert demo.users["national.lv"] not in people


def test_only_administrators_hand_out_roles(demo):
    assert access.assignable_roles(demo.users["admin.riga"])
    for username in ["sw.riga", "coord.riga", "provider.riga", "national.lv"]:
        assert access.assignable_roles(demo.users[username]) == ()


def test_administrator_cannot_create_national_coordinators(demo):
    assert "national_coordinator" not in access.assignable_roles(demo.users["admin.riga"])


def test_ended_membership_gives_no_access(demo):
    membership = Membership.objects.get(user=demo.users["sw.riga"])
    membership.ended_at = membership.started_at
    membership.save()
    user = type(demo.users["sw.riga"]).objects.get(pk=demo.users["sw.riga"].pk)
    assert not access.actors_for(user).exists()


def test_deactivated_user_keeps_no_scope(demo):
    user = demo.users["coord.riga"]
    user.is_active = False
    user.save()
    fresh = type(user).objects.get(pk=user.pk)
    assert access.memberships(fresh) == []


# Every view, every role: what must answer, and what must be a 404 --------------------

EVERYONE = "every role"
COORDINATORS = {"coord.riga", "coord.jelgava", "coord.tallinn"}
ADMINISTRATORS = {"admin.riga", "admin.jelgava"}
PAGES = {
    # url name, kwargs-from-demo, roles (demo users) that may open it
    # Lists answer everyone with a role; what they list is scoped (tested above).
    "home": (None, EVERYONE),
    "actor_list": (None, EVERYONE),
    "actor_create": (None, ADMINISTRATORS),
    "person_list": (None, COORDINATORS | ADMINISTRATORS),
    "person_create": (None, ADMINISTRATORS),
    "audit_list": (None, COORDINATORS | ADMINISTRATORS),
    "actor_detail": (
        "riga-shelter",
        {"sw.riga", "coord.riga", "admin.riga", "provider.riga", "national.lv"},
    ),
    "actor_edit": ("riga-shelter", {"admin.riga"}),
    "person_detail": ("user:sw.riga", {"coord.riga", "admin.riga"}),
    "person_edit": ("user:sw.riga", {"admin.riga"}),
    "person_password": ("user:sw.riga", {"admin.riga"}),
}
ROLES = [
    "sw.riga",
    "coord.riga",
    "admin.riga",
    "provider.riga",
    "national.lv",
    "sw.jelgava",
    "coord.jelgava",
    "admin.jelgava",
    "coord.tallinn",
    "national.ee",
]


def _url(demo, name, target):
    if target is None:
        return reverse(name)
    if target.startswith("user:"):
        return reverse(name, args=[demo.users[target[5:]].pk])
    return reverse(name, args=[demo.actors[target].pk])


@pytest.mark.parametrize("page", sorted(PAGES))
@pytest.mark.parametrize("username", ROLES)
def test_page_answers_only_to_roles_the_policy_allows(demo, client_for, page, username):
    target, allowed = PAGES[page]
    response = client_for(demo.users[username]).get(_url(demo, page, target))
    expected = 200 if allowed == EVERYONE or username in allowed else 404
    assert response.status_code == expected, (page, username, response.status_code)


def test_anonymous_visitor_is_sent_to_sign_in(demo, client):
    for page, (target, _allowed) in PAGES.items():
        response = client.get(_url(demo, page, target))
        assert response.status_code == 302, page
        assert response["Location"].startswith(reverse("login")), page


def test_health_check_needs_no_sign_in(client, db):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.content == b"ok"


def test_the_favicon_needs_no_sign_in(client, db):
    response = client.get(reverse("favicon"))
    assert response.status_code == 302
    assert response["Location"].endswith(".svg")
