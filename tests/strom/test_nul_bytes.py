"""Issue 13, finding 10: a NUL character anywhere in a request is refused with a clear 400
page, before it can reach the database (PostgreSQL refuses NUL in text: `DataError`, a 500).

`strom.middleware.RefuseNulMiddleware` checks the path, every query and form parameter
(names and values) and the cookies. Run on PostgreSQL (CI) to see the 500 it prevents."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def assert_refused(response):
    assert response.status_code == 400
    html = response.content.decode()
    assert "character that is not allowed" in html
    assert "\x00" not in html


def test_nul_in_the_people_search_is_refused_with_a_clear_page(demo, client_for):
    client = client_for(demo.users["coord.riga"])
    assert_refused(client.get(reverse("person_list"), {"q": "\x00"}))
    assert_refused(client.get(reverse("person_list") + "?q=Ilze%00"))


def test_the_people_search_still_works_without_nul(demo, client_for):
    client = client_for(demo.users["coord.riga"])
    response = client.get(reverse("person_list"), {"q": "Ilze"})
    assert response.status_code == 200
    assert "Bērziņa" in response.content.decode()


def test_nul_in_a_filter_of_the_case_list_is_refused(demo, client_for):
    client = client_for(demo.users["coord.riga"])
    assert_refused(client.get(reverse("case_list") + "?status=%00&q=%00"))


def test_nul_in_a_parameter_name_is_refused(demo, client_for):
    client = client_for(demo.users["coord.riga"])
    assert_refused(client.get(reverse("person_list") + "?%00=1"))


def test_nul_in_the_path_is_refused(demo, client_for):
    from cases.models import Case

    case = Case.objects.filter(municipality=demo.municipalities["RIX"]).first()
    client = client_for(demo.users["coord.riga"])
    assert_refused(client.get(f"/cases/{case.reference}%00/"))


def test_nul_in_a_posted_value_is_refused_and_changes_nothing(demo, client_for):
    actor = demo.actors["riga-social"]
    client = client_for(demo.users["admin.riga"])
    url = reverse("actor_edit", args=[actor.pk])
    response = client.post(
        url,
        {
            "name": "Riga\x00social",
            "kind": actor.kind,
            "municipality": actor.municipality_id,
            "email": "",
            "phone": "",
            "address": "\x00",
            "website": "",
            "is_active": "on",
        },
    )
    assert_refused(response)
    actor.refresh_from_db()
    assert "\x00" not in actor.name
    assert "\x00" not in actor.address


def test_nul_in_the_session_cookie_is_refused(demo, client):
    # Django unquotes cookie values ("\000" in a quoted value is a NUL), and the session key
    # goes straight into a query.
    response = client.get(reverse("login"), HTTP_COOKIE='sessionid="\\000abcdefghijklmnop"')
    assert_refused(response)


def test_nul_is_refused_to_a_stranger_too(client):
    assert_refused(client.get(reverse("login") + "?next=%00"))
    assert_refused(client.post(reverse("login"), {"username": "\x00", "password": "x"}))


def test_the_refusal_is_in_the_language_of_the_user(demo, client):
    client.cookies["strom_language"] = "lv"
    response = client.get(reverse("login") + "?next=%00")
    assert response.status_code == 400
    assert '<html lang="lv">' in response.content.decode()
