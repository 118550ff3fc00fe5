import pytest
from django.urls import reverse

from strom.audit import AuditAction, AuditEvent
from strom.models import Actor

pytestmark = pytest.mark.django_db

VALID = {
    "name": "Riga Crisis Centre for Women",
    "kind": "shelter",
    "email": "info@crisis.example",
    "phone": "+371 2000 0000",
    "address": "Brīvības iela 1, Rīga",
    "website": "crisis.example",
    "is_active": "on",
}


def test_administrator_adds_a_local_actor_in_her_municipality(demo, client_for):
    riga = demo.municipalities["RIX"]
    client = client_for(demo.users["admin.riga"])
    response = client.post(reverse("actor_create"), {**VALID, "municipality": riga.pk})
    actor = Actor.objects.get(name=VALID["name"])
    assert response.status_code == 302
    assert response["Location"] == reverse("actor_detail", args=[actor.pk])
    assert actor.municipality == riga
    assert actor.country == riga.country
    assert actor.level == "local"
    assert actor.website == "https://crisis.example"
    assert AuditEvent.objects.filter(
        action=AuditAction.CREATE,
        object_type="strom.actor",
        object_id=str(actor.pk),
        user=demo.users["admin.riga"],
        municipality=riga,
    ).exists()


def test_administrator_cannot_add_an_actor_to_another_municipality(demo, client_for):
    client = client_for(demo.users["admin.riga"])
    count = Actor.objects.count()
    response = client.post(
        reverse("actor_create"), {**VALID, "municipality": demo.municipalities["JEL"].pk}
    )
    assert response.status_code == 200
    assert "municipality" in response.context["form"].errors
    assert Actor.objects.count() == count


@pytest.mark.parametrize(
    "bad",
    [
        {"name": ""},
        {"name": "x" * 201},
        {"kind": "secret_service"},
        {"email": "not-an-email"},
        {"municipality": "abc"},
        {"municipality": "999999"},
        {"website": "javascript:alert(1)"},
    ],
)
def test_bad_actor_input_gives_a_form_error_and_writes_nothing(demo, client_for, bad):
    client = client_for(demo.users["admin.riga"])
    count, events = Actor.objects.count(), AuditEvent.objects.count()
    data = {**VALID, "municipality": demo.municipalities["RIX"].pk, **bad}
    response = client.post(reverse("actor_create"), data)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert "Please correct the following" in response.content.decode()
    assert Actor.objects.count() == count
    assert AuditEvent.objects.count() == events


def test_administrator_edits_an_actor_and_the_change_is_logged(demo, client_for):
    shelter = demo.actors["riga-shelter"]
    client = client_for(demo.users["admin.riga"])
    data = {
        "name": shelter.name,
        "kind": shelter.kind,
        "email": shelter.email,
        "phone": "+371 2999 9999",
        "address": "",
        "website": "",
        "is_active": "on",
    }
    response = client.post(reverse("actor_edit", args=[shelter.pk]), data)
    assert response.status_code == 302
    shelter.refresh_from_db()
    assert shelter.phone == "+371 2999 9999"
    event = AuditEvent.objects.get(
        action=AuditAction.CHANGE, object_type="strom.actor", object_id=str(shelter.pk)
    )
    assert event.detail == "fields: phone"


def test_an_actor_cannot_be_moved_to_another_municipality(demo, client_for):
    shelter = demo.actors["riga-shelter"]
    client = client_for(demo.users["admin.riga"])
    data = {
        "name": shelter.name,
        "kind": shelter.kind,
        "municipality": demo.municipalities["JEL"].pk,
        "email": "",
        "phone": "",
        "address": "",
        "website": "",
        "is_active": "on",
    }
    client.post(reverse("actor_edit", args=[shelter.pk]), data)
    shelter.refresh_from_db()
    assert shelter.municipality.code == "RIX"


@pytest.mark.parametrize("username", ["admin.jelgava", "coord.riga", "sw.riga", "provider.riga"])
def test_others_cannot_edit_a_riga_actor(demo, client_for, username):
    shelter = demo.actors["riga-shelter"]
    client = client_for(demo.users[username])
    response = client.post(
        reverse("actor_edit", args=[shelter.pk]),
        {"name": "Taken over", "kind": "ngo", "is_active": "on"},
    )
    assert response.status_code == 404
    shelter.refresh_from_db()
    assert shelter.name != "Taken over"


def test_actor_list_filters_by_kind(demo, client_for):
    client = client_for(demo.users["sw.riga"])
    response = client.get(reverse("actor_list"), {"kind": "police"})
    assert {a.name for a in response.context["page"]} == {"State Police Riga Regional Unit"}


def test_actor_list_uses_a_constant_number_of_queries(
    demo, client_for, django_assert_max_num_queries
):
    from tests.factories import ActorFactory

    ActorFactory.create_batch(30, municipality=demo.municipalities["RIX"])
    client = client_for(demo.users["national.lv"])
    with django_assert_max_num_queries(10):
        response = client.get(reverse("actor_list"))
    assert len(response.context["page"]) > 30
