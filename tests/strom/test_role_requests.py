"""Issue 13, finding 5: self-promotion.

Nobody gives herself a role. A coordinator's role (she reads every case of the municipality),
and an administrator's (she could confirm the next one), given by an administrator, waits for
a second administrator of the municipality to confirm it and gives no access until then; a
superuser gives it at once. The municipality's coordinators are told.
"""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from strom import access, actions
from strom.audit import AuditAction, AuditEvent
from strom.models import Membership, RoleRequest, RoleRequestOutcome
from strom.notifications import Notification
from strom.reauth import AUTHENTICATED_AT
from strom.twofactor import pass_for_test_client
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db
User = get_user_model()


def signed_in(user):
    client = Client()
    client.force_login(user)
    pass_for_test_client(client, user)
    return client


@pytest.fixture
def admin2(demo):
    """A second administrator of Riga."""
    user = UserFactory(username="admin2.riga")
    MembershipFactory(user=user, actor=demo.actors["riga-social"], role="administrator")
    return User.objects.get(pk=user.pk)


@pytest.fixture
def newcomer(demo):
    """A Riga social worker assigned to no case."""
    user = UserFactory(username="sw2.riga")
    MembershipFactory(user=user, actor=demo.actors["riga-social"], role="social_worker")
    return User.objects.get(pk=user.pk)


def fresh(user):
    return User.objects.get(pk=user.pk)


def ask_coordinator_role(demo, person, by="admin.riga"):
    response = signed_in(demo.users[by]).post(
        reverse("person_detail", args=[person.pk]),
        {"actor": demo.actors["riga-social"].pk, "role": "coordinator"},
    )
    assert response.status_code == 302, response.content.decode()[:500]
    return RoleRequest.objects.get(user=person, role="coordinator")


# Nobody gives herself a role ---------------------------------------------------------------


def test_an_administrator_cannot_give_herself_the_coordinator_role(demo, client_for):
    admin = demo.users["admin.jelgava"]
    client = client_for(admin)
    page = client.get(reverse("person_detail", args=[admin.pk])).content.decode()
    assert "Give a role" not in page
    response = client.post(
        reverse("person_detail", args=[admin.pk]),
        {"actor": demo.actors["jelgava-social"].pk, "role": "coordinator"},
        follow=True,
    )
    assert "You cannot give yourself a role" in response.content.decode()
    assert not Membership.objects.filter(user=admin, role="coordinator").exists()
    assert not RoleRequest.objects.filter(user=admin).exists()
    assert not AuditEvent.objects.filter(action=AuditAction.GRANT, user=admin).exists()


@pytest.mark.parametrize("role", ["coordinator", "social_worker", "administrator"])
def test_the_action_refuses_a_role_for_oneself_even_to_a_superuser(demo, role):
    admin = demo.users["admin.jelgava"]
    with pytest.raises(ValidationError):
        actions.give_role(by=admin, user=admin, actor=demo.actors["jelgava-social"], role=role)
    root = User.objects.create_superuser("root", "root@strom.example", "root-password-long")
    with pytest.raises(ValidationError):
        actions.give_role(by=root, user=root, actor=demo.actors["jelgava-social"], role=role)
    with pytest.raises(ValidationError):
        actions.add_membership(by=admin, user=admin, actor=demo.actors["jelgava-social"], role=role)
    assert not Membership.objects.filter(user__in=[admin, root], role=role).exclude(
        role="administrator", user=admin
    )


def test_add_membership_gives_no_coordinator_role_without_confirmation(demo, newcomer):
    with pytest.raises(PermissionDenied):
        actions.add_membership(
            by=demo.users["admin.riga"],
            user=newcomer,
            actor=demo.actors["riga-social"],
            role="coordinator",
        )
    assert not Membership.objects.filter(user=newcomer, role="coordinator").exists()


def test_the_actions_give_no_role_to_someone_the_administrator_does_not_manage(demo):
    outsider = demo.users["coord.tallinn"]
    for give in (actions.add_membership, actions.request_role, actions.give_role):
        with pytest.raises(PermissionDenied):
            give(
                by=demo.users["admin.riga"],
                user=outsider,
                actor=demo.actors["riga-social"],
                role="social_worker" if give is actions.add_membership else "coordinator",
            )
    assert not Membership.objects.filter(user=outsider, actor=demo.actors["riga-social"])
    assert not RoleRequest.objects.filter(user=outsider).exists()


# A coordinator's role waits for a second administrator ---------------------------------------


def test_a_coordinator_role_waits_and_gives_no_case_access(demo, newcomer):
    request = ask_coordinator_role(demo, newcomer)
    assert request.outcome == RoleRequestOutcome.PENDING
    assert request.requested_by == demo.users["admin.riga"]
    assert not Membership.objects.filter(user=newcomer, role="coordinator").exists()
    assert not access.cases_for(fresh(newcomer)).exists()
    assert not access.coordinated_cases(fresh(newcomer)).exists()
    assert AuditEvent.objects.filter(
        action=AuditAction.GRANT_REQUESTED,
        object_id=str(request.pk),
        municipality=demo.municipalities["RIX"],
    ).exists()
    assert not AuditEvent.objects.filter(action=AuditAction.GRANT, detail__contains="coordinator")
    # Riga's coordinator is told of the request.
    assert Notification.objects.filter(
        user=demo.users["coord.riga"], kind="role_requested"
    ).exists()


def test_a_second_administrator_confirms_it_and_then_the_cases_open(demo, newcomer, admin2):
    request = ask_coordinator_role(demo, newcomer)
    client = signed_in(admin2)
    page = client.get(reverse("person_detail", args=[newcomer.pk])).content.decode()
    assert reverse("role_request_confirm", args=[request.pk]) in page
    assert (
        reverse("role_request_confirm", args=[request.pk])
        in client.get(reverse("person_list")).content.decode()
    )
    response = client.post(reverse("role_request_confirm", args=[request.pk]))
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.outcome == RoleRequestOutcome.CONFIRMED
    assert request.decided_by == admin2 and request.decided_at is not None
    membership = Membership.objects.get(user=newcomer, role="coordinator", ended_at__isnull=True)
    assert newcomer.groups.filter(pk=demo.actors["riga-social"].group_id).exists()
    assert access.cases_for(fresh(newcomer)).filter(municipality__code="RIX").exists()
    grant = AuditEvent.objects.get(action=AuditAction.GRANT, object_id=str(membership.pk))
    assert grant.user == admin2
    assert Notification.objects.filter(
        user=demo.users["coord.riga"], kind="coordinator_added"
    ).exists()


def test_the_requester_cannot_confirm_her_own_request(demo, newcomer):
    request = ask_coordinator_role(demo, newcomer)
    client = signed_in(demo.users["admin.riga"])
    page = client.get(reverse("person_detail", args=[newcomer.pk])).content.decode()
    assert reverse("role_request_confirm", args=[request.pk]) not in page
    response = client.post(reverse("role_request_confirm", args=[request.pk]), follow=True)
    assert response.status_code == 200
    assert "Another administrator" in response.content.decode()
    request.refresh_from_db()
    assert request.outcome == RoleRequestOutcome.PENDING
    assert not Membership.objects.filter(user=newcomer, role="coordinator").exists()
    with pytest.raises(ValidationError):
        actions.confirm_role_request(by=demo.users["admin.riga"], role_request=request)


def test_the_person_herself_cannot_confirm_her_own_promotion(demo, admin2):
    request = ask_coordinator_role(demo, admin2)
    client = signed_in(admin2)
    client.post(reverse("role_request_confirm", args=[request.pk]))
    request.refresh_from_db()
    assert request.outcome == RoleRequestOutcome.PENDING
    assert not Membership.objects.filter(user=admin2, role="coordinator").exists()


@pytest.mark.parametrize(
    "username", ["admin.jelgava", "admin.tallinn", "coord.riga", "sw.riga", "national.lv"]
)
def test_others_get_404_for_a_riga_request(demo, newcomer, username):
    request = ask_coordinator_role(demo, newcomer)
    client = signed_in(demo.users[username])
    for name in ("role_request_confirm", "role_request_refuse"):
        assert client.post(reverse(name, args=[request.pk])).status_code == 404
    request.refresh_from_db()
    assert request.outcome == RoleRequestOutcome.PENDING
    assert not Membership.objects.filter(user=newcomer, role="coordinator").exists()


def test_a_second_administrator_refuses_it(demo, newcomer, admin2):
    request = ask_coordinator_role(demo, newcomer)
    response = signed_in(admin2).post(reverse("role_request_refuse", args=[request.pk]))
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.outcome == RoleRequestOutcome.REFUSED
    assert request.decided_by == admin2
    assert not Membership.objects.filter(user=newcomer, role="coordinator").exists()
    assert AuditEvent.objects.filter(
        action=AuditAction.GRANT_REFUSED, object_id=str(request.pk)
    ).exists()
    # A decided request cannot be confirmed afterwards.
    response = signed_in(admin2).post(reverse("role_request_confirm", args=[request.pk]))
    assert response.status_code == 404
    assert not Membership.objects.filter(user=newcomer, role="coordinator").exists()


def test_one_pending_request_per_person_organisation_and_role(demo, newcomer):
    ask_coordinator_role(demo, newcomer)
    response = signed_in(demo.users["admin.riga"]).post(
        reverse("person_detail", args=[newcomer.pk]),
        {"actor": demo.actors["riga-social"].pk, "role": "coordinator"},
    )
    assert response.status_code == 200
    assert "already waits for confirmation" in response.content.decode()
    assert RoleRequest.objects.filter(user=newcomer).count() == 1


def test_confirming_asks_for_the_password_after_15_minutes(demo, newcomer, admin2):
    import time

    request = ask_coordinator_role(demo, newcomer)
    client = signed_in(admin2)
    session = client.session
    session[AUTHENTICATED_AT] = int(time.time()) - 16 * 60
    session.save()
    response = client.post(reverse("role_request_confirm", args=[request.pk]))
    assert response.url.startswith(reverse("reauthenticate"))
    request.refresh_from_db()
    assert request.outcome == RoleRequestOutcome.PENDING


def test_an_administrator_role_waits_too(demo, newcomer):
    signed_in(demo.users["admin.riga"]).post(
        reverse("person_detail", args=[newcomer.pk]),
        {"actor": demo.actors["riga-social"].pk, "role": "administrator"},
    )
    assert RoleRequest.objects.filter(user=newcomer, role="administrator", outcome="pending")
    assert not Membership.objects.filter(user=newcomer, role="administrator").exists()


def test_a_new_account_with_a_coordinator_role_waits_for_confirmation(demo, admin2):
    client = signed_in(demo.users["admin.riga"])
    response = client.post(
        reverse("person_create"),
        {
            "username": "coord2.riga",
            "first_name": "Zane",
            "last_name": "Kļaviņa",
            "email": "zane@riga.example",
            "actor": demo.actors["riga-social"].pk,
            "role": "coordinator",
            "password1": "a-long-initial-passphrase",
            "password2": "a-long-initial-passphrase",
        },
    )
    assert response.status_code == 302
    person = User.objects.get(username="coord2.riga")
    assert not Membership.objects.filter(user=person).exists()
    request = RoleRequest.objects.get(user=person, outcome="pending")
    # Still on Riga's people pages, where the second administrator confirms it.
    assert person in access.people_for(demo.users["coord.riga"])
    assert (
        signed_in(admin2).post(reverse("role_request_confirm", args=[request.pk])).status_code
        == 302
    )
    assert Membership.objects.filter(user=person, role="coordinator", ended_at__isnull=True)


def test_a_superuser_gives_the_coordinator_role_at_once_and_coordinators_are_told(demo, newcomer):
    root = User.objects.create_superuser("root", "root@strom.example", "root-password-long")
    response = signed_in(root).post(
        reverse("person_detail", args=[newcomer.pk]),
        {"actor": demo.actors["riga-social"].pk, "role": "coordinator"},
    )
    assert response.status_code == 302
    assert Membership.objects.filter(user=newcomer, role="coordinator", ended_at__isnull=True)
    assert not RoleRequest.objects.filter(user=newcomer).exists()
    assert Notification.objects.filter(
        user=demo.users["coord.riga"], kind="coordinator_added"
    ).exists()


def test_other_roles_are_still_given_at_once(demo, newcomer):
    person = demo.users["coord.riga"]
    response = signed_in(demo.users["admin.riga"]).post(
        reverse("person_detail", args=[person.pk]),
        {"actor": demo.actors["riga-shelter"].pk, "role": "service_provider"},
    )
    assert response.status_code == 302
    assert Membership.objects.filter(user=person, role="service_provider", ended_at__isnull=True)


def test_a_superuser_reads_role_requests_in_djangos_admin_but_cannot_decide_them_there(
    demo, newcomer, settings
):
    # Deciding there would skip the second pair of eyes, the audit and the notices.
    ask_coordinator_role(demo, newcomer)
    root = User.objects.create_superuser("root", "root@strom.example", "root-password-long")
    client = signed_in(root)
    listing = client.get(reverse("admin:strom_rolerequest_changelist"))
    assert listing.status_code == 200
    assert "sw2.riga" in listing.content.decode()
    assert client.get(reverse("admin:strom_rolerequest_add")).status_code == 403
    role_request = RoleRequest.objects.get(user=newcomer)
    change = reverse("admin:strom_rolerequest_change", args=[role_request.pk])
    client.post(change, {"outcome": RoleRequestOutcome.CONFIRMED})
    assert fresh_request(role_request).outcome == role_request.outcome
    assert not Membership.objects.filter(user=newcomer, role="coordinator").exists()


def fresh_request(role_request):
    return RoleRequest.objects.get(pk=role_request.pk)
