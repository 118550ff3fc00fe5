"""A need follows the referral that serves it (issue 14, item 2): sent, accepted, completed,
declined for lack of capacity; the service chosen on the step appears on the need; the case
page, the data-subject export and the "needs by status" report say the same; a change by hand
stays possible and is audited as such."""

import json

import pytest
from django.urls import reverse

from cases.models import Need
from referrals import actions
from services.models import Service
from strom.audit import AuditEvent

pytestmark = pytest.mark.django_db
PERIOD = {"start": "2020-01-01", "end": "2030-12-31"}


def _need(case, category="safe_accommodation"):
    return Need.objects.get(case=case, category=category)


def _shelter_service(demo):
    return Service.objects.get(provider=demo.actors["riga-shelter"], name__icontains="Safe House")


@pytest.fixture
def sent_with_service(demo, chain):
    return actions.send(
        by=demo.users["coord.riga"],
        referral=chain[0],
        to_actor=demo.actors["riga-shelter"],
        service=_shelter_service(demo),
    )


def test_sending_marks_the_need_referred_and_records_the_service(demo, sent_with_service):
    need = _need(sent_with_service.case)
    assert need.status == "referred"
    assert need.service == _shelter_service(demo)


def test_accepting_makes_the_need_being_met(demo, sent):
    actions.accept(by=demo.users["provider.riga"], referral=sent)
    assert _need(sent.case).status == "being_met"
    event = AuditEvent.objects.filter(detail__contains="by referral").latest("pk")
    assert event.detail.startswith("need safe_accommodation: being_met")


def test_completing_with_help_makes_the_need_met(demo, sent):
    provider = demo.users["provider.riga"]
    actions.accept(by=provider, referral=sent)
    actions.complete(by=provider, referral=sent, outcome="got_help")
    assert _need(sent.case).status == "met"


def test_completing_without_help_reopens_the_need(demo, sent):
    provider = demo.users["provider.riga"]
    actions.accept(by=provider, referral=sent)
    actions.complete(by=provider, referral=sent, outcome="not_contacted")
    assert _need(sent.case).status == "identified"


def test_declined_for_no_capacity_with_nothing_else_open_means_no_provider(demo, sent):
    actions.decline(by=demo.users["provider.riga"], referral=sent, reason="no_capacity")
    assert _need(sent.case).status == "no_provider"


def test_declined_for_no_capacity_while_another_step_is_open_keeps_the_need_referred(
    demo, chain, sent
):
    # A second step of the case serving the same need, sent to the church.
    second = chain[1]
    second.step.need_category = "safe_accommodation"
    second.step.save()
    actions.send(by=demo.users["coord.riga"], referral=second, to_actor=demo.actors["riga-church"])
    actions.decline(by=demo.users["provider.riga"], referral=sent, reason="no_capacity")
    assert _need(sent.case).status == "referred"


def test_declined_for_another_reason_is_not_no_provider(demo, sent):
    actions.decline(by=demo.users["provider.riga"], referral=sent, reason="not_eligible")
    assert _need(sent.case).status == "identified"


def test_rerouting_after_no_capacity_makes_the_need_referred_again(demo, sent):
    actions.decline(by=demo.users["provider.riga"], referral=sent, reason="no_capacity")
    actions.send(by=demo.users["coord.riga"], referral=sent, to_actor=demo.actors["riga-church"])
    assert _need(sent.case).status == "referred"


def test_case_page_export_and_report_agree(demo, client_for, sent_with_service):
    coordinator = client_for(demo.users["coord.riga"])

    def being_met_in_report():
        response = coordinator.get(reverse("report"), PERIOD)
        table = next(t for t in response.context["tables"] if t["table"].key == "needs")
        column = table["table"].column_labels.index("Being met")
        return table["cells"][0][column]

    before = being_met_in_report()
    actions.accept(by=demo.users["provider.riga"], referral=sent_with_service)
    case = sent_with_service.case
    page = coordinator.get(reverse("case_detail", args=[case.reference]))
    needs = {n.category: n for n in page.context["needs"]}
    assert needs["safe_accommodation"].status == "being_met"
    assert needs["safe_accommodation"].service == _shelter_service(demo)
    html = page.content.decode()
    assert 'value="being_met" selected' in html
    assert _shelter_service(demo).name in html
    export = json.loads(
        coordinator.get(reverse("case_subject_access_json", args=[case.reference])).content
    )
    exported = next(n for n in export["needs"] if n["need"]["code"] == "safe_accommodation")
    assert exported["status"]["code"] == "being_met"
    assert exported["service"]["id"] == _shelter_service(demo).pk
    assert being_met_in_report() == before + 1


def test_a_change_by_hand_stays_possible_and_is_audited_as_manual(demo, client_for, sent):
    actions.accept(by=demo.users["provider.riga"], referral=sent)
    need = _need(sent.case)
    client = client_for(demo.users["sw.riga"])
    response = client.post(
        reverse("case_need_status", args=[sent.case.reference, need.pk]), {"status": "met"}
    )
    assert response.status_code in (200, 302)
    assert _need(sent.case).status == "met"
    event = AuditEvent.objects.filter(detail__startswith="need safe_accommodation").latest("pk")
    assert "manual" in event.detail
