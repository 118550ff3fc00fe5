import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from agreements import actions
from agreements.models import Agreement, Clause, Party, Reminder, Signature
from strom.audit import AuditEvent

pytestmark = pytest.mark.django_db


def test_signing_by_every_party_freezes_the_version_and_stores_its_pdf(signed):
    version = signed.current_version
    assert version.is_frozen
    assert version.pdf and len(version.pdf_sha256) == 64
    assert signed.status == "in_force"


def test_a_signed_version_cannot_be_changed_by_any_request(demo, client_for, signed):
    version = signed.current_version
    client = client_for(demo.users["admin.riga"])
    clause = version.clauses.first()
    party = version.parties.first()
    before = (
        list(version.clauses.values_list("title", "body", "order")),
        list(version.parties.values_list("actor", "signatory_name")),
    )
    attempts = [
        (
            reverse("agreement_clause_edit", args=[signed.pk, clause.pk]),
            {"title": "Changed", "body": "Changed"},
        ),
        (reverse("agreement_clause_add", args=[signed.pk]), {"title": "New", "body": "New"}),
        (reverse("agreement_clause_move", args=[signed.pk, clause.pk]), {"direction": "down"}),
        (reverse("agreement_clause_remove", args=[signed.pk, clause.pk]), {}),
        (
            reverse("agreement_party_edit", args=[signed.pk, party.pk]),
            {"actor": party.actor_id, "signatory_name": "Someone else"},
        ),
        (reverse("agreement_party_remove", args=[signed.pk, party.pk]), {}),
        (
            reverse("agreement_party_add", args=[signed.pk]),
            {"actor": demo.actors["riga-legal"].pk, "signatory_name": "X"},
        ),
        (
            reverse("agreement_edit", args=[signed.pk]),
            {"kind": "mou", "title": "Changed", "language": "lv", "effective_from": "2026-01-01"},
        ),
        (
            reverse("agreement_sign", args=[signed.pk]),
            {"party": party.pk, "signatory_name": "X", "signed_on": "2026-01-02"},
        ),
    ]
    for url, data in attempts:
        client.post(url, data)
    assert before == (
        list(version.clauses.values_list("title", "body", "order")),
        list(version.parties.values_list("actor", "signatory_name")),
    )
    signed.refresh_from_db()
    assert signed.title.startswith("Sadarbības")


def test_an_amendment_is_a_new_version_and_keeps_the_old_one(demo, signed):
    old = signed.current_version
    new = actions.amend(by=demo.users["admin.riga"], agreement=signed)
    assert new.number == 2 and not new.is_frozen
    assert new.parties.count() == old.parties.count()
    assert new.clauses.count() == old.clauses.count()
    clause = new.clauses.first()
    clause.body = "Amended text"
    actions.save_clause(by=demo.users["admin.riga"], clause=clause)
    assert old.clauses.first().body != "Amended text"
    assert old.pdf


@pytest.mark.parametrize(
    "fields",
    [
        {"effective_from": datetime.date(2027, 1, 1), "effective_until": datetime.date(2026, 1, 1)},
        {
            "effective_from": datetime.date(2027, 1, 1),
            "effective_until": datetime.date(2028, 1, 1),
            "review_on": datetime.date(2029, 1, 1),
        },
        {"effective_from": datetime.date(2027, 1, 1), "title": ""},
    ],
)
def test_bad_agreement_dates_or_title_write_nothing(demo, fields):
    count = Agreement.objects.count()
    with pytest.raises(ValidationError):
        actions.create_agreement(
            by=demo.users["admin.riga"],
            municipality=demo.municipalities["RIX"],
            kind="mou",
            title=fields.pop("title", "MoU"),
            language="en",
            **fields,
        )
    assert Agreement.objects.count() == count


@pytest.mark.parametrize("actor", ["tallinn-ngo", "jelgava-police", "riga-shelter"])
def test_parties_from_another_country_or_municipality_or_twice_are_refused(demo, mou, actor):
    count = Party.objects.count()
    with pytest.raises(ValidationError):
        actions.save_party(
            by=demo.users["admin.riga"],
            party=Party(version=mou.current_version, actor=demo.actors[actor], signatory_name="X"),
        )
    assert Party.objects.count() == count


def test_an_empty_clause_is_refused(demo, mou):
    clause = mou.current_version.clauses.first()
    clause.body = "   "
    with pytest.raises(ValidationError):
        actions.save_clause(by=demo.users["admin.riga"], clause=clause)
    assert Clause.objects.get(pk=clause.pk).body.strip()


def test_administrator_of_another_municipality_cannot_change_it(demo, mou):
    with pytest.raises(PermissionDenied):
        actions.start_negotiation(by=demo.users["admin.jelgava"], agreement=mou)


def test_daily_task_sets_statuses_and_reminds_once(demo, mou):
    version = mou.current_version
    for party in version.parties.all():
        actions.record_signature(
            by=demo.users["admin.riga"],
            party=party,
            signed_on=datetime.date(2025, 12, 1),
            signatory_name=party.signatory_name,
            today=datetime.date(2025, 12, 1),
        )
    mou.refresh_from_db()
    assert mou.status == "signed"  # from 1 January 2026
    assert actions.daily(today=datetime.date(2026, 1, 1))["in_force"] == 1
    first = actions.daily(today=datetime.date(2027, 10, 10))  # 52 days before the review
    again = actions.daily(today=datetime.date(2027, 10, 10))
    assert first["reminders"] == 1 and again["reminders"] == 0
    assert demo.users["admin.riga"].notifications.filter(kind="agreement_review").count() == 1
    assert actions.daily(today=datetime.date(2029, 1, 1))["expired"] == 1
    assert Reminder.objects.filter(agreement=mou).exists()


READERS = {
    "admin.riga",
    "coord.riga",
    "national.lv",
    "sw.riga",
    "provider.riga",
}  # staff of parties
ROLES = [
    "sw.riga",
    "coord.riga",
    "admin.riga",
    "provider.riga",
    "national.lv",
    "admin.jelgava",
    "coord.jelgava",
    "national.ee",
    "provider.tallinn",
]


@pytest.mark.parametrize("username", ROLES)
def test_agreement_pages_by_role(demo, client_for, mou, username):
    client = client_for(demo.users[username])
    detail = client.get(reverse("agreement_detail", args=[mou.pk]))
    assert detail.status_code == (200 if username in READERS else 404)
    pdf = client.get(reverse("agreement_pdf", args=[mou.pk, 1]))
    assert pdf.status_code == (200 if username in READERS else 404)
    edit = client.get(reverse("agreement_edit", args=[mou.pk]))
    assert edit.status_code == (200 if username == "admin.riga" else 404)
    create = client.get(reverse("agreement_create"))
    assert create.status_code == (200 if username in {"admin.riga", "admin.jelgava"} else 404)


@pytest.mark.parametrize("username", [r for r in ROLES if r != "admin.riga"])
def test_only_the_administrator_changes_an_agreement(demo, client_for, mou, username):
    client = client_for(demo.users[username])
    version = mou.current_version
    party = version.parties.first()
    for name, args, data in [
        ("agreement_negotiate", [mou.pk], {}),
        (
            "agreement_sign",
            [mou.pk],
            {"party": party.pk, "signatory_name": "X", "signed_on": "2026-01-01"},
        ),
        ("agreement_clause_remove", [mou.pk, version.clauses.first().pk], {}),
        ("agreement_party_remove", [mou.pk, party.pk], {}),
        ("agreement_amend", [mou.pk], {}),
        ("agreement_terminate", [mou.pk], {"terminated_on": "2026-06-01"}),
    ]:
        assert client.post(reverse(name, args=args), data).status_code == 404, name
    mou.refresh_from_db()
    assert mou.status == "draft"
    assert not Signature.objects.filter(party__version=version).exists()


def test_each_download_and_signature_is_audited(demo, client_for, mou):
    client = client_for(demo.users["admin.riga"])
    response = client.get(reverse("agreement_pdf", args=[mou.pk, 1]))
    assert response["Content-Type"] == "application/pdf"
    assert AuditEvent.objects.filter(action="print", object_id=str(mou.pk)).exists()
    party = mou.current_version.parties.first()
    client.post(
        reverse("agreement_sign", args=[mou.pk]),
        {"party": party.pk, "signatory_name": "Jānis Ozols", "signed_on": "2026-01-01"},
    )
    assert AuditEvent.objects.filter(object_id=str(mou.pk), detail__startswith="signature").exists()


def test_national_coordinator_sees_agreements_in_force_by_kind(demo, client_for, signed):
    response = client_for(demo.users["national.lv"]).get(reverse("agreement_list"))
    overview = response.context["overview"]
    row = dict(overview["rows"])
    riga = next(m for m in row if m.code == "RIX")
    kinds = [k for k, _label in overview["kinds"]]
    in_force_with_police = (
        Agreement.objects.filter(
            municipality=riga, status="in_force", versions__parties__actor__kind="police"
        )
        .distinct()
        .count()
    )
    assert row[riga][kinds.index("police")] == in_force_with_police >= 1
    jelgava = next(m for m in row if m.code == "JEL")
    assert row[jelgava][kinds.index("police")] == 0  # Jelgava's is still in negotiation


def test_a_new_agreement_starts_from_the_clause_templates_of_its_language(demo):
    from agreements.models import ClauseTemplate

    ClauseTemplate.objects.filter(language="en", key="costs").update(
        title="Costs (as adapted nationally)"
    )
    agreement = actions.create_agreement(
        by=demo.users["admin.riga"],
        municipality=demo.municipalities["RIX"],
        kind="agreement",
        title="Agreement",
        language="en",
        effective_from=datetime.date(2027, 1, 1),
    )
    titles = list(agreement.current_version.clauses.values_list("title", flat=True))
    assert "Costs (as adapted nationally)" in titles
    assert len(titles) == ClauseTemplate.objects.filter(language="en").count() == 13
