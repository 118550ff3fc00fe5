"""Retention and anonymisation (issue 9, item 6): after the retention period a case loses
every identifying and free-text value, in every table, while the report figures stay the
same; the daily task anonymises only what is due; the case becomes read-only; only the
municipality's coordinators see the retention list."""

import datetime
from io import StringIO

import pytest
import time_machine
from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from cases import actions, documents, retention
from cases.choices import AnonymisedBecause, ClosureReason, Lifecycle
from cases.models import Case, CaseDocument, CaseNote, Consent, Exploitation, Person
from cases.retention import RetentionState
from referrals import actions as referral_actions
from referrals.models import Referral
from reports.figures import Scope, all_tables, timings
from strom.audit import AuditAction, AuditEvent
from strom.crypto import encrypted_fields
from tests.referrals.conftest import make_riga_pathway
from tests.strom.test_uploads import PDF

pytestmark = pytest.mark.django_db

MARK = "Zelta-Anonymtest"
DATE_OF_BIRTH = "2009-02-14"
REFUSED = ["sw.riga", "admin.riga", "provider.riga", "coord.jelgava", "national.lv"]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def today():
    return timezone.localdate()


def close(demo, case, *, years_ago=0, days_ago=0):
    closed_on = today() - relativedelta(years=years_ago, days=days_ago)
    return actions.close_case(
        by=demo.users["coord.riga"], case=case, reason=ClosureReason.GOALS_MET, closed_on=closed_on
    )


@pytest.fixture
def rich_case(demo, riga_case):
    """The Riga case with a distinctive value in every free-text field of every app: the
    person's identifying and special-category fields, the exploitation's indicators, an
    identification note, a need's tailoring, a consent's purpose and withdrawal reason, a
    note, a document, and the notes of a referral, its history and a consent override."""
    case, coord, worker = riga_case, demo.users["coord.riga"], demo.users["sw.riga"]
    person = Person.objects.get(case=case)
    for name in (
        "given_names",
        "family_name",
        "aliases",
        "phone",
        "email",
        "address",
        "identity_documents",
        "notes",
        "guardian",
        *Person.SPECIAL_CATEGORY_FIELDS,
    ):
        setattr(person, name, f"{MARK}-{name}")
    person.date_of_birth = DATE_OF_BIRTH
    person.derive_age()
    person.save()
    Exploitation.objects.filter(case=case).update(indicators=f"{MARK}-indicators")
    actions.change_identification(
        by=coord, case=case, status="presumed", decided_on=today(), note=f"{MARK}-decision"
    )
    need = case.needs.get(category="safe_accommodation")
    actions.save_need(
        by=worker,
        case=case,
        need=need,
        category=need.category,
        urgency=need.urgency,
        status="referred",
        tailoring=f"{MARK}-tailoring",
    )
    consent = actions.record_consent(
        by=worker,
        case=case,
        consent=Consent(
            recipient=demo.actors["riga-shelter"],
            items=["identity", "contact"],
            purpose=f"{MARK}-purpose",
            given_how="signed",
            given_on=today(),
        ),
    )
    actions.record_consent(
        by=worker,
        case=case,
        consent=Consent(
            recipient_kind="shelter",
            items=["needs"],
            purpose=f"{MARK}-second-purpose",
            given_how="verbal",
            given_on=today(),
        ),
    )
    actions.withdraw_consent(by=worker, consent=consent, reason=f"{MARK}-withdrawal")
    actions.add_note(by=worker, case=case, kind="meeting", occurred_on=today(), text=f"{MARK}-note")
    documents.upload_document(
        by=worker,
        case=case,
        upload=SimpleUploadedFile(f"{MARK} passport.pdf", PDF, content_type="application/pdf"),
        kind="identity",
        title=f"{MARK}-document",
    )
    chain = referral_actions.start_pathway(by=coord, case=case, pathway=make_riga_pathway(demo))
    sent = referral_actions.send(by=coord, referral=chain[0], to_actor=demo.actors["riga-shelter"])
    referral_actions.override_consent(
        by=coord, referral=sent, item="health", reason=f"{MARK}-override"
    )
    referral_actions.decline(
        by=demo.users["provider.riga"],
        referral=sent,
        reason="no_capacity",
        note=f"{MARK}-decline",
    )
    referral_actions.withdraw(by=coord, referral=chain[1], reason=f"{MARK}-withdrawn")
    return Case.objects.get(pk=case.pk)


def rows_with(needle):
    """Every (table, column value) in the whole database that contains `needle`."""
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            # Table and column names come from the schema, never from input.
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                for value in row:
                    if value is not None and needle in str(value):
                        found.append((table, str(value)[:80]))
    return found


def linked_encrypted_values(case):
    """Raw stored values of every encrypted column of every row linked to the case (directly,
    or through one of its referrals)."""
    referral_ids = list(Referral.objects.filter(case=case).values_list("pk", flat=True))
    values = []
    with connection.cursor() as cursor:
        for model, names in encrypted_fields():
            fields = {f.name: f for f in model._meta.concrete_fields}
            for link, ids in (("case", [case.pk]), ("referral", referral_ids)):
                if link not in fields or not ids:
                    continue
                columns = ", ".join(
                    connection.ops.quote_name(fields[name].column) for name in names
                )
                placeholders = ", ".join(["%s"] * len(ids))
                table = connection.ops.quote_name(model._meta.db_table)
                key = connection.ops.quote_name(fields[link].column)
                cursor.execute(
                    f"SELECT {columns} FROM {table} WHERE {key} IN ({placeholders})",  # noqa: S608
                    ids,
                )
                label = model._meta.label
                for row in cursor.fetchall():
                    values += [(label, name, v) for name, v in zip(names, row, strict=True)]
    return values


def figures(demo):
    scope = Scope(
        municipalities=[demo.municipalities["RIX"]],
        start=datetime.date(2000, 1, 1),
        end=today() + datetime.timedelta(days=1),
    )
    return [(t.key, t.counts) for t in all_tables(scope)], timings(scope)


def anonymise_rich(demo, case, because, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        if because == AnonymisedBecause.RETENTION:
            if not case.is_closed:
                close(demo, case, years_ago=6)
            return retention.anonymise(case, because=because)
        return retention.anonymise(
            case,
            because=because,
            by=demo.users["coord.riga"],
            ground="objection",
            request_reference="DPO-2026-17",
        )


# No identifying value left, figures unchanged ------------------------------------------------


@pytest.mark.parametrize("because", list(AnonymisedBecause))
def test_anonymisation_leaves_no_identifying_value_in_any_table(
    demo, rich_case, because, media, django_capture_on_commit_callbacks
):
    before = linked_encrypted_values(rich_case)
    ciphertexts = [value for _m, _n, value in before if value]
    assert len(ciphertexts) >= 15
    assert rows_with(MARK)  # plain free text (consent purpose, referral notes) is there
    assert list(media.rglob("*"))  # and the document's file

    assert anonymise_rich(demo, rich_case, because, django_capture_on_commit_callbacks)

    assert rows_with(MARK) == []
    assert rows_with(DATE_OF_BIRTH) == []
    # Encrypted columns are empty, not a new or old ciphertext of the value.
    assert [v for v in linked_encrypted_values(rich_case) if v[2]] == []
    for ciphertext in ciphertexts[:5]:
        assert rows_with(ciphertext[-40:]) == []
    assert not CaseDocument.objects.filter(case=rich_case).exists()
    assert [p for p in media.rglob("*") if p.is_file()] == []
    assert not CaseNote.objects.filter(case=rich_case).exists()
    person = Person.objects.get(case=rich_case)
    assert person.languages == [] and person.interpreter_needed is False
    # Neither the month she counts as an adult from nor the day the age was taken on gives
    # away the month of birth.
    assert (person.adult_from.month, person.adult_from.day) == (1, 1)
    assert (person.age_recorded_on.month, person.age_recorded_on.day) == (1, 1)


@pytest.mark.parametrize("because", list(AnonymisedBecause))
def test_report_figures_are_the_same_before_and_after_anonymisation(
    demo, rich_case, open_case, because, django_capture_on_commit_callbacks
):
    adult = open_case(age_years=40, gender="man", citizenship="UA")
    close(demo, adult, years_ago=7)
    if because == AnonymisedBecause.RETENTION:
        close(demo, rich_case, years_ago=6)
        rich_case.refresh_from_db()
    before = figures(demo)
    anonymise_rich(demo, rich_case, because, django_capture_on_commit_callbacks)
    retention.anonymise(adult, because=AnonymisedBecause.RETENTION)
    assert Case.objects.get(pk=adult.pk).anonymised_at is not None
    assert figures(demo) == before


def test_statistical_fields_stay(demo, rich_case, django_capture_on_commit_callbacks):
    person = Person.objects.get(case=rich_case)
    kept = (person.gender, person.age_years, person.citizenship, person.may_be_child)
    forms = set(rich_case.exploitation_forms.values_list("form", flat=True))
    anonymise_rich(demo, rich_case, AnonymisedBecause.ERASURE, django_capture_on_commit_callbacks)
    person = Person.objects.get(case=rich_case)
    assert (person.gender, person.age_years, person.citizenship, person.may_be_child) == kept
    assert set(rich_case.exploitation_forms.values_list("form", flat=True)) == forms
    assert Exploitation.objects.get(case=rich_case).labour_sector == "S"
    case = Case.objects.get(pk=rich_case.pk)
    assert case.identification == "presumed"
    assert case.needs.count() == 2
    assert case.consents.count() == 2
    assert Referral.objects.filter(case=case, status="declined").count() == 1


# Audit and idempotence --------------------------------------------------------------------


def test_audit_keeps_the_reference_code_and_no_name(demo, riga_case):
    close(demo, riga_case, years_ago=5, days_ago=1)
    assert retention.anonymise(riga_case, because=AnonymisedBecause.RETENTION)
    event = AuditEvent.objects.get(object_id=str(riga_case.pk), action=AuditAction.ANONYMISE)
    assert event.object_label == riga_case.reference
    assert event.user is None
    for text in (event.object_label, event.detail):
        assert "Lan" not in text and "Nguyen" not in text
    assert "retention period ended" in event.detail


def test_erasure_is_audited_with_ground_and_request_reference(demo, riga_case):
    retention.anonymise(
        riga_case,
        because=AnonymisedBecause.ERASURE,
        by=demo.users["coord.riga"],
        ground="unlawful",
        request_reference="DPO-17",
    )
    event = AuditEvent.objects.get(object_id=str(riga_case.pk), action=AuditAction.ERASE)
    assert event.object_label == riga_case.reference
    assert event.username == "coord.riga"
    assert "DPO-17" in event.detail and "unlawful" in event.detail
    assert "Nguyen" not in event.detail


def test_anonymising_twice_changes_nothing_the_second_time(demo, riga_case):
    close(demo, riga_case, years_ago=6)
    assert retention.anonymise(riga_case, because=AnonymisedBecause.RETENTION) is True
    first = Case.objects.get(pk=riga_case.pk).anonymised_at
    assert retention.anonymise(riga_case, because=AnonymisedBecause.RETENTION) is False
    assert Case.objects.get(pk=riga_case.pk).anonymised_at == first
    assert (
        AuditEvent.objects.filter(object_id=str(riga_case.pk), action=AuditAction.ANONYMISE).count()
        == 1
    )


def test_a_case_within_its_retention_period_is_not_anonymised_for_retention(demo, riga_case):
    close(demo, riga_case, years_ago=4)
    with pytest.raises(ValidationError):
        retention.anonymise(riga_case, because=AnonymisedBecause.RETENTION)
    assert Case.objects.get(pk=riga_case.pk).anonymised_at is None
    assert Person.objects.get(case=riga_case).family_name == "Nguyen"


# Retention dates and states ---------------------------------------------------------------


def test_retention_follows_the_countrys_setting(demo, riga_case):
    close(demo, riga_case, years_ago=3)
    case = Case.objects.get(pk=riga_case.pk)
    assert retention.retention_until(case) == case.closed_on + relativedelta(years=5)
    assert retention.retention_state(case).state == RetentionState.RETAINED
    country = case.municipality.country
    country.retention_years = 2
    country.save()
    case = Case.objects.get(pk=riga_case.pk)
    assert retention.retention_state(case).state == RetentionState.DUE
    assert retention.cases_due(today()).filter(pk=case.pk).exists()


def test_retention_state_of_an_open_case_is_open(riga_case):
    state = retention.retention_state(riga_case)
    assert state.state == RetentionState.OPEN and state.until is None


def test_retention_until_and_cases_due_agree_on_29_february(demo, riga_case):
    Case.objects.filter(pk=riga_case.pk).update(
        lifecycle=Lifecycle.CLOSED, closed_on=datetime.date(2024, 2, 29)
    )
    case = Case.objects.get(pk=riga_case.pk)
    assert retention.retention_until(case) == datetime.date(2029, 3, 1)
    assert not retention.cases_due(datetime.date(2029, 2, 28)).filter(pk=case.pk).exists()
    assert retention.cases_due(datetime.date(2029, 3, 1)).filter(pk=case.pk).exists()
    assert retention.retention_state(case, datetime.date(2029, 2, 28)).state == "retained"
    assert retention.retention_state(case, datetime.date(2029, 3, 1)).state == "due"


# The daily task and the command --------------------------------------------------------------


def test_the_daily_task_anonymises_only_the_cases_past_their_retention(demo, open_case):
    from cases.tasks import anonymise_expired_cases

    due = open_case(family_name="Due")
    retained = open_case(family_name="Retained")
    still_open = open_case(family_name="Open")
    close(demo, due, days_ago=10)
    close(demo, retained, days_ago=1)
    with time_machine.travel(today() + relativedelta(years=5, days=-5), tick=False):
        anonymise_expired_cases()
    assert Case.objects.get(pk=due.pk).anonymised_at is not None
    assert Person.objects.get(case=due).family_name == ""
    for case, name in ((retained, "Retained"), (still_open, "Open")):
        assert Case.objects.get(pk=case.pk).anonymised_at is None
        assert Person.objects.get(case=case).family_name == name


def test_one_failing_case_does_not_stop_the_others(demo, open_case, monkeypatch):
    first, second = open_case(family_name="First"), open_case(family_name="Second")
    close(demo, first, years_ago=6)
    close(demo, second, years_ago=6)
    erase = retention._erase

    def failing(case, day):
        if case.pk == first.pk:
            raise RuntimeError("disk full")
        return erase(case, day)

    monkeypatch.setattr(retention, "_erase", failing)
    result = retention.anonymise_expired()
    assert first.reference in result.failed
    assert second.reference in result.anonymised
    assert Case.objects.get(pk=first.pk).anonymised_at is None
    assert Person.objects.get(case=first).family_name == "First"  # rolled back, untouched
    assert Case.objects.get(pk=second.pk).anonymised_at is not None


def test_the_command_lists_due_cases_in_a_dry_run_and_changes_nothing(demo, riga_case):
    close(demo, riga_case, years_ago=6)
    out = StringIO()
    call_command("anonymise_expired_cases", "--dry-run", stdout=out)
    assert f"{riga_case.reference} due" in out.getvalue()
    assert "Nguyen" not in out.getvalue()
    assert Case.objects.get(pk=riga_case.pk).anonymised_at is None
    call_command("anonymise_expired_cases", stdout=StringIO())
    assert Case.objects.get(pk=riga_case.pk).anonymised_at is not None


def test_the_task_is_scheduled_daily(settings):
    entry = next(
        e
        for e in settings.CELERY_BEAT_SCHEDULE.values()
        if e["task"] == "cases.tasks.anonymise_expired_cases"
    )
    assert entry["schedule"].hour == {2}


# Read-only afterwards ------------------------------------------------------------------------


@pytest.fixture
def anonymised(demo, riga_case):
    close(demo, riga_case, years_ago=6)
    retention.anonymise(riga_case, because=AnonymisedBecause.RETENTION)
    return Case.objects.get(pk=riga_case.pk)


def test_an_anonymised_case_refuses_every_change(demo, anonymised):
    coord, worker = demo.users["coord.riga"], demo.users["sw.riga"]
    attempts = [
        lambda: actions.update_person(by=worker, case=anonymised, given_names="Lan"),
        lambda: actions.add_note(
            by=worker, case=anonymised, kind="note", occurred_on=today(), text="x"
        ),
        lambda: actions.reopen_case(by=coord, case=anonymised),
        lambda: actions.assign_worker(by=coord, case=anonymised, user=worker),
    ]
    for attempt in attempts:
        with pytest.raises(ValidationError):
            attempt()
    case = Case.objects.get(pk=anonymised.pk)
    assert case.lifecycle == Lifecycle.CLOSED
    assert not case.notes.exists()


def test_case_page_says_anonymised_instead_of_personal_data(demo, client_for, anonymised):
    for username in ("coord.riga", "sw.riga"):
        page = client_for(demo.users[username]).get(
            reverse("case_detail", args=[anonymised.reference])
        )
        text = page.content.decode()
        assert page.status_code == 200
        assert "Anonymised on" in text and "retention period ended" in text
        assert anonymised.reference in text


def test_reopening_an_anonymised_case_from_the_page_is_refused_not_an_error(
    demo, client_for, anonymised
):
    client = client_for(demo.users["coord.riga"])
    response = client.post(reverse("case_reopen", args=[anonymised.reference]))
    assert response.status_code == 302
    assert Case.objects.get(pk=anonymised.pk).lifecycle == Lifecycle.CLOSED


def test_a_referral_of_an_anonymised_case_cannot_move(demo, riga_case):
    coord = demo.users["coord.riga"]
    chain = referral_actions.start_pathway(
        by=coord, case=riga_case, pathway=make_riga_pathway(demo)
    )
    sent = referral_actions.send(by=coord, referral=chain[0], to_actor=demo.actors["riga-shelter"])
    retention.anonymise(
        riga_case,
        because=AnonymisedBecause.ERASURE,
        by=coord,
        ground="objection",
        request_reference="R-1",
    )
    assert Referral.objects.get(pk=sent.pk).next_escalation_at is None
    with pytest.raises(ValidationError):
        referral_actions.accept(by=demo.users["provider.riga"], referral=sent)
    assert Referral.objects.get(pk=sent.pk).status == "sent"


# The retention page --------------------------------------------------------------------------


def test_coordinator_sees_the_retention_of_her_closed_cases(demo, client_for, open_case):
    due = open_case(family_name="Ozolina")
    retained = open_case(family_name="Berzina")
    gone = open_case(family_name="Kalnina")
    open_case(family_name="Liepina")  # open: not listed
    close(demo, due, years_ago=6)
    close(demo, retained, years_ago=1)
    close(demo, gone, years_ago=7)
    retention.anonymise(gone, because=AnonymisedBecause.RETENTION)
    client = client_for(demo.users["coord.riga"])
    page = client.get(reverse("case_retention"))
    assert page.status_code == 200
    text = page.content.decode()
    for case in (due, retained, gone):
        assert case.reference in text
    for name in ("Ozolina", "Berzina", "Kalnina", "Liepina"):
        assert name not in text
    states = {case.reference: state.state for case, state in page.context["rows"]}
    assert states[due.reference] == "due"
    assert states[retained.reference] == "retained"
    assert states[gone.reference] == "anonymised"
    until = {case.reference: state.until for case, state in page.context["rows"]}
    assert until[retained.reference] == today() - relativedelta(years=1) + relativedelta(years=5)

    due_only = client.get(reverse("case_retention"), {"state": "due"}).context["rows"]
    assert [c.reference for c, _s in due_only if c.pk in (due.pk, retained.pk, gone.pk)] == [
        due.reference
    ]
    anonymised_only = client.get(reverse("case_retention"), {"state": "anonymised"})
    assert {c.pk for c, _s in anonymised_only.context["rows"]} >= {gone.pk}
    assert due.pk not in {c.pk for c, _s in anonymised_only.context["rows"]}
    assert client.get(reverse("case_retention"), {"state": "nonsense"}).status_code == 200


def test_retention_list_runs_a_constant_number_of_queries(
    demo, client_for, open_case, django_assert_max_num_queries
):
    client = client_for(demo.users["coord.riga"])
    for _i in range(3):
        close(demo, open_case(), years_ago=2)
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("case_retention"))
    for _i in range(8):
        close(demo, open_case(), years_ago=2)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("case_retention"))


@pytest.mark.parametrize("username", ["sw.riga", "admin.riga", "provider.riga", "national.lv"])
def test_retention_list_is_only_for_coordinators(demo, client_for, username):
    response = client_for(demo.users[username]).get(reverse("case_retention"))
    assert response.status_code == 404


def test_coordinator_of_another_municipality_does_not_see_rigas_cases(demo, client_for, riga_case):
    close(demo, riga_case, years_ago=6)
    # A coordinator elsewhere: the page opens, with her own municipality's cases only.
    response = client_for(demo.users["coord.jelgava"]).get(reverse("case_retention"))
    assert response.status_code == 200
    assert riga_case.reference not in response.content.decode()


def test_only_the_cases_coordinator_may_anonymise(demo, riga_case):
    for username in REFUSED:
        with pytest.raises(PermissionDenied):
            retention.anonymise(
                riga_case,
                because=AnonymisedBecause.ERASURE,
                by=demo.users[username],
                ground="objection",
                request_reference="R-1",
            )
    assert Case.objects.get(pk=riga_case.pk).anonymised_at is None
