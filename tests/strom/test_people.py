import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from strom.audit import AuditAction, AuditEvent
from strom.models import Membership

pytestmark = pytest.mark.django_db
User = get_user_model()


def new_person(demo, **overrides):
    return {
        "username": "sw2.riga",
        "first_name": "Zane",
        "last_name": "Kļaviņa",
        "email": "zane@riga.example",
        "actor": demo.actors["riga-social"].pk,
        "role": "social_worker",
        "password1": "a-long-initial-passphrase",
        "password2": "a-long-initial-passphrase",
        **overrides,
    }


def test_administrator_creates_an_account_with_a_first_role(demo, client_for):
    client = client_for(demo.users["admin.riga"])
    response = client.post(reverse("person_create"), new_person(demo))
    person = User.objects.get(username="sw2.riga")
    assert response.status_code == 302
    assert person.check_password("a-long-initial-passphrase")
    membership = Membership.objects.get(user=person)
    assert membership.role == "social_worker"
    assert membership.actor == demo.actors["riga-social"]
    assert person.groups.filter(pk=demo.actors["riga-social"].group_id).exists()
    assert AuditEvent.objects.filter(action=AuditAction.CREATE, object_id=str(person.pk)).exists()
    assert AuditEvent.objects.filter(
        action=AuditAction.GRANT,
        object_id=str(membership.pk),
        municipality=demo.municipalities["RIX"],
    ).exists()


@pytest.mark.parametrize(
    "bad",
    [
        {"username": "sw.riga"},  # taken
        {"username": "SW.RIGA"},  # taken, other case
        {"username": "has space"},
        {"email": "nope"},
        {"password2": "something-else-entirely"},
        {"password1": "short", "password2": "short"},
        {"role": "national_coordinator"},
        {"role": "superuser"},
        {"actor": "not-a-number"},
        {"first_name": ""},
    ],
)
def test_bad_person_input_gives_a_form_error_and_writes_nothing(demo, client_for, bad):
    client = client_for(demo.users["admin.riga"])
    users, memberships = User.objects.count(), Membership.objects.count()
    response = client.post(reverse("person_create"), new_person(demo, **bad))
    assert response.status_code == 200
    assert response.context["form"].errors
    assert User.objects.count() == users
    assert Membership.objects.count() == memberships


def test_administrator_cannot_give_a_role_at_another_municipality_actor(demo, client_for):
    client = client_for(demo.users["admin.riga"])
    response = client.post(
        reverse("person_create"), new_person(demo, actor=demo.actors["jelgava-social"].pk)
    )
    assert "actor" in response.context["form"].errors
    assert not User.objects.filter(username="sw2.riga").exists()


def test_administrator_adds_and_ends_a_role(demo, client_for):
    # (A coordinator's role waits for a second administrator: tests/strom/test_role_requests.py.)
    person = demo.users["sw.riga"]
    client = client_for(demo.users["admin.riga"])
    response = client.post(
        reverse("person_detail", args=[person.pk]),
        {"actor": demo.actors["riga-social"].pk, "role": "service_provider"},
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user=person, role="service_provider", ended_at__isnull=True)
    response = client.post(reverse("membership_end", args=[membership.pk]))
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.ended_at is not None
    assert AuditEvent.objects.filter(
        action=AuditAction.REVOKE, object_id=str(membership.pk)
    ).exists()
    # Still a social worker there, so still in the actor's staff group.
    assert person.groups.filter(pk=demo.actors["riga-social"].group_id).exists()


def test_ending_the_last_role_at_an_actor_leaves_its_group(demo, client_for):
    person = demo.users["provider.riga"]
    membership = Membership.objects.get(user=person)
    client_for(demo.users["admin.riga"]).post(reverse("membership_end", args=[membership.pk]))
    assert not person.groups.filter(pk=demo.actors["riga-shelter"].group_id).exists()


def test_the_same_role_twice_is_refused_with_a_message(demo, client_for):
    person = demo.users["sw.riga"]
    client = client_for(demo.users["admin.riga"])
    response = client.post(
        reverse("person_detail", args=[person.pk]),
        {"actor": demo.actors["riga-social"].pk, "role": "social_worker"},
    )
    assert response.status_code == 200
    assert "already has this role" in response.content.decode()
    assert Membership.objects.filter(user=person).count() == 1


@pytest.mark.parametrize("username", ["admin.jelgava", "coord.riga", "sw.riga", "national.lv"])
def test_others_cannot_end_a_riga_role(demo, client_for, username):
    membership = Membership.objects.get(user=demo.users["sw.riga"])
    response = client_for(demo.users[username]).post(
        reverse("membership_end", args=[membership.pk])
    )
    assert response.status_code == 404
    membership.refresh_from_db()
    assert membership.ended_at is None


@pytest.mark.parametrize("username", ["admin.jelgava", "coord.riga", "sw.riga"])
def test_others_cannot_add_a_role_to_a_riga_person(demo, client_for, username):
    person = demo.users["sw.riga"]
    response = client_for(demo.users[username]).post(
        reverse("person_detail", args=[person.pk]),
        {"actor": demo.actors["riga-social"].pk, "role": "administrator"},
    )
    assert response.status_code == 404
    assert not Membership.objects.filter(user=person, role="administrator").exists()


def test_administrator_sets_a_new_password(demo, client_for):
    person = demo.users["sw.riga"]
    client = client_for(demo.users["admin.riga"])
    response = client.post(
        reverse("person_password", args=[person.pk]),
        {"new_password1": "another-long-passphrase", "new_password2": "another-long-passphrase"},
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.check_password("another-long-passphrase")
    assert AuditEvent.objects.filter(
        action=AuditAction.CHANGE, object_id=str(person.pk), detail__contains="password"
    ).exists()


def test_administrator_edits_name_and_email(demo, client_for):
    person = demo.users["sw.riga"]
    client = client_for(demo.users["admin.riga"])
    response = client.post(
        reverse("person_edit", args=[person.pk]),
        {"first_name": "Ilze", "last_name": "Bērziņa-Ozola", "email": "ilze@riga.example"},
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.last_name == "Bērziņa-Ozola"
    response = client.post(
        reverse("person_edit", args=[person.pk]),
        {"first_name": "", "last_name": "X", "email": "bad"},
    )
    assert response.status_code == 200
    person.refresh_from_db()
    assert person.last_name == "Bērziņa-Ozola"


def test_administrator_cannot_edit_a_superuser(demo, client_for):
    root = User.objects.create_superuser("root", "root@strom.example", "root-password-long")
    Membership.objects.create(user=root, actor=demo.actors["riga-social"], role="coordinator")
    response = client_for(demo.users["admin.riga"]).get(reverse("person_edit", args=[root.pk]))
    assert response.status_code == 404


def test_person_list_searches_and_uses_a_constant_number_of_queries(
    demo, client_for, django_assert_max_num_queries
):
    from tests.factories import MembershipFactory

    MembershipFactory.create_batch(40, actor=demo.actors["riga-shelter"], role="service_provider")
    client = client_for(demo.users["admin.riga"])
    with django_assert_max_num_queries(10):
        response = client.get(reverse("person_list"))
    assert len(response.context["rows"]) == 44
    response = client.get(reverse("person_list"), {"q": "Bērziņa"})
    assert [p.username for p, _roles in response.context["rows"]] == ["sw.riga"]


@pytest.mark.parametrize(
    "bad",
    [
        {"role": "national_coordinator"},
        {"role": ""},
        {"actor": ""},
        {"actor": "abc"},
        {"actor": "999999"},
    ],
)
def test_bad_role_input_gives_a_form_error_and_writes_nothing(demo, client_for, bad):
    person = demo.users["sw.riga"]
    client = client_for(demo.users["admin.riga"])
    data = {"actor": demo.actors["riga-social"].pk, "role": "coordinator", **bad}
    count = Membership.objects.count()
    response = client.post(reverse("person_detail", args=[person.pk]), data)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert Membership.objects.count() == count


def test_role_at_another_municipality_actor_is_refused(demo, client_for):
    person = demo.users["sw.riga"]
    client = client_for(demo.users["admin.riga"])
    response = client.post(
        reverse("person_detail", args=[person.pk]),
        {"actor": demo.actors["jelgava-social"].pk, "role": "coordinator"},
    )
    assert "actor" in response.context["form"].errors
    assert not Membership.objects.filter(user=person, actor=demo.actors["jelgava-social"]).exists()


@pytest.mark.parametrize(
    "bad",
    [
        {"new_password1": "another-long-passphrase", "new_password2": "different-passphrase"},
        {"new_password1": "short", "new_password2": "short"},
        {"new_password1": "", "new_password2": ""},
    ],
)
def test_bad_new_password_gives_a_form_error_and_changes_nothing(demo, client_for, bad):
    from tests.conftest import DEMO_PASSWORD

    person = demo.users["sw.riga"]
    response = client_for(demo.users["admin.riga"]).post(
        reverse("person_password", args=[person.pk]), bad
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    person.refresh_from_db()
    assert person.check_password(DEMO_PASSWORD)


def test_ending_a_role_needs_post(demo, client_for):
    membership = Membership.objects.get(user=demo.users["sw.riga"])
    response = client_for(demo.users["admin.riga"]).get(
        reverse("membership_end", args=[membership.pk])
    )
    assert response.status_code == 405
    membership.refresh_from_db()
    assert membership.ended_at is None
