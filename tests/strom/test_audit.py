import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from strom.audit import AppendOnlyError, AuditAction, AuditEvent, record
from tests.conftest import DEMO_PASSWORD, pass_second_factor

pytestmark = pytest.mark.django_db


def test_sign_in_is_logged_with_user_and_ip(demo, client):
    client.post(
        reverse("login"),
        {"username": "sw.riga", "password": DEMO_PASSWORD},
        REMOTE_ADDR="192.0.2.10",
    )
    event = AuditEvent.objects.get(action=AuditAction.LOGIN)
    assert event.user == demo.users["sw.riga"]
    assert event.ip_address == "192.0.2.10"


def test_failed_sign_in_is_logged_with_the_typed_name(demo, client):
    response = client.post(reverse("login"), {"username": "sw.riga", "password": "wrong"})
    assert response.status_code == 200
    assert "not correct" in response.content.decode()
    event = AuditEvent.objects.get(action=AuditAction.LOGIN_FAILED)
    assert event.username == "sw.riga"
    assert event.user == demo.users["sw.riga"]


def test_failed_sign_in_for_unknown_name_gives_the_same_message(demo, client):
    known = client.post(reverse("login"), {"username": "sw.riga", "password": "wrong"})
    unknown = client.post(reverse("login"), {"username": "nobody", "password": "wrong"})
    assert known.context["form"].errors == unknown.context["form"].errors
    event = AuditEvent.objects.get(action=AuditAction.LOGIN_FAILED, username="nobody")
    assert event.user is None


def test_sign_out_is_logged(demo, client):
    client.force_login(demo.users["coord.riga"])
    pass_second_factor(client, demo.users["coord.riga"])
    client.post(reverse("logout"))
    assert AuditEvent.objects.filter(
        action=AuditAction.LOGOUT, user=demo.users["coord.riga"]
    ).exists()


def test_event_cannot_be_changed_or_deleted_through_the_orm(demo):
    event = record(AuditAction.VIEW, user=demo.users["coord.riga"], obj=demo.actors["riga-shelter"])
    event.detail = "rewritten"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(detail="rewritten")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).detail == ""


def test_event_names_the_object_and_its_municipality(demo):
    event = record(AuditAction.VIEW, user=demo.users["coord.riga"], obj=demo.actors["riga-shelter"])
    assert event.object_type == "strom.actor"
    assert event.object_id == str(demo.actors["riga-shelter"].pk)
    assert event.municipality == demo.municipalities["RIX"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE strom_auditevent SET detail = 'rewritten'",
        "DELETE FROM strom_auditevent",
    ],
)
def test_postgresql_refuses_update_and_delete_in_raw_sql(demo, statement):
    record(AuditAction.VIEW, user=demo.users["coord.riga"], obj=demo.actors["riga-shelter"])
    count = AuditEvent.objects.count()
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement)
    assert AuditEvent.objects.count() == count
    assert not AuditEvent.objects.filter(detail="rewritten").exists()


def test_coordinator_browses_her_municipality_log_only(demo, client_for):
    record(AuditAction.CHANGE, user=demo.users["admin.riga"], obj=demo.actors["riga-shelter"])
    record(AuditAction.CHANGE, user=demo.users["admin.jelgava"], obj=demo.actors["jelgava-police"])
    client = client_for(demo.users["coord.riga"])
    page = client.get(reverse("audit_list")).content.decode()
    assert demo.actors["riga-shelter"].name.replace('"', "&quot;") in page
    assert demo.actors["jelgava-police"].name not in page


def test_coordinator_sees_sign_ins_of_her_staff_but_not_of_others(demo, client):
    for username in ["sw.riga", "sw.jelgava"]:
        client.post(reverse("login"), {"username": username, "password": DEMO_PASSWORD})
        client.post(reverse("logout"))
    client.force_login(demo.users["coord.riga"])
    pass_second_factor(client, demo.users["coord.riga"])
    response = client.get(reverse("audit_list"), {"action": "login"})
    usernames = {event.username for event in response.context["page"]}
    assert "sw.riga" in usernames
    assert "sw.jelgava" not in usernames


def test_failed_sign_ins_of_unknown_names_are_for_superusers_only(demo, client):
    client.post(reverse("login"), {"username": "intruder", "password": "x"})
    client.force_login(demo.users["admin.riga"])
    pass_second_factor(client, demo.users["admin.riga"])
    response = client.get(reverse("audit_list"), {"action": "login_failed"})
    assert "intruder" not in {e.username for e in response.context["page"]}


def test_audit_log_filters_by_user_name_and_dates(demo, client_for):
    record(AuditAction.CHANGE, user=demo.users["admin.riga"], obj=demo.actors["riga-shelter"])
    client = client_for(demo.users["coord.riga"])
    response = client.get(
        reverse("audit_list"), {"username": "admin.riga", "occurred_from": "2000-01-01"}
    )
    assert {e.username for e in response.context["page"]} == {"admin.riga"}
    response = client.get(reverse("audit_list"), {"occurred_from": "not a date"})
    assert response.status_code == 200
    assert response.context["filter"].form.errors


def test_audit_log_list_uses_a_constant_number_of_queries(
    demo, client_for, django_assert_max_num_queries
):
    client = client_for(demo.users["coord.riga"])
    for _ in range(60):
        record(AuditAction.VIEW, user=demo.users["sw.riga"], obj=demo.actors["riga-shelter"])
    with django_assert_max_num_queries(10):
        response = client.get(reverse("audit_list"))
    assert len(response.context["page"]) == 50


def test_coordinator_home_shows_recent_sign_ins_of_her_staff_only(demo, client):
    for username in ["sw.riga", "sw.jelgava"]:
        client.post(reverse("login"), {"username": username, "password": DEMO_PASSWORD})
        client.post(reverse("logout"))
    client.force_login(demo.users["coord.riga"])
    pass_second_factor(client, demo.users["coord.riga"])
    events = client.get(reverse("home")).context["sections"][0]["recent_events"]
    usernames = {event.username for event in events}
    assert "sw.riga" in usernames
    assert "sw.jelgava" not in usernames
