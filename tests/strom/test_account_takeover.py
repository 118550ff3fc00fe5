"""Issue 13, finding 4: an administrator takes over no account that also works elsewhere.

A Tallinn coordinator who also holds a Riga role is listed on Riga's people pages (so that
Riga's administrator can end the Riga role), but only a superuser may reset her password or
second factor, unlock her or change her name and e-mail: whoever holds those reads Tallinn's
cases. The person is told when her password or second factor is reset, and the audit entry
goes to every municipality she works for.
"""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from strom import access, actions
from strom.audit import AuditAction, AuditEvent
from strom.models import Membership
from strom.notifications import Notification, NotificationPreference
from strom.twofactor import pass_for_test_client
from tests.conftest import DEMO_PASSWORD
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db
User = get_user_model()

NEW_PASSWORD = {
    "new_password1": "another-long-passphrase",
    "new_password2": "another-long-passphrase",
}
REFUSAL = "also works for another municipality"
PASSWORD_NOTICE = "An administrator set a new password for your account"
SECOND_FACTOR_NOTICE = "An administrator reset the second factor of your account"


def _security_notices(person):
    return Notification.objects.filter(user=person, kind="security").values_list("title", flat=True)


@pytest.fixture
def dual(demo):
    """coord.tallinn, who also works as a social worker in Riga."""
    person = demo.users["coord.tallinn"]
    MembershipFactory(user=person, actor=demo.actors["riga-social"], role="social_worker")
    pass_for_test_client(Client(), person)  # she has an authenticator app
    return User.objects.get(pk=person.pk)


@pytest.fixture
def superuser_client(demo):
    root = User.objects.create_superuser("root", "root@strom.example", "root-password-long")
    client = Client()
    client.force_login(root)
    pass_for_test_client(client, root)
    return client


def _takeover_requests(person):
    return [
        ("post", reverse("person_password", args=[person.pk]), NEW_PASSWORD),
        ("post", reverse("person_reset_second_factor", args=[person.pk]), {}),
        ("post", reverse("person_unlock", args=[person.pk]), {}),
        (
            "post",
            reverse("person_edit", args=[person.pk]),
            {"first_name": "Mari", "last_name": "Saar", "email": "attacker@riga.example"},
        ),
        ("get", reverse("person_password", args=[person.pk]), {}),
        ("get", reverse("person_edit", args=[person.pk]), {}),
    ]


@pytest.mark.parametrize("index", range(6))
def test_riga_administrator_cannot_take_over_a_tallinn_coordinator_with_a_riga_role(
    demo, client_for, dual, index
):
    method, url, data = _takeover_requests(dual)[index]
    client = client_for(demo.users["admin.riga"])
    response = getattr(client, method)(url, data, follow=True)
    assert response.status_code == 200
    assert REFUSAL in response.content.decode()
    dual.refresh_from_db()
    assert dual.check_password(DEMO_PASSWORD)
    assert dual.email != "attacker@riga.example"
    assert TOTPDevice.objects.filter(user=dual, confirmed=True).exists()
    assert not AuditEvent.objects.filter(
        object_type="auth.user", object_id=str(dual.pk), user=demo.users["admin.riga"]
    ).exists()


def test_the_actions_refuse_it_too(demo, dual):
    admin = demo.users["admin.riga"]
    for call in (
        lambda: actions.set_person_password(by=admin, person=dual, password="x-long-passphrase"),
        lambda: actions.reset_second_factor(by=admin, person=dual),
        lambda: actions.unlock(by=admin, person=dual),
        lambda: actions.update_person(by=admin, person=dual, email="attacker@riga.example"),
    ):
        with pytest.raises(PermissionDenied):
            call()
    dual.refresh_from_db()
    assert dual.check_password(DEMO_PASSWORD)
    assert TOTPDevice.objects.filter(user=dual, confirmed=True).exists()


def test_a_national_role_counts_as_working_elsewhere(demo):
    national = demo.users["national.lv"]
    MembershipFactory(user=national, actor=demo.actors["riga-social"], role="social_worker")
    admin = demo.users["admin.riga"]
    assert national in access.people_for(admin)
    assert national not in access.account_manageable_people(admin)


def test_riga_administrator_still_sees_her_and_ends_the_riga_role(demo, client_for, dual):
    client = client_for(demo.users["admin.riga"])
    page = client.get(reverse("person_detail", args=[dual.pk])).content.decode()
    assert REFUSAL in page
    assert reverse("person_password", args=[dual.pk]) not in page
    assert reverse("person_edit", args=[dual.pk]) not in page
    assert reverse("person_reset_second_factor", args=[dual.pk]) not in page
    riga = Membership.objects.get(user=dual, actor=demo.actors["riga-social"])
    assert reverse("membership_end", args=[riga.pk]) in page
    assert client.post(reverse("membership_end", args=[riga.pk])).status_code == 302
    riga.refresh_from_db()
    assert riga.ended_at is not None
    # Now she works for Tallinn only: Riga's administrator no longer manages her at all.
    assert client.get(reverse("person_password", args=[dual.pk])).status_code == 404


def test_a_superuser_resets_her_password_and_second_factor_audited_in_both_municipalities(
    demo, dual, superuser_client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = superuser_client.post(reverse("person_password", args=[dual.pk]), NEW_PASSWORD)
    assert response.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        response = superuser_client.post(reverse("person_reset_second_factor", args=[dual.pk]))
    assert response.status_code == 302
    dual.refresh_from_db()
    assert dual.check_password("another-long-passphrase")
    assert not TOTPDevice.objects.filter(user=dual).exists()
    for action in (AuditAction.CHANGE, AuditAction.TWO_FACTOR_RESET):
        municipalities = set(
            AuditEvent.objects.filter(action=action, object_id=str(dual.pk)).values_list(
                "municipality__code", flat=True
            )
        )
        assert municipalities == {"RIX", "TLL"}, action
    # Tallinn's coordinators and administrator read it in their own log.
    tallinn_log = access.audit_events_for(demo.users["admin.tallinn"])
    assert tallinn_log.filter(action=AuditAction.TWO_FACTOR_RESET, object_id=str(dual.pk))
    # She is told, in the app and by e-mail.
    assert set(_security_notices(dual)) == {PASSWORD_NOTICE, SECOND_FACTOR_NOTICE}
    assert len([m for m in mailoutbox if m.to == [dual.email]]) == 2


def test_riga_administrator_resets_a_riga_only_person_and_she_is_told(
    demo, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    person = demo.users["sw.riga"]
    # E-mail copies turned off (by her, or by whoever is in her account): told all the same.
    NotificationPreference.objects.update_or_create(user=person, defaults={"email": False})
    client = client_for(demo.users["admin.riga"])
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            client.post(reverse("person_password", args=[person.pk]), NEW_PASSWORD).status_code
            == 302
        )
        assert (
            client.post(reverse("person_reset_second_factor", args=[person.pk])).status_code == 302
        )
    person.refresh_from_db()
    assert person.check_password("another-long-passphrase")
    assert set(_security_notices(person)) == {PASSWORD_NOTICE, SECOND_FACTOR_NOTICE}
    mails = [m for m in mailoutbox if m.to == [person.email]]
    assert len(mails) == 2
    assert all("Jānis Ozols" in m.body for m in mails)
    assert set(
        AuditEvent.objects.filter(
            action=AuditAction.TWO_FACTOR_RESET, object_id=str(person.pk)
        ).values_list("municipality__code", flat=True)
    ) == {"RIX"}
