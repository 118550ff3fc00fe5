"""Issue 14, item 12 on case pages: the withdrawal reason in the consent table for the case's
own workers, "Your open cases" without "Not a victim", and removing a case worker only after
a confirmation, never the primary worker."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cases import actions
from cases.models import Assignment, Consent

pytestmark = pytest.mark.django_db

REASON = "She wants to decide about the shelter herself"


def _withdrawn_consent(demo, case):
    consent = actions.record_consent(
        by=demo.users["sw.riga"],
        case=case,
        consent=Consent(
            recipient=demo.actors["riga-shelter"],
            items=["identity", "needs"],
            purpose="Shelter placement",
            given_how="verbal",
            given_on=timezone.localdate(),
        ),
    )
    return actions.withdraw_consent(by=demo.users["sw.riga"], consent=consent, reason=REASON)


@pytest.mark.parametrize("username", ["sw.riga", "coord.riga"])
def test_the_case_workers_see_why_consent_was_withdrawn(demo, client_for, riga_case, username):
    _withdrawn_consent(demo, riga_case)
    page = client_for(demo.users[username]).get(reverse("case_detail", args=[riga_case.reference]))
    assert page.status_code == 200
    assert REASON in page.content.decode()


@pytest.mark.parametrize("username", ["sw.jelgava", "coord.jelgava", "admin.riga", "national.lv"])
def test_nobody_else_sees_the_withdrawal_reason(demo, client_for, riga_case, username):
    _withdrawn_consent(demo, riga_case)
    page = client_for(demo.users[username]).get(reverse("case_detail", args=[riga_case.reference]))
    assert page.status_code == 404
    assert REASON not in page.content.decode()


def test_the_withdrawal_reason_is_stored_encrypted(demo, riga_case):
    from django.db import connection

    consent = _withdrawn_consent(demo, riga_case)
    with connection.cursor() as cursor:
        cursor.execute("SELECT withdrawal_reason FROM cases_consent WHERE id = %s", [consent.pk])
        (stored,) = cursor.fetchone()
    assert stored and REASON not in stored


def _summary(client_for, user):
    return client_for(user).get(reverse("home")).context["sections"][0]["cases"]


def test_your_open_cases_does_not_count_not_a_victim(demo, client_for):
    summary = _summary(client_for, demo.users["sw.riga"])
    assert "not_victim" not in {row["value"] for row in summary["rows"]}
    assert summary["total"] == sum(row["count"] for row in summary["rows"])
    page = client_for(demo.users["sw.riga"]).get(reverse("home")).content.decode()
    assert "Not a victim" not in page


def test_removing_a_case_worker_asks_first(demo, client_for, riga_case):
    coordinator = demo.users["coord.riga"]
    second = demo.users["coord.riga"]
    assignment = actions.assign_worker(by=coordinator, case=riga_case, user=second)
    client = client_for(coordinator)
    url = reverse("case_assignment_end", args=[riga_case.reference, assignment.pk])
    detail = client.get(reverse("case_detail", args=[riga_case.reference])).content.decode()
    # The case page offers a link to the confirmation, not a one-click form.
    assert f'href="{url}"' in detail
    assert f'action="{url}"' not in detail
    confirm = client.get(url)
    assert confirm.status_code == 200
    assert "Remove" in confirm.content.decode()
    assert Assignment.objects.get(pk=assignment.pk).ended_at is None
    response = client.post(url)
    assert response.status_code == 302
    assert Assignment.objects.get(pk=assignment.pk).ended_at is not None


def test_the_primary_worker_cannot_be_removed(demo, client_for, riga_case):
    coordinator = demo.users["coord.riga"]
    primary = riga_case.assignments.get(is_primary=True)
    client = client_for(coordinator)
    url = reverse("case_assignment_end", args=[riga_case.reference, primary.pk])
    detail = client.get(reverse("case_detail", args=[riga_case.reference])).content.decode()
    assert url not in detail
    page = client.get(url)
    assert page.status_code == 200
    assert f'action="{url}"' not in page.content.decode()
    response = client.post(url, follow=True)
    assert response.status_code == 200
    assert "primary" in " ".join(str(m) for m in response.context["messages"])
    assert Assignment.objects.get(pk=primary.pk).ended_at is None
    with pytest.raises(ValidationError):
        actions.end_assignment(by=coordinator, assignment=primary)
    assert Assignment.objects.get(pk=primary.pk).ended_at is None


@pytest.mark.parametrize("username", ["sw.riga", "sw.jelgava", "coord.jelgava", "admin.riga"])
def test_only_the_coordinator_removes_a_case_worker(demo, client_for, riga_case, username):
    assignment = actions.assign_worker(
        by=demo.users["coord.riga"], case=riga_case, user=demo.users["coord.riga"]
    )
    url = reverse("case_assignment_end", args=[riga_case.reference, assignment.pk])
    client = client_for(demo.users[username])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert Assignment.objects.get(pk=assignment.pk).ended_at is None
