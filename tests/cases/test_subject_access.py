"""Data-subject access export (GDPR art. 15) and erasure on a lawful request (art. 17): only
the coordinators of the case's municipality, with a recent password, audited."""

import io
import json
import time

import pytest
from django.urls import reverse
from pypdf import PdfReader

from cases import actions
from cases.choices import AnonymisedBecause, ClosureReason, Lifecycle
from cases.models import Case, Person
from cases.retention import EXPORT_FORMAT, anonymise
from strom.audit import AuditAction, AuditEvent
from strom.reauth import AUTHENTICATED_AT

pytestmark = pytest.mark.django_db

REFUSED = ["sw.riga", "admin.riga", "provider.riga", "coord.jelgava", "national.lv"]
PAGES = ["case_subject_access_json", "case_subject_access_pdf", "case_erase"]


def url(name, case):
    return reverse(name, args=[case.reference])


def events(case, action):
    return AuditEvent.objects.filter(
        object_type="cases.case", object_id=str(case.pk), action=action
    )


# Who may -----------------------------------------------------------------------------------


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("username", REFUSED)
def test_everyone_but_the_cases_coordinator_gets_404(demo, client_for, riga_case, page, username):
    # sw.riga is the case's assigned worker: she may open the case, not export or erase it.
    client = client_for(demo.users[username])
    assert client.get(url(page, riga_case)).status_code == 404
    assert events(riga_case, AuditAction.EXPORT).count() == 0


@pytest.mark.parametrize("username", REFUSED)
def test_refused_roles_cannot_erase_by_post(demo, client_for, riga_case, username):
    data = {
        "ground": "objection",
        "request_reference": "R-1",
        "confirm_reference": riga_case.reference,
    }
    response = client_for(demo.users[username]).post(url("case_erase", riga_case), data)
    assert response.status_code == 404
    assert Case.objects.get(pk=riga_case.pk).anonymised_at is None


@pytest.mark.parametrize("page", PAGES)
def test_the_cases_coordinator_may(demo, client_for, riga_case, page):
    assert client_for(demo.users["coord.riga"]).get(url(page, riga_case)).status_code == 200


@pytest.mark.parametrize("page", PAGES)
def test_an_old_sign_in_must_confirm_the_password_first(demo, client_for, riga_case, page):
    client = client_for(demo.users["coord.riga"])
    session = client.session
    session[AUTHENTICATED_AT] = int(time.time()) - 3600
    session.save()
    response = client.get(url(page, riga_case))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("reauthenticate"))
    assert events(riga_case, AuditAction.EXPORT).count() == 0


def test_exports_are_rate_limited(demo, client_for, riga_case, settings):
    settings.STROM_RATE_EXPORTS = "2/h"
    client = client_for(demo.users["coord.riga"])
    answers = [client.get(url("case_subject_access_json", riga_case)).status_code for _ in range(3)]
    assert answers == [200, 200, 429]


# The export ----------------------------------------------------------------------------------


def test_json_export_holds_everything_about_the_person_and_is_audited(demo, client_for, riga_case):
    worker = demo.users["sw.riga"]
    actions.add_note(
        by=worker,
        case=riga_case,
        kind="phone",
        occurred_on=riga_case.first_contact_on,
        text="Called about the flat",
    )
    client = client_for(demo.users["coord.riga"])
    client.get(url("case_detail", riga_case))
    response = client.get(url("case_subject_access_json", riga_case))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert riga_case.reference in response["Content-Disposition"]
    assert "Nguyen" not in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["format"] == EXPORT_FORMAT and data["version"] == 1
    assert set(data) >= {
        "case",
        "person",
        "exploitation",
        "identification_history",
        "needs",
        "consents",
        "notes",
        "documents",
        "referrals",
        "assignments",
        "access_log",
    }
    assert data["case"]["reference"] == riga_case.reference
    assert data["person"]["given_names"] == "Lan"
    assert data["person"]["family_name"] == "Nguyen"
    assert data["person"]["citizenship"]["code"] == "VN"
    assert [lang["code"] for lang in data["person"]["languages"]] == ["vi", "en"]
    assert data["notes"][0]["text"] == "Called about the flat"
    assert {n["need"]["code"] for n in data["needs"]} == {"safe_accommodation", "interpretation"}
    assert data["assignments"][0]["worker"]["username"] == "sw.riga"
    assert any(
        e["action"]["code"] == "view" and e["user"] == "coord.riga" for e in data["access_log"]
    )
    event = events(riga_case, AuditAction.EXPORT).get()
    assert event.detail == "data-subject access export (json)"
    assert event.username == "coord.riga"
    assert "Nguyen" not in event.detail


def test_pdf_export_is_a_pdf_with_the_persons_name_in_the_users_language(
    demo, client_for, riga_case
):
    client = client_for(demo.users["coord.riga"])
    response = client.get(url("case_subject_access_pdf", riga_case), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Nguyen" in text and "Lan" in text
    assert riga_case.reference in text
    assert "Data-subject access export" in text
    assert events(riga_case, AuditAction.EXPORT).get().detail == (
        "data-subject access export (pdf)"
    )


def test_an_anonymised_case_has_nothing_to_export(demo, client_for, riga_case):
    anonymise(
        riga_case,
        because=AnonymisedBecause.ERASURE,
        by=demo.users["coord.riga"],
        ground="objection",
        request_reference="R-9",
    )
    client = client_for(demo.users["coord.riga"])
    for page in ("case_subject_access_json", "case_subject_access_pdf", "case_erase"):
        response = client.get(url(page, riga_case), follow=True)
        assert response.redirect_chain[-1][0] == url("case_detail", riga_case)
        assert "nothing is held about the person" in response.content.decode()
    assert events(riga_case, AuditAction.EXPORT).count() == 0


# Erasure ------------------------------------------------------------------------------------


def erase(client, case, **overrides):
    data = {
        "ground": "consent_withdrawn",
        "request_reference": "DPO-2026-042",
        "confirm_reference": case.reference,
    }
    data.update(overrides)
    return client.post(url("case_erase", case), data)


@pytest.mark.parametrize(
    "overrides",
    [
        {"confirm_reference": "RIX-2026-9999"},
        {"confirm_reference": ""},
        {"request_reference": ""},
        {"request_reference": "   "},
        {"request_reference": "x" * 61},
        {"ground": "because"},
        {"ground": ""},
    ],
)
def test_erasure_with_bad_input_changes_nothing(demo, client_for, riga_case, overrides):
    client = client_for(demo.users["coord.riga"])
    response = erase(client, riga_case, **overrides)
    assert response.status_code == 200
    assert response.context["form"].errors
    case = Case.objects.get(pk=riga_case.pk)
    assert case.anonymised_at is None and case.lifecycle != Lifecycle.CLOSED
    assert Person.objects.get(case=case).family_name == "Nguyen"
    assert events(riga_case, AuditAction.ERASE).count() == 0


def test_wrong_typed_reference_says_so(demo, client_for, riga_case):
    client = client_for(demo.users["coord.riga"])
    response = erase(client, riga_case, confirm_reference="RIX-2026-9999")
    assert "not the case&#x27;s reference code" in response.content.decode()


def test_erasure_of_an_open_case_erases_closes_and_records_the_reason(demo, client_for, riga_case):
    client = client_for(demo.users["coord.riga"])
    response = erase(client, riga_case)
    assert response.status_code == 302
    assert response["Location"] == url("case_detail", riga_case)
    case = Case.objects.get(pk=riga_case.pk)
    assert case.anonymised_because == AnonymisedBecause.ERASURE
    assert case.erasure_ground == "consent_withdrawn"
    assert case.erasure_request_reference == "DPO-2026-042"
    assert case.lifecycle == Lifecycle.CLOSED and case.closure_reason == ClosureReason.OTHER
    assert case.closed_on is not None
    person = Person.objects.get(case=case)
    assert (person.given_names, person.family_name) == ("", "")
    event = events(case, AuditAction.ERASE).get()
    assert event.username == "coord.riga" and "DPO-2026-042" in event.detail
    page = client.get(url("case_detail", case)).content.decode()
    assert "erased on request" in page and "Nguyen" not in page


def test_erasure_of_a_closed_case_keeps_its_closure(demo, client_for, riga_case):
    coord = demo.users["coord.riga"]
    actions.close_case(
        by=coord,
        case=riga_case,
        reason=ClosureReason.RETURNED,
        closed_on=riga_case.first_contact_on,
    )
    erase(client_for(coord), riga_case)
    case = Case.objects.get(pk=riga_case.pk)
    assert case.anonymised_at is not None
    assert case.closure_reason == ClosureReason.RETURNED
    assert case.closed_on == riga_case.first_contact_on
