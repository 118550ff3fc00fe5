"""Referral pathways: the national coordinator keeps the national pathway, a municipality's
coordinator adopts and adapts a copy, everyone else reads what her scope allows; refused
requests are 404s that change nothing, bad input a form error that writes nothing."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from referrals import pathways
from referrals.models import Pathway, PathwayStep, Referral
from strom.audit import AUTH_ACTIONS, AuditAction, AuditEvent
from strom.models import Country
from tests.conftest import pass_second_factor

pytestmark = pytest.mark.django_db

ROLES = [
    "sw.riga",
    "coord.riga",
    "coord.jelgava",
    "admin.riga",
    "provider.riga",
    "national.lv",
    "national.ee",
]


def step_data(**overrides):
    data = {
        "name": "A step",
        "description": "",
        "responsible_kind": "",
        "responsible_role": "",
        "responsible_actor": "",
        "need_category": "",
        "response_limit": "24",
        "response_unit": "hours",
        "completion_limit": "",
        "completion_unit": "working_days",
        "reminder_hours": "2",
        "grace_hours": "24",
    }
    data.update(overrides)
    return data


def data_of(step, **overrides):
    """The step's current values as the edit form posts them."""
    data = {
        name: "" if getattr(step, name) is None else getattr(step, name)
        for name in pathways.STEP_FIELDS
        if name != "responsible_actor"
    }
    data["responsible_actor"] = step.responsible_actor_id or ""
    data.update(overrides)
    return data


def snapshot():
    """Everything a pathway page could change."""
    return (
        list(
            Pathway.objects.order_by("pk").values_list(
                "pk", "name", "description", "municipality_id", "origin_id"
            )
        ),
        list(
            PathwayStep.objects.order_by("pk").values_list(
                *["pk", "pathway_id", "order", "origin_id", "responsible_actor_id"],
                *[f for f in pathways.STEP_FIELDS if f != "responsible_actor"],
            )
        ),
        # Signing in is logged too; only changes count here.
        AuditEvent.objects.exclude(action__in=AUTH_ACTIONS).count(),
    )


def steps_of(pathway):
    return list(pathway.steps.order_by("order").values_list("order", "name", "response_limit"))


@pytest.fixture
def latvia(demo):
    return Country.objects.get(code="LV")


@pytest.fixture
def national(demo, latvia):
    """Latvia's national pathway, kept by national.lv, with three steps."""
    by = demo.users["national.lv"]
    pathway = pathways.create_pathway(
        by=by, country=latvia, name="NRM Latvia (test)", description="National mechanism."
    )
    for name, limit, unit, kind, need in [
        ("First contact", 24, "hours", "social_service", "safety"),
        ("Safe accommodation", 24, "hours", "shelter", "safe_accommodation"),
        ("Reasonable-grounds assessment", 5, "working_days", "police", ""),
    ]:
        pathways.save_step(
            by=by,
            step=PathwayStep(
                pathway=pathway,
                name=name,
                response_limit=limit,
                response_unit=unit,
                responsible_kind=kind,
                need_category=need,
            ),
        )
    return pathway


@pytest.fixture
def estonian(demo):
    by = demo.users["national.ee"]
    pathway = pathways.create_pathway(
        by=by, country=Country.objects.get(code="EE"), name="NRM Estonia (test)"
    )
    pathways.save_step(
        by=by, step=PathwayStep(pathway=pathway, name="Esmane kontakt", response_limit=24)
    )
    return pathway


@pytest.fixture
def riga_copy(demo, national):
    return pathways.adopt_pathway(
        by=demo.users["coord.riga"], pathway=national, municipality=demo.municipalities["RIX"]
    )


@pytest.fixture
def jelgava_copy(demo, national):
    return pathways.adopt_pathway(
        by=demo.users["coord.jelgava"],
        pathway=national,
        municipality=demo.municipalities["JEL"],
    )


# Keeping the national pathway --------------------------------------------------------


def test_national_coordinator_creates_and_edits_the_national_pathway(demo, client_for, latvia):
    client = client_for(demo.users["national.lv"])
    assert client.get(reverse("pathway_create")).status_code == 200
    response = client.post(
        reverse("pathway_create"),
        {"owner": f"country-{latvia.pk}", "name": "Latvian NRM", "description": "The chain."},
    )
    pathway = Pathway.objects.get(name="Latvian NRM")
    assert response.status_code == 302 and response.url == pathway.get_absolute_url()
    assert pathway.is_national and pathway.country == latvia and pathway.origin is None
    assert AuditEvent.objects.filter(
        action=AuditAction.CREATE, object_type="referrals.pathway", object_id=str(pathway.pk)
    ).exists()

    add = reverse("pathway_step_add", args=[pathway.pk])
    assert client.get(add).status_code == 200
    for name, extra in [
        ("Detection and first contact", {"responsible_kind": "social_service"}),
        ("Safety and immediate needs", {"need_category": "safe_accommodation"}),
        (
            "Reasonable-grounds assessment",
            {
                "responsible_actor": demo.actors["lv-migration"].pk,
                "response_limit": "5",
                "response_unit": "working_days",
                "completion_limit": "10",
                "completion_unit": "working_days",
            },
        ),
    ]:
        assert client.post(add, step_data(name=name, **extra)).status_code == 302
    assert steps_of(pathway) == [
        (1, "Detection and first contact", 24),
        (2, "Safety and immediate needs", 24),
        (3, "Reasonable-grounds assessment", 5),
    ]
    third = pathway.steps.get(order=3)
    assert third.responsible_actor == demo.actors["lv-migration"]
    assert third.completion_limit == 10

    first = pathway.steps.get(order=1)
    edit = reverse("pathway_step_edit", args=[pathway.pk, first.pk])
    assert client.get(edit).status_code == 200
    response = client.post(
        edit, data_of(first, response_limit="12", responsible_role="social_worker")
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert (first.response_limit, first.responsible_role, first.order) == (12, "social_worker", 1)
    change = AuditEvent.objects.filter(
        action=AuditAction.CHANGE, object_type="referrals.pathwaystep", object_id=str(first.pk)
    ).get()
    assert "response_limit" in change.detail and "12" not in change.detail

    move = reverse("pathway_step_move", args=[pathway.pk, third.pk])
    assert client.post(move, {"direction": "up"}).status_code == 302
    assert [name for _o, name, _l in steps_of(pathway)] == [
        "Detection and first contact",
        "Reasonable-grounds assessment",
        "Safety and immediate needs",
    ]
    second = pathway.steps.get(name="Detection and first contact")
    move = reverse("pathway_step_move", args=[pathway.pk, second.pk])
    assert client.post(move, {"direction": "down"}).status_code == 302
    assert [o for o, _n, _l in steps_of(pathway)] == [1, 2, 3]
    assert pathway.steps.get(order=2) == second

    remove = reverse("pathway_step_remove", args=[pathway.pk, third.pk])
    assert client.post(remove).status_code == 302
    assert steps_of(pathway) == [
        (1, "Detection and first contact", 12),
        (2, "Safety and immediate needs", 24),
    ]
    assert AuditEvent.objects.filter(
        action=AuditAction.DELETE, object_type="referrals.pathwaystep", object_id=str(third.pk)
    ).exists()

    response = client.post(
        reverse("pathway_edit", args=[pathway.pk]),
        {"name": "Latvian NRM 2026", "description": "The chain of assistance."},
    )
    assert response.status_code == 302
    pathway.refresh_from_db()
    assert pathway.name == "Latvian NRM 2026" and pathway.is_national


def test_detail_page_shows_the_steps_in_a_table(demo, client_for, national):
    response = client_for(demo.users["sw.riga"]).get(reverse("pathway_detail", args=[national.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "<caption>" in page and 'scope="col"' in page and 'scope="row"' in page
    for text in ["First contact", "Reasonable-grounds assessment", "5 working days", "Shelter"]:
        assert text in page
    assert "Adopt for" not in page  # only coordinators adopt
    assert reverse("pathway_step_add", args=[national.pk]) not in page  # she cannot edit


def test_superuser_keeps_a_national_pathway_too(demo, client, latvia):
    root = get_user_model().objects.create_superuser("root", "root@strom.example", "x" * 20)
    client.force_login(root)
    pass_second_factor(client, root)
    response = client.post(
        reverse("pathway_create"), {"owner": f"country-{latvia.pk}", "name": "By root"}
    )
    pathway = Pathway.objects.get(name="By root")
    assert response.status_code == 302 and pathway.is_national
    response = client.post(reverse("pathway_step_add", args=[pathway.pk]), step_data())
    assert response.status_code == 302 and pathway.steps.count() == 1


def test_national_coordinator_offers_only_her_country(demo, client_for, latvia):
    estonia = Country.objects.get(code="EE")
    client = client_for(demo.users["national.lv"])
    choices = dict(client.get(reverse("pathway_create")).context["form"].fields["owner"].choices)
    assert set(choices) == {f"country-{latvia.pk}"}
    before = snapshot()
    response = client.post(
        reverse("pathway_create"), {"owner": f"country-{estonia.pk}", "name": "Not hers"}
    )
    assert response.status_code == 200 and "owner" in response.context["form"].errors
    assert snapshot() == before


# Adopting and adapting -----------------------------------------------------------------


def test_coordinator_adopts_and_adapts_the_national_pathway(demo, client_for, national):
    national_before = (
        list(Pathway.objects.filter(pk=national.pk).values()),
        list(national.steps.order_by("pk").values()),
    )
    client = client_for(demo.users["coord.riga"])
    page = client.get(reverse("pathway_detail", args=[national.pk])).content.decode()
    assert "Adopt for Riga" in page

    response = client.post(
        reverse("pathway_adopt", args=[national.pk]),
        {"municipality": demo.municipalities["RIX"].pk},
    )
    copy = Pathway.objects.get(origin=national, municipality=demo.municipalities["RIX"])
    assert response.status_code == 302 and response.url == copy.get_absolute_url()
    assert (copy.name, copy.country_id) == (national.name, national.country_id)
    national_steps = list(national.steps.order_by("order"))
    copied = list(copy.steps.order_by("order"))
    assert [s.origin_id for s in copied] == [s.pk for s in national_steps]
    assert [(s.order, s.name, s.response_limit) for s in copied] == steps_of(national)
    event = AuditEvent.objects.get(
        action=AuditAction.CREATE, object_type="referrals.pathway", object_id=str(copy.pk)
    )
    assert event.municipality == demo.municipalities["RIX"]

    # Adapt: name the Riga shelter, shorten its deadline, add a local step.
    shelter_step = copy.steps.get(name="Safe accommodation")
    response = client.post(
        reverse("pathway_step_edit", args=[copy.pk, shelter_step.pk]),
        data_of(
            shelter_step,
            responsible_actor=demo.actors["riga-shelter"].pk,
            response_limit="4",
        ),
    )
    assert response.status_code == 302
    response = client.post(
        reverse("pathway_step_add", args=[copy.pk]),
        step_data(
            name="Interpreter booked",
            responsible_actor=demo.actors["riga-interpreters"].pk,
            need_category="interpretation",
            response_limit="8",
        ),
    )
    assert response.status_code == 302
    first = copy.steps.get(order=1)
    client.post(reverse("pathway_step_move", args=[copy.pk, first.pk]), {"direction": "down"})

    shelter_step.refresh_from_db()
    assert shelter_step.responsible_actor == demo.actors["riga-shelter"]
    assert shelter_step.response_limit == 4
    assert shelter_step.origin == national.steps.get(name="Safe accommodation")
    local = copy.steps.get(name="Interpreter booked")
    assert local.order == 4 and local.origin is None
    copy.refresh_from_db()
    assert copy.origin == national

    # The national pathway is as it was.
    assert national_before == (
        list(Pathway.objects.filter(pk=national.pk).values()),
        list(national.steps.order_by("pk").values()),
    )

    page = client.get(copy.get_absolute_url()).content.decode()
    assert national.get_absolute_url() in page  # "adapted from" link
    assert "Added locally" in page and 'Shelter "Safe House"' not in page
    assert "Safe House" in page
    page = client.get(national.get_absolute_url()).content.decode()
    assert "Adopt for Riga" not in page and copy.get_absolute_url() in page


def test_second_adoption_by_the_same_municipality_is_refused(demo, client_for, riga_copy):
    national = riga_copy.origin
    with pytest.raises(ValidationError):
        pathways.adopt_pathway(
            by=demo.users["coord.riga"], pathway=national, municipality=riga_copy.municipality
        )
    before = snapshot()
    client = client_for(demo.users["coord.riga"])
    response = client.post(
        reverse("pathway_adopt", args=[national.pk]),
        {"municipality": riga_copy.municipality.pk},
        follow=True,
    )
    assert response.status_code == 200
    assert "already adopted" in response.content.decode()
    assert snapshot() == before


def test_each_municipality_adopts_its_own_copy(demo, riga_copy, jelgava_copy):
    assert riga_copy.origin_id == jelgava_copy.origin_id
    assert riga_copy.pk != jelgava_copy.pk
    assert jelgava_copy.municipality == demo.municipalities["JEL"]


def test_a_local_pathway_cannot_be_adopted(demo, client_for, riga_copy):
    with pytest.raises(ValidationError):
        pathways.adopt_pathway(
            by=demo.users["coord.riga"], pathway=riga_copy, municipality=riga_copy.municipality
        )
    before = snapshot()
    response = client_for(demo.users["coord.riga"]).post(
        reverse("pathway_adopt", args=[riga_copy.pk]),
        {"municipality": riga_copy.municipality.pk},
    )
    assert response.status_code == 404
    assert snapshot() == before


def test_adoption_copies_only_organisations_the_municipality_may_name(demo, national):
    # A national pathway naming a local actor (through the admin, say) passes it on to
    # that municipality only.
    step = national.steps.get(order=1)
    PathwayStep.objects.filter(pk=step.pk).update(responsible_actor=demo.actors["riga-social"])
    step2 = national.steps.get(order=2)
    PathwayStep.objects.filter(pk=step2.pk).update(responsible_actor=demo.actors["lv-migration"])
    jelgava = pathways.adopt_pathway(
        by=demo.users["coord.jelgava"],
        pathway=national,
        municipality=demo.municipalities["JEL"],
    )
    assert jelgava.steps.get(order=1).responsible_actor is None
    assert jelgava.steps.get(order=2).responsible_actor == demo.actors["lv-migration"]


# Who reads what ------------------------------------------------------------------------

READERS = {
    "national": {
        "sw.riga",
        "coord.riga",
        "coord.jelgava",
        "admin.riga",
        "provider.riga",
        "national.lv",
    },
    "estonian": {"national.ee"},
    "riga_copy": {"sw.riga", "coord.riga", "admin.riga", "provider.riga"},
    "jelgava_copy": {"coord.jelgava"},
}


@pytest.mark.parametrize("username", ROLES)
def test_each_role_reads_exactly_its_pathways(
    demo, client_for, national, estonian, riga_copy, jelgava_copy, username
):
    objects = {
        "national": national,
        "estonian": estonian,
        "riga_copy": riga_copy,
        "jelgava_copy": jelgava_copy,
    }
    client = client_for(demo.users[username])
    response = client.get(reverse("pathway_list"))
    assert response.status_code == 200
    listed = {p.pk for p in response.context["pathways"]}
    for key, pathway in objects.items():
        readable = username in READERS[key]
        assert (pathway.pk in listed) == readable, key
        detail = client.get(reverse("pathway_detail", args=[pathway.pk]))
        assert detail.status_code == (200 if readable else 404), key


def test_anonymous_visitor_is_sent_to_sign_in(client, national):
    for url in [reverse("pathway_list"), reverse("pathway_detail", args=[national.pk])]:
        response = client.get(url)
        assert response.status_code == 302 and reverse("login") in response.url


def test_list_makes_a_constant_number_of_queries(
    demo, client_for, national, latvia, django_assert_max_num_queries
):
    client = client_for(demo.users["coord.riga"])
    with django_assert_max_num_queries(8) as few:
        client.get(reverse("pathway_list"))
    for n in range(5):
        pathways.create_pathway(
            by=demo.users["national.lv"], country=latvia, name=f"Extra pathway {n}"
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("pathway_list"))
    assert len(response.context["pathways"]) >= 6


# Who changes what -------------------------------------------------------------------------

CREATORS = {"national.lv", "national.ee", "coord.riga", "coord.jelgava"}


@pytest.mark.parametrize("username", ROLES)
def test_only_national_coordinators_and_coordinators_open_the_create_page(
    demo, client_for, username
):
    client = client_for(demo.users[username])
    response = client.get(reverse("pathway_create"))
    assert response.status_code == (200 if username in CREATORS else 404)
    if username not in CREATORS:
        before = snapshot()
        response = client.post(reverse("pathway_create"), {"owner": "country-1", "name": "X"})
        assert response.status_code == 404
        assert snapshot() == before


def test_coordinator_may_start_a_local_pathway_but_not_a_national_or_other_one(
    demo, client_for, latvia
):
    client = client_for(demo.users["coord.riga"])
    riga, jelgava = demo.municipalities["RIX"], demo.municipalities["JEL"]
    choices = dict(client.get(reverse("pathway_create")).context["form"].fields["owner"].choices)
    assert set(choices) == {f"municipality-{riga.pk}"}
    before = snapshot()
    for owner in [f"country-{latvia.pk}", f"municipality-{jelgava.pk}", "municipality-x", ""]:
        response = client.post(reverse("pathway_create"), {"owner": owner, "name": "Mine"})
        assert response.status_code == 200 and "owner" in response.context["form"].errors
    assert snapshot() == before
    response = client.post(
        reverse("pathway_create"), {"owner": f"municipality-{riga.pk}", "name": "Riga own"}
    )
    assert response.status_code == 302
    assert Pathway.objects.get(name="Riga own").municipality == riga


def _edit_requests(pathway):
    step = pathway.steps.order_by("order").first()
    last = pathway.steps.order_by("order").last()
    return [
        ("get", reverse("pathway_edit", args=[pathway.pk]), None),
        ("get", reverse("pathway_step_add", args=[pathway.pk]), None),
        ("get", reverse("pathway_step_edit", args=[pathway.pk, step.pk]), None),
        ("post", reverse("pathway_edit", args=[pathway.pk]), {"name": "Hijacked"}),
        ("post", reverse("pathway_step_add", args=[pathway.pk]), step_data(name="Hijacked")),
        (
            "post",
            reverse("pathway_step_edit", args=[pathway.pk, step.pk]),
            data_of(step, name="Hijacked"),
        ),
        ("post", reverse("pathway_step_move", args=[pathway.pk, step.pk]), {"direction": "down"}),
        ("post", reverse("pathway_step_move", args=[pathway.pk, last.pk]), {"direction": "up"}),
        ("post", reverse("pathway_step_remove", args=[pathway.pk, last.pk]), {}),
    ]


EDITORS = {"national": {"national.lv"}, "riga_copy": {"coord.riga"}}


@pytest.mark.parametrize("key", sorted(EDITORS))
@pytest.mark.parametrize("username", ROLES)
def test_only_the_keeper_changes_a_pathway(demo, client_for, national, riga_copy, key, username):
    pathway = {"national": national, "riga_copy": riga_copy}[key]
    client = client_for(demo.users[username])
    requests = _edit_requests(pathway)
    if username in EDITORS[key]:
        for method, url, _data in requests:
            if method == "get":
                assert client.get(url).status_code == 200, url
        return
    before = snapshot()
    for method, url, data in requests:
        response = client.get(url) if method == "get" else client.post(url, data)
        assert response.status_code == 404, url
    assert snapshot() == before


@pytest.mark.parametrize("username", ["sw.riga", "admin.riga", "provider.riga", "national.lv"])
def test_only_coordinators_adopt(demo, client_for, national, username):
    client = client_for(demo.users[username])
    page = client.get(reverse("pathway_detail", args=[national.pk])).content.decode()
    assert "Adopt for" not in page
    before = snapshot()
    response = client.post(
        reverse("pathway_adopt", args=[national.pk]),
        {"municipality": demo.municipalities["RIX"].pk},
    )
    assert response.status_code == 404
    assert snapshot() == before


def test_national_coordinator_of_another_country_cannot_adopt_or_see(demo, client_for, national):
    before = snapshot()
    response = client_for(demo.users["national.ee"]).post(
        reverse("pathway_adopt", args=[national.pk]),
        {"municipality": demo.municipalities["RIX"].pk},
    )
    assert response.status_code == 404
    assert snapshot() == before


def test_coordinator_adopts_only_for_her_own_municipality(demo, client_for, national, estonian):
    client = client_for(demo.users["coord.riga"])
    before = snapshot()
    for pathway, municipality in [
        (national, demo.municipalities["JEL"]),  # not hers
        (estonian, demo.municipalities["RIX"]),  # not her country's pathway
        (estonian, demo.municipalities["TLL"]),
    ]:
        response = client.post(
            reverse("pathway_adopt", args=[pathway.pk]), {"municipality": municipality.pk}
        )
        assert response.status_code == 404
    for bad in ["", "abc", "999999"]:
        response = client.post(reverse("pathway_adopt", args=[national.pk]), {"municipality": bad})
        assert response.status_code == 404
    assert client.get(reverse("pathway_adopt", args=[national.pk])).status_code == 405
    assert snapshot() == before


def test_coordinator_of_jelgava_adopts_for_jelgava(demo, client_for, national):
    client = client_for(demo.users["coord.jelgava"])
    page = client.get(reverse("pathway_detail", args=[national.pk])).content.decode()
    assert "Adopt for Jelgava" in page and "Adopt for Riga" not in page
    response = client.post(
        reverse("pathway_adopt", args=[national.pk]),
        {"municipality": demo.municipalities["JEL"].pk},
    )
    assert response.status_code == 302
    assert Pathway.objects.filter(origin=national, municipality__code="JEL").count() == 1


def test_actions_recheck_the_policy(demo, national, riga_copy, latvia):
    coord, worker = demo.users["coord.riga"], demo.users["sw.riga"]
    national_step = national.steps.first()
    before = snapshot()
    with pytest.raises(PermissionDenied):
        pathways.create_pathway(by=coord, country=latvia, name="Not hers")
    with pytest.raises(PermissionDenied):
        pathways.create_pathway(
            by=coord, country=latvia, municipality=demo.municipalities["JEL"], name="Not hers"
        )
    national_step.name = "Changed"
    with pytest.raises(PermissionDenied):
        pathways.save_step(by=coord, step=national_step)
    with pytest.raises(PermissionDenied):
        pathways.save_step(by=coord, step=PathwayStep(pathway=national, name="x", response_limit=1))
    with pytest.raises(PermissionDenied):
        pathways.move_step(by=coord, step=national_step, direction="down")
    with pytest.raises(PermissionDenied):
        pathways.remove_step(by=coord, step=national_step)
    with pytest.raises(PermissionDenied):
        pathways.adopt_pathway(by=worker, pathway=national, municipality=demo.municipalities["RIX"])
    with pytest.raises(PermissionDenied):
        pathways.remove_step(by=demo.users["national.lv"], step=riga_copy.steps.first())
    # A step moved in memory to an editable pathway stays where it is stored.
    national_step.pathway = riga_copy
    with pytest.raises(PermissionDenied):
        pathways.save_step(by=coord, step=national_step)
    assert snapshot() == before


# Bad input ---------------------------------------------------------------------------------

BAD_STEPS = [
    ("response_limit", {"response_limit": "0"}),
    ("response_limit", {"response_limit": "-1"}),
    ("response_limit", {"response_limit": "abc"}),
    ("response_limit", {"response_limit": ""}),
    ("response_limit", {"response_limit": "1000"}),
    ("response_limit", {"response_limit": "2.5"}),
    ("completion_limit", {"completion_limit": "0"}),
    ("completion_limit", {"completion_limit": "-3"}),
    ("completion_limit", {"completion_limit": "soon"}),
    ("completion_limit", {"completion_limit": "12", "completion_unit": "hours"}),
    (
        "completion_limit",
        {
            "response_limit": "5",
            "response_unit": "working_days",
            "completion_limit": "3",
            "completion_unit": "working_days",
        },
    ),
    (
        "completion_limit",
        {
            "response_limit": "2",
            "response_unit": "working_days",
            "completion_limit": "24",
            "completion_unit": "hours",
        },
    ),
    ("response_unit", {"response_unit": "weeks"}),
    ("reminder_hours", {"reminder_hours": "-1"}),
    ("reminder_hours", {"reminder_hours": "241"}),
    ("grace_hours", {"grace_hours": "0"}),
    ("name", {"name": ""}),
    ("name", {"name": "x" * 201}),
    ("need_category", {"need_category": "magic"}),
    ("responsible_role", {"responsible_role": "king"}),
    ("responsible_actor", {"responsible_actor": "jelgava-social"}),
    ("responsible_actor", {"responsible_actor": "tallinn-ngo"}),
    ("responsible_actor", {"responsible_actor": "ee-national"}),
    ("responsible_actor", {"responsible_actor": "999999"}),
    ("responsible_actor", {"responsible_actor": "abc"}),
]


def _resolve(demo, data):
    actor = data.get("responsible_actor")
    if actor in demo.actors:
        data = dict(data, responsible_actor=demo.actors[actor].pk)
    return data


@pytest.mark.parametrize(("field", "bad"), BAD_STEPS)
def test_bad_step_input_is_a_form_error_and_writes_nothing(demo, client_for, riga_copy, field, bad):
    client = client_for(demo.users["coord.riga"])
    step = riga_copy.steps.get(order=2)
    bad = _resolve(demo, bad)
    before = snapshot()
    for url, data in [
        (reverse("pathway_step_add", args=[riga_copy.pk]), step_data(**bad)),
        (reverse("pathway_step_edit", args=[riga_copy.pk, step.pk]), data_of(step, **bad)),
    ]:
        response = client.post(url, data)
        assert response.status_code == 200, url
        assert field in response.context["form"].errors, response.context["form"].errors
        assert "error-summary" in response.content.decode()
    assert snapshot() == before


def test_national_pathway_names_no_local_organisation(demo, client_for, national):
    client = client_for(demo.users["national.lv"])
    url = reverse("pathway_step_add", args=[national.pk])
    offered = set(client.get(url).context["form"].fields["responsible_actor"].queryset)
    assert demo.actors["lv-migration"] in offered
    assert demo.actors["riga-shelter"] not in offered
    before = snapshot()
    response = client.post(url, step_data(responsible_actor=demo.actors["riga-shelter"].pk))
    assert "responsible_actor" in response.context["form"].errors
    assert snapshot() == before


def test_riga_pathway_offers_riga_and_national_organisations(demo, client_for, riga_copy):
    client = client_for(demo.users["coord.riga"])
    form = client.get(reverse("pathway_step_add", args=[riga_copy.pk])).context["form"]
    offered = set(form.fields["responsible_actor"].queryset)
    assert {demo.actors["riga-shelter"], demo.actors["lv-migration"]} <= offered
    assert demo.actors["jelgava-social"] not in offered
    assert demo.actors["tallinn-ngo"] not in offered


def test_action_refuses_an_organisation_of_another_municipality(demo, riga_copy):
    step = riga_copy.steps.first()
    step.responsible_actor = demo.actors["jelgava-police"]
    before = snapshot()
    with pytest.raises(ValidationError) as error:
        pathways.save_step(by=demo.users["coord.riga"], step=step)
    assert "responsible_actor" in error.value.message_dict
    assert snapshot() == before


@pytest.mark.parametrize("action", ["edit", "move", "remove"])
def test_step_of_another_pathway_is_404(
    demo, client_for, national, riga_copy, jelgava_copy, action
):
    client = client_for(demo.users["coord.riga"])
    before = snapshot()
    for foreign in [national.steps.first(), jelgava_copy.steps.first()]:
        url = reverse(f"pathway_step_{action}", args=[riga_copy.pk, foreign.pk])
        data = data_of(foreign, name="Tampered") if action == "edit" else {"direction": "down"}
        assert client.post(url, data).status_code == 404
        if action == "edit":
            assert client.get(url).status_code == 404
    for url in [
        reverse(f"pathway_step_{action}", args=[riga_copy.pk, 999999]),
        f"/pathways/{riga_copy.pk}/steps/abc/{action}/",
    ]:
        assert client.post(url, {"direction": "down"}).status_code == 404
    assert snapshot() == before


def test_move_with_a_bad_direction_is_refused(demo, client_for, riga_copy):
    client = client_for(demo.users["coord.riga"])
    step = riga_copy.steps.get(order=2)
    url = reverse("pathway_step_move", args=[riga_copy.pk, step.pk])
    before = snapshot()
    for data in [{}, {"direction": "sideways"}]:
        assert client.post(url, data).status_code == 400
    assert client.get(url).status_code == 405
    with pytest.raises(ValidationError):
        pathways.move_step(by=demo.users["coord.riga"], step=step, direction="left")
    assert snapshot() == before


def test_moving_the_first_step_up_changes_nothing(demo, client_for, riga_copy):
    first = riga_copy.steps.get(order=1)
    before = snapshot()
    response = client_for(demo.users["coord.riga"]).post(
        reverse("pathway_step_move", args=[riga_copy.pk, first.pk]), {"direction": "up"}
    )
    assert response.status_code == 302
    assert snapshot() == before


def test_step_in_use_is_kept(demo, client_for, riga_copy, riga_case):
    step = riga_copy.steps.get(order=1)
    Referral.objects.create(case=riga_case, step=step, from_actor=demo.actors["riga-social"])
    client = client_for(demo.users["coord.riga"])
    page = client.get(reverse("pathway_step_edit", args=[riga_copy.pk, step.pk]))
    assert reverse("pathway_step_remove", args=[riga_copy.pk, step.pk]) not in (
        page.content.decode()
    )
    before = snapshot()
    response = client.post(
        reverse("pathway_step_remove", args=[riga_copy.pk, step.pk]), follow=True
    )
    assert response.status_code == 200
    assert "Referrals use this step" in response.content.decode()
    with pytest.raises(ValidationError):
        pathways.remove_step(by=demo.users["coord.riga"], step=step)
    assert snapshot() == before


def test_removing_a_national_step_leaves_the_copies_intact(demo, national, riga_copy):
    national_step = national.steps.get(order=1)
    copied = riga_copy.steps.get(origin=national_step)
    pathways.remove_step(by=demo.users["national.lv"], step=national_step)
    copied.refresh_from_db()
    assert copied.origin is None and copied.pathway == riga_copy
    assert [o for o, _n, _l in steps_of(national)] == [1, 2]
    assert [o for o, _n, _l in steps_of(riga_copy)] == [1, 2, 3]
