"""Overdue where people work (issue 14, item 3): one definition of "overdue" on Referral, a
badge with a word (not colour alone) in the provider's inbox (most urgent first), on the
referral page, on the case's chain and on the coordinator's home page; the provider's home
page counts what waits for her answer and what is overdue; list pages keep a constant number
of queries."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from referrals import actions
from referrals.models import Referral

from .conftest import make_riga_pathway

pytestmark = pytest.mark.django_db
BADGE = 'class="status status--overdue"'
HOUR = datetime.timedelta(hours=1)


def _past_due(referral, field="response_due_at", hours=3):
    Referral.objects.filter(pk=referral.pk).update(**{field: timezone.now() - hours * HOUR})
    referral.refresh_from_db()
    return referral


def _send_on_new_case(demo, open_case, pathway, family_name):
    case = open_case(given_names="Test", family_name=family_name, gender="woman")
    steps = actions.start_pathway(by=demo.users["coord.riga"], case=case, pathway=pathway)
    return actions.send(
        by=demo.users["coord.riga"], referral=steps[0], to_actor=demo.actors["riga-shelter"]
    )


# One definition -----------------------------------------------------------------------------


def test_overdue_is_the_running_deadline_passed(demo, sent):
    provider = demo.users["provider.riga"]
    assert not sent.overdue
    assert _past_due(sent).overdue and sent.overdue_kind == "response"
    # Answered: the answer deadline no longer counts, the completion deadline does.
    actions.accept(by=provider, referral=sent)
    sent.refresh_from_db()
    assert not sent.overdue
    assert _past_due(sent, "due_at").overdue and sent.overdue_kind == "completion"
    actions.complete(by=provider, referral=sent, outcome="got_help")
    sent.refresh_from_db()
    assert not sent.overdue


def test_the_queryset_and_the_referral_agree(demo, chain, sent):
    _past_due(sent)
    annotated = {r.pk: r.overdue for r in Referral.objects.with_urgency()}
    plain = {r.pk: r.overdue for r in Referral.objects.all()}
    assert annotated == plain
    assert set(Referral.objects.overdue().values_list("pk", flat=True)) == {
        pk for pk, overdue in plain.items() if overdue
    }
    assert sent.pk in annotated and annotated[sent.pk] is True


# Where people work --------------------------------------------------------------------------


def test_inbox_marks_overdue_and_lists_the_most_urgent_first(
    demo, client_for, open_case, riga_pathway, sent
):
    later = _send_on_new_case(demo, open_case, riga_pathway, "Later")
    soon = _send_on_new_case(demo, open_case, riga_pathway, "Soon")
    Referral.objects.filter(pk=later.pk).update(response_due_at=timezone.now() + 20 * HOUR)
    Referral.objects.filter(pk=soon.pk).update(response_due_at=timezone.now() + 2 * HOUR)
    _past_due(sent)
    response = client_for(demo.users["provider.riga"]).get(reverse("referral_inbox"))
    waiting = response.context["waiting"]
    ours = [r.pk for r in waiting if r.pk in (sent.pk, soon.pk, later.pk)]
    assert ours == [sent.pk, soon.pk, later.pk]
    flags = [r.overdue for r in waiting]
    assert flags == sorted(flags, reverse=True)  # every overdue one before the others
    overdue = sum(flags) + sum(r.overdue for r in response.context["open"])
    html = response.content.decode()
    assert html.count(BADGE) == overdue + 1  # each overdue row and the summary
    assert f"{overdue} {'is' if overdue == 1 else 'are'} overdue" in html
    rows = re.findall(r'<tr class="row--overdue">.*?</tr>', html, re.S)
    row = next(r for r in rows if sent.case.reference in r)
    assert "Overdue" in row and "no answer, due" in row
    calm = next(r for r in re.findall(r"<tr>.*?</tr>", html, re.S) if soon.case.reference in r)
    assert BADGE not in calm


def test_referral_page_and_case_chain_show_overdue(demo, client_for, sent):
    _past_due(sent)
    for username in ("coord.riga", "provider.riga"):
        page = client_for(demo.users[username]).get(reverse("referral_detail", args=[sent.pk]))
        assert BADGE in page.content.decode()
    chain = client_for(demo.users["coord.riga"]).get(
        reverse("case_pathway", args=[sent.case.reference])
    )
    assert chain.content.decode().count(BADGE) == 1


def test_coordinator_home_shows_a_step_overdue_for_completion(demo, client_for, sent):
    actions.accept(by=demo.users["provider.riga"], referral=sent)
    home = client_for(demo.users["coord.riga"]).get(reverse("home")).content.decode()
    assert sent.case.reference not in home.split('class="attention"', 1)[-1].split("</div>")[0]
    _past_due(sent, "due_at")
    home = client_for(demo.users["coord.riga"]).get(reverse("home")).content.decode()
    attention = home.split('class="attention"', 1)[1].split("</div>")[0]
    assert sent.case.reference in attention
    assert BADGE in attention and "not completed, due" in attention


def test_provider_home_counts_waiting_and_overdue(demo, client_for, open_case, riga_pathway, sent):
    client = client_for(demo.users["provider.riga"])

    def counts():
        home = client.get(reverse("home")).content.decode()
        waiting = re.search(r"(\d+) referrals? waits? for your answer", home)
        overdue = re.search(r"(\d+) (?:is|are) overdue", home)
        return int(waiting.group(1)), int(overdue.group(1)) if overdue else 0, home

    waiting, overdue, _ = counts()
    _send_on_new_case(demo, open_case, riga_pathway, "Second")
    _past_due(sent)
    assert counts()[:2] == (waiting + 1, overdue + 1)
    assert BADGE in counts()[2]


def test_nothing_overdue_is_not_marked(demo, client_for, sent):
    for username, url in [
        ("provider.riga", reverse("referral_detail", args=[sent.pk])),
        ("coord.riga", reverse("case_pathway", args=[sent.case.reference])),
    ]:
        assert BADGE not in client_for(demo.users[username]).get(url).content.decode()


# A constant number of queries ---------------------------------------------------------------


@pytest.mark.parametrize("page", ["inbox", "provider_home", "coordinator_home"])
def test_list_pages_keep_a_constant_number_of_queries(
    demo, client_for, open_case, riga_pathway, sent, django_assert_max_num_queries, page
):
    user = demo.users["coord.riga" if page == "coordinator_home" else "provider.riga"]
    url = reverse("referral_inbox" if page == "inbox" else "home")
    client = client_for(user)
    _past_due(sent)
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for name in ("Two", "Three", "Four", "Five"):
        _past_due(_send_on_new_case(demo, open_case, riga_pathway, name))
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200


def test_chain_page_keeps_a_constant_number_of_queries(
    demo, client_for, riga_case, chain, sent, django_assert_max_num_queries
):
    client = client_for(demo.users["coord.riga"])
    url = reverse("case_pathway", args=[riga_case.reference])
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    other = make_riga_pathway(demo)
    for referral in actions.start_pathway(
        by=demo.users["coord.riga"], case=riga_case, pathway=other
    ):
        actions.send(
            by=demo.users["coord.riga"], referral=referral, to_actor=demo.actors["riga-shelter"]
        )
        _past_due(referral)
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert client.get(url).status_code == 200
