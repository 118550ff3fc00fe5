import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("username", "heading", "absent"),
    [
        ("sw.riga", "Social worker · Riga", "Add a person"),
        ("coord.riga", "Coordinator · Riga", "Add a person"),
        ("admin.riga", "Administrator · Riga", "never shown to you"),
        ("provider.riga", "Service provider · Riga", "Audit log"),
        ("national.lv", "National coordinator · Latvia", "Organisations to call"),
    ],
)
def test_each_role_lands_on_its_own_home_page(demo, client_for, username, heading, absent):
    response = client_for(demo.users[username]).get(reverse("home"))
    page = response.content.decode()
    assert response.status_code == 200
    assert heading in page
    assert absent not in page


def test_social_worker_home_lists_her_municipality_contacts_only(demo, client_for):
    page = client_for(demo.users["sw.riga"]).get(reverse("home")).content.decode()
    assert "State Police Riga Regional Unit" in page
    assert "Office of Citizenship and Migration Affairs" in page
    assert "Jelgava" not in page


def test_national_coordinator_sees_figures_per_municipality_not_people(demo, client_for):
    response = client_for(demo.users["national.lv"]).get(reverse("home"))
    rows = {m.name: m for m in response.context["sections"][0]["municipalities"]}
    assert set(rows) == {"Riga", "Jelgava"}
    assert rows["Riga"].active_actors == 8
    assert rows["Riga"].active_staff == 4
    page = response.content.decode()
    assert "sw.riga" not in page and "Bērziņa" not in page


def test_person_with_two_roles_sees_both(demo, client_for):
    from strom.models import Membership

    user = demo.users["coord.riga"]
    Membership.objects.create(user=user, actor=demo.actors["riga-social"], role="administrator")
    page = client_for(user).get(reverse("home")).content.decode()
    assert "Coordinator · Riga" in page
    assert "Administrator · Riga" in page


def test_user_without_role_is_told_whom_to_ask(client_for, db):
    user = get_user_model().objects.create_user("newcomer", password="x-long-password")
    page = client_for(user).get(reverse("home")).content.decode()
    assert "has no role yet" in page


def test_home_page_uses_a_constant_number_of_queries(
    demo, client_for, django_assert_max_num_queries
):
    client = client_for(demo.users["admin.riga"])
    with django_assert_max_num_queries(12):
        client.get(reverse("home"))


def test_language_switcher_changes_the_interface_language(demo, client_for):
    client = client_for(demo.users["sw.riga"])
    response = client.post(reverse("set_language"), {"language": "lv", "next": "/"})
    assert response.status_code == 302
    page = client.get(reverse("home")).content.decode()
    assert '<html lang="lv">' in page
    assert "Sociālais darbinieks" in page


def test_sign_in_page_offers_every_interface_language(client, db):
    page = client.get(reverse("login")).content.decode()
    for code in ["en", "lv", "lt", "et", "ru"]:
        assert f'value="{code}"' in page


def test_every_demo_user_has_a_home_page_for_her_role_and_place(demo, client_for):
    from strom.management.commands.load_demo import USERS
    from strom.models import Role

    for username, _first, _last, _actor, role in USERS:
        user = demo.users[username]
        membership = user.memberships.get()
        place = (
            membership.actor.country.name
            if role == Role.NATIONAL_COORDINATOR
            else membership.actor.municipality.name
        )
        page = client_for(user).get(reverse("home")).content.decode()
        assert f"{Role(role).label} · {place}" in page, username


def test_unknown_language_is_ignored(demo, client_for):
    client = client_for(demo.users["sw.riga"])
    client.post(reverse("set_language"), {"language": "xx", "next": "/"})
    assert '<html lang="en">' in client.get(reverse("home")).content.decode()


def test_english_dates_are_written_the_european_way(demo, client_for):
    import datetime

    from django.utils import formats, translation

    moment = datetime.datetime(2026, 11, 29, 17, 5)
    with translation.override("en"):
        assert formats.date_format(moment, "SHORT_DATETIME_FORMAT") == "29/11/2026 17:05"
    with translation.override("lv"):
        assert formats.date_format(moment, "SHORT_DATETIME_FORMAT") == "29.11.2026 17:05"


def test_social_worker_and_coordinator_see_their_open_cases_by_status(demo, client_for):
    rows = {
        username: {
            row["value"]: row["count"]
            for row in client_for(demo.users[username])
            .get(reverse("home"))
            .context["sections"][0]["cases"]["rows"]
        }
        for username in ["sw.riga", "coord.riga", "sw.jelgava"]
    }
    # A social worker's open cases leave out "Not a victim"; the coordinator sees every status.
    assert rows["sw.riga"] == {"potential": 1, "presumed": 1, "identified": 1}
    assert rows["coord.riga"] == {**rows["sw.riga"], "not_victim": 1}
    assert rows["sw.jelgava"]["potential"] == 1 and rows["sw.jelgava"]["identified"] == 0
