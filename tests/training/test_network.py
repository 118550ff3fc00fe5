"""Prevention work (coordinators record it; administrators and national coordinators read it)
and the opt-in expert directory."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from strom.audit import AuditAction, AuditEvent
from strom.models import Country
from tests.factories import UserFactory
from training import network
from training.models import ExpertProfile, PreventionActivity

pytestmark = pytest.mark.django_db

ROLES = [
    "sw.riga",
    "coord.riga",
    "admin.riga",
    "provider.riga",
    "coord.jelgava",
    "national.lv",
    "national.ee",
    "coord.tallinn",
]
# Who opens the prevention list, and whose activities she reads there.
READERS = {
    "coord.riga": {"RIX"},
    "admin.riga": {"RIX"},
    "coord.jelgava": {"JEL"},
    "national.lv": {"RIX", "JEL"},
    "national.ee": {"TLL"},
    "coord.tallinn": {"TLL"},
}
COORDINATORS = {"coord.riga": "RIX", "coord.jelgava": "JEL", "coord.tallinn": "TLL"}


@pytest.fixture
def demo_world(demo):
    """The demo world without prevention activities or expert profiles, so that totals
    and listings in these tests are what they create."""
    PreventionActivity.objects.all().delete()
    ExpertProfile.objects.all().delete()
    return demo


def add_activity(demo, municipality="RIX", by="coord.riga", **fields):
    values = {
        "kind": "outreach",
        "target_group": "migrant_workers",
        "title": "Outreach at the Central Market",
        "held_on": date(2025, 4, 10),
        "people_reached": 10,
    } | fields
    return PreventionActivity.objects.create(
        municipality=demo.municipalities[municipality], created_by=demo.users[by], **values
    )


def form_data(demo, **overrides):
    return {
        "municipality": str(demo.municipalities["RIX"].pk),
        "title": "Safe work abroad: a lesson at Riga State Gymnasium No. 1",
        "kind": "school",
        "target_group": "youth",
        "held_on": "2025-03-12",
        "place": "Riga State Gymnasium No. 1",
        "partners": "State Employment Agency",
        "people_reached": "64",
        "materials": "Leaflets in Latvian and Russian",
    } | overrides


def titles(response):
    return {activity.title for activity, _may_edit in response.context["rows"]}


# Recording and totals -----------------------------------------------------------------------


def test_coordinator_records_an_activity_and_sees_totals_per_year_and_group(demo_world, client_for):
    demo = demo_world
    client = client_for(demo.users["coord.riga"])
    response = client.post(reverse("prevention_create"), form_data(demo))
    assert response.status_code == 302
    recorded = PreventionActivity.objects.get()
    assert recorded.created_by == demo.users["coord.riga"]
    assert recorded.people_reached == 64
    assert recorded.municipality == demo.municipalities["RIX"]
    assert AuditEvent.objects.filter(
        action=AuditAction.CREATE,
        object_type="training.preventionactivity",
        object_id=str(recorded.pk),
        user=demo.users["coord.riga"],
        municipality=demo.municipalities["RIX"],
    ).exists()

    add_activity(demo, target_group="youth", held_on=date(2025, 9, 1), people_reached=120)
    add_activity(demo, target_group="migrant_workers", held_on=date(2025, 6, 5), people_reached=35)
    add_activity(demo, target_group="migrant_workers", held_on=date(2024, 5, 20), people_reached=40)
    add_activity(demo, target_group="homeless", held_on=date(2024, 11, 2), people_reached=0)
    add_activity(demo, "JEL", "coord.jelgava", target_group="youth", people_reached=1000)

    response = client.get(reverse("prevention_list"))
    assert response.status_code == 200
    # 2025: 64 + 120 + 35 in three activities; 2024: 40 + 0 in two. Jelgava's is not hers.
    assert [(r["year"], r["activities"], r["people"]) for r in response.context["year_totals"]] == [
        (2025, 3, 219),
        (2024, 2, 40),
    ]
    # Youth: 64 + 120; migrant workers: 35 + 40; homeless: 0 (in RiskGroup's order).
    assert [
        (r["target_group"], r["activities"], r["people"]) for r in response.context["group_totals"]
    ] == [("youth", 2, 184), ("migrant_workers", 2, 75), ("homeless", 1, 0)]
    assert response.context["overall"] == {"activities": 5, "people": 259}
    page = response.content.decode()
    assert "Safe work abroad" in page and "Young people and pupils" in page and "219" in page

    # Filters narrow the list and the totals alike.
    response = client.get(reverse("prevention_list"), {"year": "2024"})
    assert [(r["year"], r["people"]) for r in response.context["year_totals"]] == [(2024, 40)]
    assert len(response.context["rows"]) == 2
    response = client.get(reverse("prevention_list"), {"target_group": "youth"})
    assert [(r["year"], r["activities"], r["people"]) for r in response.context["year_totals"]] == [
        (2025, 2, 184)
    ]
    assert [r["target_group"] for r in response.context["group_totals"]] == ["youth"]
    # A year with nothing, or a made-up one, is not a choice: the filter is ignored, no 500.
    assert client.get(reverse("prevention_list"), {"year": "1999"}).status_code == 200
    assert client.get(reverse("prevention_list"), {"year": "x; DROP"}).status_code == 200


def test_coordinator_edits_her_activity_and_the_change_is_audited(demo_world, client_for):
    demo = demo_world
    activity = add_activity(demo)
    response = client_for(demo.users["coord.riga"]).post(
        reverse("prevention_edit", args=[activity.pk]),
        form_data(demo, people_reached="75", title="Outreach, second round"),
    )
    assert response.status_code == 302
    activity.refresh_from_db()
    assert (activity.people_reached, activity.title) == (75, "Outreach, second round")
    assert AuditEvent.objects.filter(
        action=AuditAction.CHANGE, object_id=str(activity.pk), user=demo.users["coord.riga"]
    ).exists()


def test_a_date_up_to_a_year_ahead_is_accepted(demo_world, client_for):
    demo = demo_world
    planned = timezone.localdate() + timedelta(days=300)
    response = client_for(demo.users["coord.riga"]).post(
        reverse("prevention_create"), form_data(demo, held_on=planned.isoformat())
    )
    assert response.status_code == 302
    assert PreventionActivity.objects.get().held_on == planned


def _two_years_ahead():
    return (timezone.localdate() + timedelta(days=731)).isoformat()


BAD_INPUT = [
    ("people_reached", "-5"),
    ("people_reached", "many"),
    ("people_reached", "2.5"),
    ("people_reached", ""),
    ("people_reached", "10000001"),
    ("held_on", _two_years_ahead),
    ("held_on", "not-a-date"),
    ("municipality", "JEL"),  # another municipality's id
    ("municipality", "999999"),
    ("kind", "leaflets"),
    ("target_group", "everyone"),
    ("title", ""),
    ("title", "x" * 201),
]


@pytest.mark.parametrize(("field", "value"), BAD_INPUT)
def test_bad_input_gives_a_form_error_and_records_nothing(demo_world, client_for, field, value):
    demo = demo_world
    if callable(value):
        value = value()
    if value == "JEL":
        value = str(demo.municipalities["JEL"].pk)
    client = client_for(demo.users["coord.riga"])
    events = AuditEvent.objects.count()
    response = client.post(reverse("prevention_create"), form_data(demo, **{field: value}))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not PreventionActivity.objects.exists()
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize(("field", "value"), BAD_INPUT)
def test_bad_input_on_edit_changes_nothing(demo_world, client_for, field, value):
    demo = demo_world
    activity = add_activity(demo)
    if callable(value):
        value = value()
    if value == "JEL":
        value = str(demo.municipalities["JEL"].pk)
    response = client_for(demo.users["coord.riga"]).post(
        reverse("prevention_edit", args=[activity.pk]), form_data(demo, **{field: value})
    )
    assert response.status_code == 200
    assert field in response.context["form"].errors
    stored = PreventionActivity.objects.get()
    assert (stored.title, stored.people_reached, stored.municipality_id) == (
        activity.title,
        10,
        demo.municipalities["RIX"].pk,
    )


def test_the_action_refuses_a_date_two_years_ahead(demo_world):
    demo = demo_world
    activity = PreventionActivity(
        municipality=demo.municipalities["RIX"],
        kind="campaign",
        target_group="general",
        title="Poster campaign",
        held_on=timezone.localdate() + timedelta(days=731),
        people_reached=5000,
    )
    with pytest.raises(ValidationError) as error:
        network.save_activity(by=demo.users["coord.riga"], activity=activity)
    assert "held_on" in error.value.error_dict
    assert not PreventionActivity.objects.exists()


# Who sees and changes what ------------------------------------------------------------------


@pytest.mark.parametrize("username", ROLES)
def test_prevention_list_by_role(demo_world, client_for, username):
    demo = demo_world
    add_activity(demo, "RIX", title="Riga outreach")
    add_activity(demo, "JEL", "coord.jelgava", title="Jelgava lesson")
    add_activity(demo, "TLL", "coord.tallinn", title="Tallinn campaign")
    response = client_for(demo.users[username]).get(reverse("prevention_list"))
    if username not in READERS:
        assert response.status_code == 404
        return
    assert response.status_code == 200
    expected = {
        "RIX": "Riga outreach",
        "JEL": "Jelgava lesson",
        "TLL": "Tallinn campaign",
    }
    assert titles(response) == {expected[code] for code in READERS[username]}
    # Totals only count what she may read.
    assert response.context["overall"]["activities"] == len(READERS[username])
    page = response.content.decode()
    for code, title in expected.items():
        assert (title in page) == (code in READERS[username])
    # Only a coordinator is offered to record or edit.
    may_edit = {a.municipality.code for a, editable in response.context["rows"] if editable}
    assert may_edit == ({COORDINATORS[username]} if username in COORDINATORS else set())
    assert (reverse("prevention_create") in page) == (username in COORDINATORS)


def test_anonymous_visitor_is_sent_to_sign_in(client, demo_world):
    activity = add_activity(demo_world)
    for url in [
        reverse("prevention_list"),
        reverse("prevention_create"),
        reverse("prevention_edit", args=[activity.pk]),
        reverse("expert_directory"),
        reverse("expert_profile"),
    ]:
        response = client.get(url)
        assert response.status_code == 302 and reverse("login") in response.url


@pytest.mark.parametrize("username", ROLES)
def test_only_coordinators_open_the_create_page(demo_world, client_for, username):
    response = client_for(demo_world.users[username]).get(reverse("prevention_create"))
    assert response.status_code == (200 if username in COORDINATORS else 404)
    if username in COORDINATORS:
        choices = list(response.context["form"].fields["municipality"].queryset)
        assert [m.code for m in choices] == [COORDINATORS[username]]


@pytest.mark.parametrize("username", ROLES)
def test_only_riga_coordinator_records_for_riga(demo_world, client_for, username):
    demo = demo_world
    response = client_for(demo.users[username]).post(reverse("prevention_create"), form_data(demo))
    if username == "coord.riga":
        assert response.status_code == 302
        assert PreventionActivity.objects.filter(municipality__code="RIX").count() == 1
        return
    if username in COORDINATORS:
        assert response.status_code == 200
        assert "municipality" in response.context["form"].errors
    else:
        assert response.status_code == 404
    assert not PreventionActivity.objects.exists()


@pytest.mark.parametrize("username", ROLES)
def test_only_riga_coordinator_edits_riga_activity(demo_world, client_for, username):
    demo = demo_world
    activity = add_activity(demo)
    client = client_for(demo.users[username])
    url = reverse("prevention_edit", args=[activity.pk])
    allowed = username == "coord.riga"
    assert client.get(url).status_code == (200 if allowed else 404)
    response = client.post(url, form_data(demo, people_reached="999"))
    assert response.status_code == (302 if allowed else 404)
    activity.refresh_from_db()
    assert activity.people_reached == (999 if allowed else 10)


def test_editing_an_unknown_activity_is_a_404(demo_world, client_for):
    client = client_for(demo_world.users["coord.riga"])
    assert client.get(reverse("prevention_edit", args=[987654])).status_code == 404


@pytest.mark.parametrize("username", [u for u in ROLES if u != "coord.riga"])
def test_the_action_refuses_everyone_but_the_coordinator_of_the_municipality(demo_world, username):
    demo = demo_world
    new = PreventionActivity(
        municipality=demo.municipalities["RIX"],
        kind="campaign",
        target_group="general",
        title="Poster campaign",
        held_on=date(2025, 2, 1),
        people_reached=5000,
    )
    with pytest.raises(PermissionDenied):
        network.save_activity(by=demo.users[username], activity=new)
    existing = add_activity(demo)
    existing.people_reached = 1
    with pytest.raises(PermissionDenied):
        network.save_activity(by=demo.users[username], activity=existing)
    assert PreventionActivity.objects.get().people_reached == 10
    assert not AuditEvent.objects.filter(object_type="training.preventionactivity").exists()


def test_a_coordinator_cannot_move_another_municipality_activity_into_hers(demo_world):
    demo = demo_world
    jelgava = add_activity(demo, "JEL", "coord.jelgava")
    jelgava.municipality = demo.municipalities["RIX"]
    with pytest.raises(PermissionDenied):
        network.save_activity(by=demo.users["coord.riga"], activity=jelgava)
    assert PreventionActivity.objects.get().municipality.code == "JEL"


def test_prevention_list_runs_a_constant_number_of_queries(
    demo_world, client_for, django_assert_max_num_queries
):
    demo = demo_world
    client = client_for(demo.users["national.lv"])
    add_activity(demo)
    with django_assert_max_num_queries(15) as few:
        client.get(reverse("prevention_list"))
    groups = ["youth", "migrant_workers", "homeless", "employers", "general"]
    for n in range(29):
        add_activity(
            demo,
            "JEL" if n % 3 else "RIX",
            "coord.jelgava" if n % 3 else "coord.riga",
            title=f"Activity {n}",
            target_group=groups[n % len(groups)],
            held_on=date(2020 + n % 6, 1 + n % 12, 1 + n % 28),
            people_reached=n,
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("prevention_list"))
    assert len(response.context["rows"]) == 30
    assert response.context["overall"] == {"activities": 30, "people": 10 + sum(range(29))}


# Expert directory ---------------------------------------------------------------------------


def add_profile(user, *, country="LV", municipality=None, listed=True, **fields):
    values = {
        "areas": "Labour exploitation",
        "languages": ["lv", "en"],
        "contact": f"{user.username}@strom.example",
    } | fields
    return ExpertProfile.objects.create(
        user=user,
        listed=listed,
        country=Country.objects.get(code=country),
        municipality=municipality,
        **values,
    )


def listed_names(response):
    return {profile.user.username for profile, _languages in response.context["rows"]}


@pytest.mark.parametrize("username", ROLES)
def test_every_signed_in_user_reads_the_directory_and_her_profile(demo_world, client_for, username):
    demo = demo_world
    add_profile(demo.users["coord.tallinn"], country="EE", areas="Child trafficking")
    client = client_for(demo.users[username])
    response = client.get(reverse("expert_directory"))
    assert response.status_code == 200
    assert listed_names(response) == {"coord.tallinn"}
    assert client.get(reverse("expert_profile")).status_code == 200


def test_directory_shows_name_areas_languages_place_and_contact(demo_world, client_for):
    demo = demo_world
    add_profile(
        demo.users["coord.riga"],
        municipality=demo.municipalities["RIX"],
        areas="Labour exploitation in construction",
        languages=["lv", "ru", "en"],
        contact="+371 6710 5001",
    )
    response = client_for(demo.users["sw.jelgava"]).get(reverse("expert_directory"))
    page = response.content.decode()
    for text in [
        "Anna Kalniņa",
        "Labour exploitation in construction",
        "Latvian, Russian, English",
        "Riga",
        "Latvia",
        "+371 6710 5001",
    ]:
        assert text in page


def test_a_user_who_has_not_opted_in_is_not_listed(demo_world, client_for):
    demo = demo_world
    add_profile(demo.users["coord.riga"], listed=False, areas="Secret expertise")
    add_profile(demo.users["coord.jelgava"])
    response = client_for(demo.users["sw.riga"]).get(reverse("expert_directory"))
    assert listed_names(response) == {"coord.jelgava"}
    assert "Secret expertise" not in response.content.decode()
    response = client_for(demo.users["sw.riga"]).get(reverse("expert_directory"), {"q": "Secret"})
    assert listed_names(response) == set()


def test_a_deactivated_user_is_not_listed_even_when_opted_in(demo_world, client_for):
    demo = demo_world
    gone = UserFactory(username="left.riga", first_name="Former", last_name="Colleague")
    add_profile(gone, areas="Everything")
    gone.is_active = False
    gone.save()
    add_profile(demo.users["coord.jelgava"])
    response = client_for(demo.users["sw.riga"]).get(reverse("expert_directory"))
    assert listed_names(response) == {"coord.jelgava"}
    assert "Former Colleague" not in response.content.decode()


def test_directory_searches_by_area_language_country_and_municipality(demo_world, client_for):
    demo = demo_world
    add_profile(
        demo.users["coord.riga"],
        municipality=demo.municipalities["RIX"],
        areas="Labour exploitation, construction sites",
        languages=["lv", "ru"],
    )
    add_profile(
        demo.users["coord.jelgava"],
        municipality=demo.municipalities["JEL"],
        areas="Child protection",
        languages=["lv", "en"],
    )
    add_profile(
        demo.users["coord.tallinn"],
        country="EE",
        municipality=demo.municipalities["TLL"],
        areas="Sexual exploitation, CHILD victims",
        languages=["et", "ru", "fi"],
    )
    client = client_for(demo.users["sw.riga"])

    def search(**params):
        return listed_names(client.get(reverse("expert_directory"), params))

    assert search(q="child") == {"coord.jelgava", "coord.tallinn"}
    assert search(q="construction") == {"coord.riga"}
    assert search(language="ru") == {"coord.riga", "coord.tallinn"}
    assert search(language="fi") == {"coord.tallinn"}
    assert search(language="de") == set()
    assert search(country=Country.objects.get(code="EE").pk) == {"coord.tallinn"}
    assert search(country=Country.objects.get(code="LV").pk) == {"coord.riga", "coord.jelgava"}
    assert search(municipality=demo.municipalities["JEL"].pk) == {"coord.jelgava"}
    assert search(q="child", language="en", country=Country.objects.get(code="LV").pk) == {
        "coord.jelgava"
    }
    # Unknown values are ignored, never a 500.
    everyone = {"coord.riga", "coord.jelgava", "coord.tallinn"}
    assert search(language="xx") == everyone
    assert search(country="abc", municipality="999999") == everyone


def test_directory_runs_a_constant_number_of_queries(
    demo_world, client_for, django_assert_max_num_queries
):
    demo = demo_world
    client = client_for(demo.users["sw.riga"])
    add_profile(demo.users["coord.riga"], municipality=demo.municipalities["RIX"])
    with django_assert_max_num_queries(15) as few:
        client.get(reverse("expert_directory"))
    for n in range(29):
        user = UserFactory(username=f"expert{n}")
        add_profile(
            user,
            country="EE" if n % 2 else "LV",
            municipality=demo.municipalities["TLL" if n % 2 else "JEL"],
            languages=["et", "ru"] if n % 2 else ["lv", "en", "de"],
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("expert_directory"))
    assert len(response.context["rows"]) == 30


# Own profile --------------------------------------------------------------------------------


def test_a_new_profile_defaults_to_her_country_and_is_not_listed(demo_world, client_for):
    demo = demo_world
    client = client_for(demo.users["coord.tallinn"])
    form = client.get(reverse("expert_profile")).context["form"]
    assert form["country"].value() == Country.objects.get(code="EE").pk
    assert not form["listed"].value()
    assert "checked" not in str(form["listed"])

    response = client.post(
        reverse("expert_profile"),
        {
            "areas": "Labour exploitation",
            "languages": ["et", "ru"],
            "country": str(Country.objects.get(code="EE").pk),
            "municipality": str(demo.municipalities["TLL"].pk),
            "contact": "mari.saar@tallinn.example",
        },
    )
    assert response.status_code == 302
    profile = ExpertProfile.objects.get(user=demo.users["coord.tallinn"])
    assert profile.listed is False
    assert profile.languages == ["et", "ru"]
    directory = client.get(reverse("expert_directory"))
    assert listed_names(directory) == set()

    client.post(
        reverse("expert_profile"),
        {
            "listed": "on",
            "areas": "Labour exploitation",
            "languages": ["et", "ru"],
            "country": str(Country.objects.get(code="EE").pk),
            "contact": "mari.saar@tallinn.example",
        },
    )
    assert ExpertProfile.objects.filter(user=demo.users["coord.tallinn"]).count() == 1
    assert listed_names(client.get(reverse("expert_directory"))) == {"coord.tallinn"}


def test_a_user_edits_only_her_own_profile(demo_world, client_for):
    demo = demo_world
    theirs = add_profile(demo.users["coord.jelgava"], areas="Child protection")
    client = client_for(demo.users["coord.riga"])
    response = client.post(
        reverse("expert_profile"),
        {
            "id": str(theirs.pk),
            "pk": str(theirs.pk),
            "user": str(demo.users["coord.jelgava"].pk),
            "listed": "on",
            "areas": "Overwritten",
            "languages": ["de"],
            "country": str(Country.objects.get(code="LV").pk),
            "contact": "hijack@example.org",
        },
    )
    assert response.status_code == 302
    theirs.refresh_from_db()
    assert (theirs.areas, theirs.languages, theirs.contact, theirs.user_id) == (
        "Child protection",
        ["lv", "en"],
        "coord.jelgava@strom.example",
        demo.users["coord.jelgava"].pk,
    )
    mine = ExpertProfile.objects.get(user=demo.users["coord.riga"])
    assert mine.areas == "Overwritten" and mine.pk != theirs.pk


def test_the_action_refuses_to_save_another_users_profile(demo_world):
    demo = demo_world
    theirs = add_profile(demo.users["coord.jelgava"], areas="Child protection")
    theirs.areas = "Overwritten"
    with pytest.raises(PermissionDenied):
        network.save_profile(by=demo.users["coord.riga"], profile=theirs)
    stranger = ExpertProfile(
        user=demo.users["coord.jelgava"], country=theirs.country, contact="x", areas="x"
    )
    with pytest.raises(PermissionDenied):
        network.save_profile(by=demo.users["coord.riga"], profile=stranger)
    theirs.refresh_from_db()
    assert theirs.areas == "Child protection"
    assert ExpertProfile.objects.count() == 1


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("languages", ["xx"]),
        ("municipality", "TLL"),  # not in Latvia
        ("municipality", "999999"),
        ("country", "999999"),
        ("contact", ""),
        ("contact", "x" * 301),
    ],
)
def test_bad_profile_input_gives_a_form_error_and_saves_nothing(
    demo_world, client_for, field, value
):
    demo = demo_world
    if value == "TLL":
        value = str(demo.municipalities["TLL"].pk)
    data = {
        "listed": "on",
        "areas": "Labour exploitation",
        "languages": ["lv"],
        "country": str(Country.objects.get(code="LV").pk),
        "municipality": str(demo.municipalities["RIX"].pk),
        "contact": "anna@riga.example",
    } | {field: value}
    response = client_for(demo.users["coord.riga"]).post(reverse("expert_profile"), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not ExpertProfile.objects.exists()
