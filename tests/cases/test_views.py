from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import Case, Consent, IdentificationChange, Need, Person
from strom.audit import AuditAction, AuditEvent
from tests.conftest import pass_second_factor

pytestmark = pytest.mark.django_db

# Every case page: who may open it. Others get a 404 (never a 403 that confirms the case).
WORKER = {"sw.riga", "coord.riga"}  # the assigned worker and the municipality's coordinator
COORDINATOR = {"coord.riga"}
CASE_PAGES = {
    "case_detail": WORKER,
    "case_person": WORKER,
    "case_exploitation": WORKER,
    "case_need_add": WORKER,
    "case_consent_add": WORKER,
    "case_note_add": WORKER,
    "case_identification": COORDINATOR,
    "case_assign": COORDINATOR,
    "case_close": COORDINATOR,
}
REFUSED = [
    "sw.jelgava",
    "coord.jelgava",
    "admin.riga",
    "provider.riga",
    "national.lv",
    "coord.tallinn",
    "sw.vilnius",
]


@pytest.mark.parametrize("page", sorted(CASE_PAGES))
@pytest.mark.parametrize("username", sorted(WORKER) + REFUSED)
def test_case_page_answers_only_to_the_roles_that_may_open_it(
    demo, client_for, riga_case, page, username
):
    response = client_for(demo.users[username]).get(reverse(page, args=[riga_case.reference]))
    assert response.status_code == (200 if username in CASE_PAGES[page] else 404)


def test_unassigned_social_worker_of_the_same_municipality_gets_404(demo, client_for, open_case):
    from tests.factories import MembershipFactory

    colleague = MembershipFactory(actor=demo.actors["riga-social"], role="social_worker").user
    case = open_case()
    response = client_for(colleague).get(reverse("case_detail", args=[case.reference]))
    assert response.status_code == 404


@pytest.mark.parametrize("username", REFUSED)
def test_refused_roles_change_nothing_by_post(demo, client_for, riga_case, username):
    client = client_for(demo.users[username])
    urls = [
        (
            reverse("case_need_add", args=[riga_case.reference]),
            {"category": "legal", "urgency": "days", "status": "identified"},
        ),
        (
            reverse("case_identification", args=[riga_case.reference]),
            {"status": "presumed", "decided_on": str(timezone.localdate())},
        ),
        (reverse("case_reopen", args=[riga_case.reference]), {}),
    ]
    for url, data in urls:
        assert client.post(url, data).status_code == 404
    assert riga_case.needs.count() == 2
    assert riga_case.identification_changes.count() == 1


@pytest.mark.parametrize("username", ["sw.jelgava", "admin.riga", "provider.riga", "national.lv"])
def test_case_never_appears_in_the_lists_of_refused_roles(demo, client_for, riga_case, username):
    client = client_for(demo.users[username])
    response = client.get(reverse("case_list"))
    if response.status_code == 200:
        assert riga_case.reference not in response.content.decode()
    else:
        assert response.status_code == 404
    home = client.get(reverse("home")).content.decode()
    assert riga_case.reference not in home


def test_coordinator_sees_every_case_of_her_municipality_only(demo, client_for):
    response = client_for(demo.users["coord.riga"]).get(reverse("case_list"))
    references = {case.reference for case in response.context["page"]}
    assert references == set(
        Case.objects.filter(municipality__code="RIX").values_list("reference", flat=True)
    )


def test_tampered_or_malformed_case_ids_are_404(demo, client_for, riga_case):
    client = client_for(demo.users["coord.riga"])
    jelgava = Case.objects.filter(municipality__code="JEL").first()
    for path in [
        f"/cases/{jelgava.reference}/",
        "/cases/RIX-2026-9999/",
        "/cases/rix-2026-0001/",
        "/cases/1/",
        "/cases/RIX-2026-0001'--/",
    ]:
        assert client.get(path).status_code == 404, path
    need_of_jelgava = jelgava.needs.first()
    response = client.post(
        reverse("case_need_status", args=[riga_case.reference, need_of_jelgava.pk]),
        {"status": "met"},
    )
    assert response.status_code == 404
    assert Need.objects.get(pk=need_of_jelgava.pk).status != "met"


def test_every_read_of_a_case_is_audited_and_the_coordinator_sees_who(demo, client_for, riga_case):
    client_for(demo.users["sw.riga"]).get(reverse("case_detail", args=[riga_case.reference]))
    assert AuditEvent.objects.filter(
        action=AuditAction.VIEW,
        object_type="cases.case",
        object_id=str(riga_case.pk),
        user=demo.users["sw.riga"],
    ).exists()
    response = client_for(demo.users["coord.riga"]).get(
        reverse("case_detail", args=[riga_case.reference])
    )
    assert {e.username for e in response.context["access_log"]} >= {"sw.riga", "coord.riga"}


def test_the_worker_does_not_see_the_access_log(demo, client_for, riga_case):
    response = client_for(demo.users["sw.riga"]).get(
        reverse("case_detail", args=[riga_case.reference])
    )
    assert "access_log" not in response.context


def test_audit_log_names_the_reference_code_never_the_person(demo, client_for, riga_case):
    client_for(demo.users["sw.riga"]).get(reverse("case_detail", args=[riga_case.reference]))
    labels = AuditEvent.objects.filter(object_type="cases.case").values_list(
        "object_label", "detail"
    )
    for label, detail in labels:
        assert "Nguyen" not in label + detail and "Lan " not in label + detail


def new_case_data(demo, **overrides):
    yesterday = timezone.localdate() - timedelta(days=1)
    data = {
        "municipality": demo.municipalities["RIX"].pk,
        "first_contact_on": yesterday.isoformat(),
        "identification": "potential",
        "needs": ["safe_accommodation", "interpretation", "medical_care"],
        "needs_urgency": "immediate",
        "person-age_years": "16",
        "person-age_is_estimate": "on",
        "person-gender": "woman",
        "person-citizenship": "VN",
        "person-languages": ["vi", "en"],
        "person-interpreter_needed": "on",
        "person-given_names": "Thi Lan",
        "exploitation-forms_of_exploitation": ["forced_labour"],
        "exploitation-labour_sector": "S",
        "exploitation-indicators": "Works 14 hours a day in a nail salon; passport held",
    }
    data.update(overrides)
    return data


def test_social_worker_registers_a_case_and_sees_it_by_reference_code(demo, client_for):
    client = client_for(demo.users["sw.riga"])
    response = client.post(reverse("case_create"), new_case_data(demo))
    case = Case.objects.order_by("-pk").first()
    assert response.status_code == 302
    assert response["Location"] == reverse("case_detail", args=[case.reference])
    assert "Thi" not in response["Location"]
    person = case.person
    assert person.child_status() == "presumed_child"
    assert person.citizenship.code == "VN" and person.languages == ["vi", "en"]
    assert set(case.needs.values_list("category", "urgency")) == {
        ("safe_accommodation", "immediate"),
        ("interpretation", "immediate"),
        ("medical_care", "immediate"),
    }
    assert list(case.exploitation_forms.values_list("form", flat=True)) == ["forced_labour"]
    listing = client.get(reverse("case_list")).content.decode()
    assert case.reference in listing
    assert "Thi Lan" not in listing


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"person-date_of_birth": "2099-01-01"}, "date_of_birth"),
        ({"first_contact_on": "2099-01-01"}, "first_contact_on"),
        ({"first_contact_on": "yesterday"}, "first_contact_on"),
        ({"person-citizenship": "XX"}, "citizenship"),
        ({"person-age_years": "200"}, "age_years"),
        ({"person-age_years": "-3"}, "age_years"),
        ({"person-languages": ["klingon"]}, "languages"),
        ({"municipality": "JEL"}, "municipality"),
        ({"identification": "identified"}, "identification"),
        ({"needs": ["teleportation"]}, "needs"),
        ({"exploitation-forms_of_exploitation": ["bogus"]}, "forms_of_exploitation"),
        ({"person-email": "not-an-address"}, "email"),
    ],
)
def test_bad_case_input_gives_a_form_error_and_writes_nothing(demo, client_for, overrides, field):
    if overrides.get("municipality") == "JEL":
        overrides["municipality"] = demo.municipalities["JEL"].pk
    client = client_for(demo.users["sw.riga"])
    before = (Case.objects.count(), Person.objects.count(), Need.objects.count())
    response = client.post(reverse("case_create"), new_case_data(demo, **overrides))
    assert response.status_code == 200
    errors = {name for form in response.context["forms"] for name in form.errors}
    assert field in errors
    assert before == (Case.objects.count(), Person.objects.count(), Need.objects.count())


def consent_data(demo, **overrides):
    today = timezone.localdate()
    data = {
        "recipient": demo.actors["riga-shelter"].pk,
        "items": ["identity", "needs"],
        "purpose": "Safe accommodation",
        "given_how": "verbal",
        "interpreter_used": "on",
        "given_on": today.isoformat(),
        "expires_on": (today + timedelta(days=30)).isoformat(),
        "guardian_consent": "on",
        "child_assent": "on",
    }
    data.update(overrides)
    return data


def test_worker_records_and_withdraws_consent(demo, client_for, riga_case):
    client = client_for(demo.users["sw.riga"])
    url = reverse("case_consent_add", args=[riga_case.reference])
    assert client.post(url, consent_data(demo)).status_code == 302
    clinic = consent_data(demo, recipient=demo.actors["riga-clinic"].pk)
    assert client.post(url, clinic).status_code == 302
    consent = Consent.objects.get(case=riga_case, recipient=demo.actors["riga-clinic"])
    response = client.post(
        reverse("case_consent_withdraw", args=[riga_case.reference, consent.pk]),
        {"reason": "Does not want the clinic informed"},
    )
    assert response.status_code == 302
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None
    page = client.get(reverse("case_detail", args=[riga_case.reference])).content.decode()
    assert "Withdrawn" in page and "In force" in page


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"expires_on": "2000-01-01"}, "expires_on"),
        ({"given_on": "2099-01-01"}, "given_on"),
        ({"guardian_consent": ""}, "guardian_consent"),
        ({"recipient": "", "recipient_kind": ""}, "recipient"),
        ({"items": []}, "items"),
        ({"items": ["bank_account"]}, "items"),
    ],
)
def test_bad_consent_gives_a_form_error_and_writes_nothing(
    demo, client_for, riga_case, overrides, field
):
    client = client_for(demo.users["sw.riga"])
    response = client.post(
        reverse("case_consent_add", args=[riga_case.reference]), consent_data(demo, **overrides)
    )
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Consent.objects.filter(case=riga_case).exists()


def test_consent_to_an_actor_of_another_country_is_refused(demo, client_for, riga_case):
    client = client_for(demo.users["sw.riga"])
    data = consent_data(demo, recipient=demo.actors["tallinn-ngo"].pk)
    response = client.post(reverse("case_consent_add", args=[riga_case.reference]), data)
    assert "recipient" in response.context["form"].errors
    assert not Consent.objects.filter(case=riga_case).exists()


def test_coordinator_moves_the_case_to_presumed_then_identified(demo, client_for, riga_case):
    client = client_for(demo.users["coord.riga"])
    url = reverse("case_identification", args=[riga_case.reference])
    client.post(
        url,
        {
            "status": "presumed",
            "decided_on": riga_case.first_contact_on.isoformat(),
            "deciding_actor": demo.actors["riga-social"].pk,
        },
    )
    response = client.post(
        url, {"status": "identified", "decided_on": timezone.localdate().isoformat()}
    )
    assert "deciding_actor" in response.context["form"].errors
    client.post(
        url,
        {
            "status": "identified",
            "decided_on": timezone.localdate().isoformat(),
            "deciding_actor": demo.actors["riga-police"].pk,
        },
    )
    riga_case.refresh_from_db()
    assert riga_case.identification == "identified"
    assert riga_case.reflection_ends_on == riga_case.first_contact_on + timedelta(days=30)
    page = client.get(reverse("case_detail", args=[riga_case.reference])).content.decode()
    assert "State Police Riga Regional Unit" in page
    assert IdentificationChange.objects.filter(case=riga_case).count() == 3


def test_coordinator_assigns_a_second_worker_who_then_sees_the_case(demo, client_for, riga_case):
    from tests.factories import MembershipFactory

    second = MembershipFactory(actor=demo.actors["riga-social"], role="social_worker").user
    client = client_for(demo.users["coord.riga"])
    response = client.post(reverse("case_assign", args=[riga_case.reference]), {"user": second.pk})
    assert response.status_code == 302
    assert riga_case.assignments.filter(user=second, ended_at__isnull=True).exists()
    client.force_login(second)
    pass_second_factor(client, second)
    assert client.get(reverse("case_detail", args=[riga_case.reference])).status_code == 200


def test_need_status_changes_in_place_with_htmx(demo, client_for, riga_case):
    need = riga_case.needs.get(category="interpretation")
    client = client_for(demo.users["sw.riga"])
    response = client.post(
        reverse("case_need_status", args=[riga_case.reference, need.pk]),
        {"status": "being_met"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert 'id="needs-heading"' in response.content.decode()
    need.refresh_from_db()
    assert need.status == "being_met"
    response = client.post(
        reverse("case_need_status", args=[riga_case.reference, need.pk]),
        {"status": "teleported"},
        HTTP_HX_REQUEST="true",
    )
    assert "was not changed" in response.content.decode()
    need.refresh_from_db()
    assert need.status == "being_met"


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"identification": "identified"}, {"identified"}),
        ({"form": "sexual_prostitution"}, {"presumed"}),
        ({"age_group": "child"}, {"potential"}),
        ({"open_needs": "true"}, {"potential", "presumed", "identified", "not_victim"}),
    ],
)
def test_coordinator_filters_the_case_list(demo, client_for, params, expected):
    response = client_for(demo.users["coord.riga"]).get(reverse("case_list"), params)
    assert {case.identification for case in response.context["page"]} == expected


def test_case_list_filters_by_worker_dates_and_reference(demo, client_for, open_case):
    case = open_case(days_ago=200)
    client = client_for(demo.users["coord.riga"])
    response = client.get(
        reverse("case_list"),
        {
            "worker": demo.users["sw.riga"].pk,
            "opened_from": (timezone.localdate() - timedelta(days=250)).isoformat(),
            "opened_to": (timezone.localdate() - timedelta(days=150)).isoformat(),
        },
    )
    assert [c.reference for c in response.context["page"]] == [case.reference]
    response = client.get(reverse("case_list"), {"q": case.reference[-4:]})
    assert case.reference in {c.reference for c in response.context["page"]}
    response = client.get(reverse("case_list"), {"opened_from": "not-a-date", "sort": "bogus"})
    assert response.status_code == 200


@pytest.mark.parametrize("count", [10, 200])
def test_case_list_runs_a_constant_number_of_queries(
    demo, client_for, open_case, count, django_assert_max_num_queries
):
    for _ in range(count):
        open_case()
    client = client_for(demo.users["coord.riga"])
    with django_assert_max_num_queries(12):
        response = client.get(reverse("case_list"))
    total = Case.objects.filter(municipality__code="RIX").count()
    assert len(response.context["page"]) == min(25, total)
    assert response.context["page"].paginator.count == total


def test_administrator_sees_no_case_in_the_audit_log_but_the_coordinator_does(
    demo, client_for, riga_case
):
    response = client_for(demo.users["admin.riga"]).get(reverse("audit_list"))
    assert not any(e.object_type.startswith("cases.") for e in response.context["page"])
    assert riga_case.reference not in response.content.decode()
    response = client_for(demo.users["coord.riga"]).get(
        reverse("audit_list"), {"object_label": riga_case.reference}
    )
    assert {e.object_label for e in response.context["page"]} == {riga_case.reference}


def test_languages_outside_djangos_own_list_are_accepted_and_named(demo, client_for):
    from django.utils import translation

    client = client_for(demo.users["sw.riga"])
    response = client.post(
        reverse("case_create"), new_case_data(demo, **{"person-languages": ["tl", "ti"]})
    )
    case = Case.objects.order_by("-pk").first()
    assert response.status_code == 302
    with translation.override("en"):
        assert case.person.language_names() == ["Tagalog", "Tigrinya"]
    page = client.get(reverse("case_detail", args=[case.reference])).content.decode()
    assert "Tagalog, Tigrinya" in page
