from datetime import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import Need
from services.gaps import COULD_ONLY, COVERED, GAP, gap_table
from services.matching import matches_for_case
from services.models import Service, ServiceCategory
from strom import access

pytestmark = pytest.mark.django_db


def cell(table, category, index):
    return next(row for row in table if row["category"] == category)["cells"][index]


def test_gap_table_shows_coverage_gaps_and_could_provide(demo):
    riga, jelgava = demo.municipalities["RIX"], demo.municipalities["JEL"]
    table = gap_table([riga, jelgava])
    assert cell(table, "safe_accommodation", 0)["status"] == COVERED
    assert cell(table, "safe_accommodation", 0)["available"] == 3
    assert cell(table, "safe_accommodation", 0)["could"] == 1
    assert cell(table, "safe_accommodation", 1)["status"] == GAP
    assert cell(table, "legal", 1)["status"] == GAP
    # Residence permits are national: they cover Jelgava too.
    assert cell(table, "authorities_documents", 1)["status"] == COVERED
    assert cell(table, "authorities_documents", 1)["country_wide"] == 1


def test_a_category_with_only_could_provide_is_flagged(demo):
    Service.objects.filter(name="Safe House shelter for women and children").update(
        status="temporarily closed"
    )
    table = gap_table([demo.municipalities["RIX"]])
    assert cell(table, "safe_accommodation", 0)["status"] == COULD_ONLY


def test_gap_view_compares_the_coordinators_municipality_with_the_rest_of_the_country(
    demo, client_for
):
    response = client_for(demo.users["coord.riga"]).get(reverse("service_gaps"))
    assert [m.code for m in response.context["municipalities"]] == ["RIX", "JEL"]
    response = client_for(demo.users["national.lv"]).get(reverse("service_gaps"))
    assert {m.code for m in response.context["municipalities"]} == {"RIX", "JEL"}
    response = client_for(demo.users["coord.riga"]).get(
        reverse("service_gaps"), {"m": [demo.municipalities["TLL"].pk]}
    )
    assert [m.code for m in response.context["municipalities"]] == ["RIX", "JEL"]


def test_gap_view_runs_a_constant_number_of_queries(
    demo, client_for, django_assert_max_num_queries
):
    for i in range(50):
        service = Service.objects.create(
            provider=demo.actors["riga-clinic"],
            name=f"Extra {i}",
            country_id=demo.municipalities["RIX"].country_id,
            municipality=demo.municipalities["RIX"],
        )
        ServiceCategory.objects.create(service=service, category="medical_care")
    client = client_for(demo.users["coord.riga"])
    with django_assert_max_num_queries(8):
        response = client.get(reverse("service_gaps"))
    assert cell(response.context["table"], "medical_care", 0)["provides"] == 51


def test_matching_fits_the_shelter_and_explains_why_the_hostel_does_not(demo, riga_case):
    at_noon = timezone.make_aware(datetime(2026, 11, 30, 12, 0))  # a Monday
    results = dict(
        matches_for_case(riga_case, access.services_for(demo.users["coord.riga"]), at_noon)
    )
    accommodation = next(need for need in results if need.category == "safe_accommodation")
    matches = results[accommodation]
    assert matches[0].service.name == "Safe House shelter for women and children"
    assert matches[0].fits
    hostel = next(m for m in matches if m.service.name == "Hostel beds for men")
    assert not hostel.fits
    reasons = " ".join(text for ok, text in hostel.reasons if not ok)
    assert "Woman" in reasons and "Age 16" in reasons and "Could provide" in reasons
    interpretation = next(need for need in results if need.category == "interpretation")
    best = results[interpretation][0]
    assert best.service.name == "Interpreting for social and health services"
    assert "Speaks Vietnamese, English" in [text for ok, text in best.reasons if ok]
    assert "Open now" in [text for ok, text in best.reasons if ok]


def test_a_service_for_identified_victims_does_not_fit_a_potential_victim(demo, riga_case):
    Need.objects.create(
        case=riga_case, category="employment", urgency="planned", updated_by=demo.users["sw.riga"]
    )
    results = dict(matches_for_case(riga_case, access.services_for(demo.users["coord.riga"])))
    employment = next(need for need in results if need.category == "employment")
    programme = results[employment][0]
    assert not programme.fits
    assert "Asks for a reasonable-grounds decision" in [t for ok, t in programme.reasons if not ok]


def test_full_shelter_does_not_fit(demo, riga_case):
    Service.objects.filter(name__startswith="Safe House").update(capacity_available=0)
    results = dict(matches_for_case(riga_case, access.services_for(demo.users["coord.riga"])))
    accommodation = next(need for need in results if need.category == "safe_accommodation")
    assert not any(m.fits for m in results[accommodation])


def test_matching_runs_a_constant_number_of_queries(
    demo, client_for, riga_case, django_assert_max_num_queries
):
    for i in range(50):
        service = Service.objects.create(
            provider=demo.actors["riga-clinic"],
            name=f"Extra {i}",
            country_id=demo.municipalities["RIX"].country_id,
            municipality=demo.municipalities["RIX"],
        )
        ServiceCategory.objects.create(service=service, category="safe_accommodation")
    client = client_for(demo.users["coord.riga"])
    with django_assert_max_num_queries(16):
        response = client.get(reverse("case_find_services", args=[riga_case.reference]))
    assert response.status_code == 200


def test_coordinator_chooses_a_fitting_service_for_a_need(demo, client_for, riga_case):
    shelter = Service.objects.get(name__startswith="Safe House")
    need = riga_case.needs.get(category="safe_accommodation")
    client = client_for(demo.users["coord.riga"])
    response = client.post(
        reverse("case_choose_service", args=[riga_case.reference, need.pk]), {"service": shelter.pk}
    )
    assert response.status_code == 302
    need.refresh_from_db()
    assert need.service == shelter
    page = client.get(reverse("case_detail", args=[riga_case.reference])).content.decode()
    assert "Safe House shelter for women and children" in page


def test_a_service_that_does_not_meet_the_need_is_refused(demo, client_for, riga_case):
    legal = Service.objects.get(name="Free legal counselling")
    need = riga_case.needs.get(category="safe_accommodation")
    client = client_for(demo.users["coord.riga"])
    client.post(
        reverse("case_choose_service", args=[riga_case.reference, need.pk]), {"service": legal.pk}
    )
    need.refresh_from_db()
    assert need.service is None


@pytest.mark.parametrize("username", ["sw.riga", "coord.jelgava", "admin.riga"])
def test_only_the_coordinator_chooses(demo, client_for, riga_case, username):
    shelter = Service.objects.get(name__startswith="Safe House")
    need = riga_case.needs.get(category="safe_accommodation")
    response = client_for(demo.users[username]).post(
        reverse("case_choose_service", args=[riga_case.reference, need.pk]),
        {"service": shelter.pk},
    )
    assert response.status_code == 404
    need.refresh_from_db()
    assert need.service is None


def test_a_service_of_another_country_cannot_be_chosen(demo, client_for, riga_case):
    tallinn = Service.objects.get(name__startswith="Counselling and shelter")
    need = riga_case.needs.get(category="safe_accommodation")
    response = client_for(demo.users["coord.riga"]).post(
        reverse("case_choose_service", args=[riga_case.reference, need.pk]),
        {"service": tallinn.pk},
    )
    assert response.status_code == 404


def _accommodation_matches(demo, case):
    results = dict(matches_for_case(case, access.services_for(demo.users["coord.riga"])))
    return results[next(need for need in results if need.category == "safe_accommodation")]


def test_a_shelter_for_women_and_children_takes_a_boy_of_sixteen(demo, open_case):
    boy = open_case(given_names="Artem", family_name="K", gender="man", age_years=16)
    shelter = next(
        m for m in _accommodation_matches(demo, boy) if m.service.name.startswith("Safe House")
    )
    assert shelter.fits, shelter.reasons
    assert not any("Does not accept" in text for ok, text in shelter.reasons)


def test_a_shelter_for_women_refuses_a_man_and_a_boy_when_it_takes_no_children(demo, open_case):
    man = open_case(given_names="Oleg", family_name="K", gender="man", age_years=30)
    shelter = next(
        m for m in _accommodation_matches(demo, man) if m.service.name.startswith("Safe House")
    )
    assert not shelter.fits
    Service.objects.filter(name__startswith="Safe House").update(minimum_age=18)
    boy = open_case(given_names="Artem", family_name="K", gender="man", age_years=16)
    shelter = next(
        m for m in _accommodation_matches(demo, boy) if m.service.name.startswith("Safe House")
    )
    assert not shelter.fits
    assert any("Does not accept" in text for ok, text in shelter.reasons if not ok)


def test_accepts_potential_victims_is_not_a_reason_for_an_identified_victim(demo, riga_case):
    results = _accommodation_matches(demo, riga_case)
    shelter = next(m for m in results if m.service.name.startswith("Safe House"))
    assert "Accepts potential victims" in [text for ok, text in shelter.reasons if ok]
    riga_case.identification = "identified"
    shelter = next(
        m for m in _accommodation_matches(demo, riga_case) if m.service.name.startswith("Safe")
    )
    assert "Accepts potential victims" not in [text for ok, text in shelter.reasons]
    assert shelter.fits


def test_the_sexes_a_service_accepts_are_a_list_in_the_users_language(demo, client_for):
    from django.utils import translation

    shelter = Service.objects.get(name__startswith="Safe House")
    Service.objects.filter(pk=shelter.pk).update(accepts_men=True, accepts_gender_diverse=True)
    shelter.refresh_from_db()
    with translation.override("en"):
        assert shelter.accepted_sexes() == (
            "women, men, and transgender and gender non-conforming people"
        )
    Service.objects.filter(pk=shelter.pk).update(accepts_men=False)
    shelter.refresh_from_db()
    with translation.override("en"):
        assert shelter.accepted_sexes() == (
            "women and transgender and gender non-conforming people"
        )
    response = client_for(demo.users["coord.riga"]).get(
        reverse("service_detail", args=[shelter.pk])
    )
    assert "women and transgender and gender non-conforming people" in response.content.decode()
