"""The rules of cases: reference codes, identification, reflection period, consent, age."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cases import actions
from cases.choices import Identification
from cases.models import Case, Consent, IdentificationChange, Need, Person, may_share

pytestmark = pytest.mark.django_db


def test_reference_codes_count_up_per_municipality_and_year(demo, open_case):
    first, second = open_case(), open_case()
    year = first.first_contact_on.year
    existing = Case.objects.filter(reference__startswith=f"RIX-{year}-").count() - 2
    assert first.reference == f"RIX-{year}-{existing + 1:04d}"
    assert second.reference == f"RIX-{year}-{existing + 2:04d}"
    jelgava = open_case(by="sw.jelgava", municipality="JEL")
    assert jelgava.reference.startswith(f"JEL-{year}-")


def test_reference_codes_are_never_reused(demo, open_case):
    first = open_case()
    Case.objects.filter(pk=first.pk).update(reference="RIX-1999-0001")  # as if renamed away
    assert open_case().reference != first.reference


def test_the_registering_worker_is_the_primary_worker_with_a_grant(demo, riga_case):
    worker = demo.users["sw.riga"]
    assignment = riga_case.assignments.get()
    assert assignment.user == worker and assignment.is_primary
    assert worker.has_perm("cases.view_case", riga_case)


def test_registration_records_the_first_status_and_needs(riga_case):
    assert riga_case.identification == Identification.POTENTIAL
    assert riga_case.identification_changes.get().status == Identification.POTENTIAL
    assert set(riga_case.needs.values_list("category", flat=True)) == {
        "safe_accommodation",
        "interpretation",
    }
    assert riga_case.reflection_starts_on is None


def test_presumed_status_starts_the_reflection_period_from_the_country_setting(demo, riga_case):
    country = riga_case.municipality.country
    country.reflection_period_days = 45
    country.save()
    decided = timezone.localdate() - timedelta(days=1)
    actions.change_identification(
        by=demo.users["coord.riga"],
        case=riga_case,
        status=Identification.PRESUMED,
        decided_on=decided,
        deciding_actor=demo.actors["riga-police"],
    )
    riga_case.refresh_from_db()
    assert riga_case.reflection_starts_on == decided
    assert riga_case.reflection_ends_on == decided + timedelta(days=45)


def test_formal_identification_keeps_the_history_and_the_reflection_start(demo, riga_case):
    coordinator = demo.users["coord.riga"]
    today = timezone.localdate()
    actions.change_identification(
        by=coordinator,
        case=riga_case,
        status=Identification.PRESUMED,
        decided_on=riga_case.first_contact_on,
        deciding_actor=demo.actors["riga-social"],
    )
    actions.change_identification(
        by=coordinator,
        case=riga_case,
        status=Identification.IDENTIFIED,
        decided_on=today,
        deciding_actor=demo.actors["riga-police"],
        note="State Police decision 12/2026",
    )
    riga_case.refresh_from_db()
    history = list(riga_case.identification_changes.values_list("status", flat=True))
    assert history == ["potential", "presumed", "identified"]
    assert riga_case.reflection_starts_on == riga_case.first_contact_on
    last = IdentificationChange.objects.filter(case=riga_case).last()
    assert last.deciding_actor == demo.actors["riga-police"]
    assert last.note == "State Police decision 12/2026"


def test_a_decision_before_the_first_contact_is_refused(demo, riga_case):
    with pytest.raises(ValidationError):
        actions.change_identification(
            by=demo.users["coord.riga"],
            case=riga_case,
            status=Identification.PRESUMED,
            decided_on=riga_case.first_contact_on - timedelta(days=1),
        )
    assert riga_case.identification_changes.count() == 1


def test_only_a_coordinator_of_the_municipality_decides_the_status(demo, riga_case):
    for username in ["sw.riga", "coord.jelgava", "admin.riga", "national.lv"]:
        with pytest.raises(PermissionDenied):
            actions.change_identification(
                by=demo.users[username],
                case=riga_case,
                status=Identification.PRESUMED,
                decided_on=timezone.localdate(),
            )
    assert Case.objects.get(pk=riga_case.pk).identification == Identification.POTENTIAL


def test_age_estimate_of_16_makes_a_presumed_child(riga_case):
    person = riga_case.person
    assert person.child_status() == "presumed_child"
    assert person.is_treated_as_child()
    assert person.age_band() == "9-17"


def test_known_date_of_birth_gives_child_status_until_the_end_of_the_month_she_turns_18():
    person = Person(date_of_birth="2010-03-01")
    person.derive_age(today=date(2026, 11, 29))
    assert person.age_years == 16 and not person.age_is_estimate
    assert person.adult_from == date(2028, 4, 1)
    assert person.child_status(today=date(2026, 11, 29)) == "child"
    assert person.child_status(today=date(2028, 3, 31)) == "child"
    assert person.child_status(today=date(2028, 4, 1)) == "adult"


def test_uncertain_adult_who_may_be_a_child_is_treated_as_one():
    person = Person(age_years=19, age_is_estimate=True, may_be_child=True)
    person.derive_age(today=date(2026, 11, 29))
    assert person.child_status(today=date(2026, 11, 29)) == "presumed_child"


def test_case_lists_filter_children_and_adults_in_the_database(demo, open_case):
    child = open_case(age_years=15)
    adult = open_case(age_years=30, age_is_estimate=False)
    assert child in Case.objects.children() and child not in Case.objects.adults()
    assert adult in Case.objects.adults() and adult not in Case.objects.children()


def _consent(case, recipient, items=("identity", "needs"), **extra):
    today = timezone.localdate()
    fields = {
        "recipient": recipient,
        "items": list(items),
        "purpose": "Accommodation",
        "given_how": "verbal",
        "interpreter_used": True,
        "given_on": today,
        "expires_on": today + timedelta(days=30),
        "guardian_consent": True,
        "child_assent": True,
        **extra,
    }
    return Consent(**fields)


def test_may_share_follows_consent_and_its_withdrawal(demo, riga_case):
    shelter, clinic = demo.actors["riga-shelter"], demo.actors["riga-clinic"]
    worker = demo.users["sw.riga"]
    actions.record_consent(by=worker, case=riga_case, consent=_consent(riga_case, shelter))
    clinic_consent = actions.record_consent(
        by=worker, case=riga_case, consent=_consent(riga_case, clinic)
    )
    assert may_share(riga_case, "identity", shelter)
    assert may_share(riga_case, "identity", clinic)
    assert not may_share(riga_case, "contact", shelter)
    assert not may_share(riga_case, "identity", demo.actors["riga-legal"])
    actions.withdraw_consent(by=worker, consent=clinic_consent, reason="Changed her mind")
    assert not may_share(riga_case, "identity", clinic)
    assert may_share(riga_case, "identity", shelter)
    clinic_consent.refresh_from_db()
    assert clinic_consent.withdrawn_by == worker
    assert clinic_consent.withdrawal_reason == "Changed her mind"


def test_consent_to_a_kind_of_organisation_covers_every_actor_of_that_kind(demo, riga_case):
    consent = _consent(riga_case, None, recipient_kind="health_care")
    actions.record_consent(by=demo.users["sw.riga"], case=riga_case, consent=consent)
    assert may_share(riga_case, "identity", demo.actors["riga-clinic"])
    assert not may_share(riga_case, "identity", demo.actors["riga-shelter"])


def test_expired_consent_allows_nothing(demo, riga_case):
    today = timezone.localdate()
    consent = _consent(
        riga_case,
        demo.actors["riga-shelter"],
        given_on=today - timedelta(days=40),
        expires_on=today - timedelta(days=10),
    )
    actions.record_consent(by=demo.users["sw.riga"], case=riga_case, consent=consent)
    assert not may_share(riga_case, "identity", demo.actors["riga-shelter"])


def test_what_needs_no_consent_is_always_shareable(demo, riga_case):
    for item in ["reference", "needs", "language", "urgency"]:
        assert may_share(riga_case, item, demo.actors["riga-police"])


def test_help_is_never_refused_to_a_potential_victim_who_does_not_cooperate_with_police(
    demo, riga_case
):
    """Directive 2011/36/EU art. 11(3): assistance is not conditional on cooperation."""
    Case.objects.filter(pk=riga_case.pk).update(law_enforcement_cooperation="declined")
    case = Case.objects.get(pk=riga_case.pk)
    assert case.identification == Identification.POTENTIAL
    worker = demo.users["sw.riga"]
    need = actions.save_need(
        by=worker, case=case, category="legal", urgency="days", status="identified"
    )
    actions.save_need(
        by=worker, case=case, need=need, category="legal", urgency="days", status="being_met"
    )
    actions.record_consent(
        by=worker, case=case, consent=_consent(case, demo.actors["riga-shelter"])
    )
    assert Need.objects.get(pk=need.pk).status == "being_met"
    assert may_share(case, "identity", demo.actors["riga-shelter"])
    assert may_share(case, "needs", demo.actors["riga-shelter"])


def test_closed_case_refuses_changes_until_reopened(demo, riga_case):
    coordinator = demo.users["coord.riga"]
    actions.close_case(
        by=coordinator, case=riga_case, reason="moved", closed_on=timezone.localdate()
    )
    with pytest.raises(ValidationError):
        actions.save_need(
            by=demo.users["sw.riga"],
            case=riga_case,
            category="legal",
            urgency="days",
            status="identified",
        )
    actions.reopen_case(by=coordinator, case=riga_case)
    actions.save_need(
        by=demo.users["sw.riga"],
        case=riga_case,
        category="legal",
        urgency="days",
        status="identified",
    )


def test_removing_a_worker_removes_her_access(demo, riga_case):
    from strom import access

    coordinator, sw = demo.users["coord.riga"], demo.users["sw.riga"]
    # The primary worker is not removed: another becomes primary first.
    actions.assign_worker(by=coordinator, case=riga_case, user=coordinator, is_primary=True)
    assignment = riga_case.assignments.get(user=sw)
    actions.end_assignment(by=coordinator, assignment=assignment)
    fresh = type(sw).objects.get(pk=sw.pk)
    assert not access.cases_for(fresh).filter(pk=riga_case.pk).exists()
    # The coordinator still sees it, through her membership.
    assert access.cases_for(coordinator).filter(pk=riga_case.pk).exists()


def test_a_worker_of_another_municipality_cannot_be_assigned(demo, riga_case):
    with pytest.raises(ValidationError):
        actions.assign_worker(
            by=demo.users["coord.riga"], case=riga_case, user=demo.users["sw.jelgava"]
        )
