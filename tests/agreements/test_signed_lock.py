"""Issue 14: once any party has signed a version, its text, parties and dates stay as they
were signed. To change them, the administrator first withdraws the signatures recorded, after
a page that names them; the withdrawal is audited. A draft nobody signed can be deleted."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils.formats import date_format

from agreements import actions
from agreements.models import Agreement, AgreementVersion, Clause, Party, Signature
from strom.audit import AuditEvent

pytestmark = pytest.mark.django_db

LOCKED = "Withdraw their signatures first"


@pytest.fixture
def one_signed(demo, mou):
    """Riga's MoU with the social service's signature recorded (1 of 4)."""
    party = mou.current_version.parties.order_by("order").first()
    actions.record_signature(
        by=demo.users["admin.riga"],
        party=party,
        signed_on=datetime.date(2026, 1, 2),
        signatory_name="Jānis Ozols",
    )
    mou.refresh_from_db()
    return mou


def snapshot(agreement):
    agreement = Agreement.objects.get(pk=agreement.pk)
    version = agreement.current_version
    return (
        (
            agreement.title,
            agreement.kind,
            agreement.language,
            agreement.effective_from,
            agreement.effective_until,
            agreement.review_on,
        ),
        list(version.clauses.values_list("pk", "title", "body", "order")),
        list(version.parties.values_list("pk", "actor", "signatory_name", "order")),
        list(Signature.objects.filter(party__version=version).values_list("pk", flat=True)),
    )


def attempts(demo, agreement):
    version = agreement.current_version
    clause = version.clauses.order_by("order").first()
    unsigned = version.parties.filter(signature__isnull=True).order_by("order").first()
    signed = version.parties.filter(signature__isnull=False).first()
    return {
        "clause_edit": (
            reverse("agreement_clause_edit", args=[agreement.pk, clause.pk]),
            {"title": "Costs", "body": "Every party pays everything."},
        ),
        "clause_add": (
            reverse("agreement_clause_add", args=[agreement.pk]),
            {"title": "New", "body": "New text"},
        ),
        "clause_move": (
            reverse("agreement_clause_move", args=[agreement.pk, clause.pk]),
            {"direction": "down"},
        ),
        "clause_remove": (reverse("agreement_clause_remove", args=[agreement.pk, clause.pk]), {}),
        "party_add": (
            reverse("agreement_party_add", args=[agreement.pk]),
            {"actor": demo.actors["riga-legal"].pk, "signatory_name": "X"},
        ),
        "party_edit_unsigned": (
            reverse("agreement_party_edit", args=[agreement.pk, unsigned.pk]),
            {"actor": unsigned.actor_id, "signatory_name": "Someone else"},
        ),
        "party_edit_signed": (
            reverse("agreement_party_edit", args=[agreement.pk, signed.pk]),
            {"actor": signed.actor_id, "signatory_name": "Someone else"},
        ),
        "party_remove_unsigned": (
            reverse("agreement_party_remove", args=[agreement.pk, unsigned.pk]),
            {},
        ),
        "party_remove_signed": (
            reverse("agreement_party_remove", args=[agreement.pk, signed.pk]),
            {},
        ),
        "agreement_edit_dates": (
            reverse("agreement_edit", args=[agreement.pk]),
            {
                "kind": "mou",
                "title": agreement.title,
                "language": "lv",
                "effective_from": "2026-03-01",
                "effective_until": "2029-12-31",
            },
        ),
        "agreement_edit_title": (
            reverse("agreement_edit", args=[agreement.pk]),
            {
                "kind": "mou",
                "title": "Changed",
                "language": "lv",
                "effective_from": "2026-01-01",
                "effective_until": "2028-12-31",
                "review_on": "2027-12-01",
            },
        ),
    }


ATTEMPTS = [
    "clause_edit",
    "clause_add",
    "clause_move",
    "clause_remove",
    "party_add",
    "party_edit_unsigned",
    "party_edit_signed",
    "party_remove_unsigned",
    "party_remove_signed",
    "agreement_edit_dates",
    "agreement_edit_title",
]


@pytest.mark.parametrize("attempt", ATTEMPTS)
def test_a_version_one_party_signed_cannot_change_by_any_request(
    demo, client_for, one_signed, attempt
):
    client = client_for(demo.users["admin.riga"])
    url, data = attempts(demo, one_signed)[attempt]
    before = snapshot(one_signed)
    response = client.post(url, data, follow=True)
    assert response.status_code == 200
    assert LOCKED in response.content.decode(), attempt
    assert snapshot(one_signed) == before
    # Its form is not offered either: opening it says why.
    if attempt in {"clause_edit", "clause_add", "party_add", "agreement_edit_dates"}:
        page = client.get(url, follow=True)
        assert LOCKED in page.content.decode()
        assert page.redirect_chain, attempt


@pytest.mark.parametrize(
    "change",
    [
        lambda by, v: actions.save_clause(
            by=by, clause=Clause(version=v, title="Costs", body="Changed")
        ),
        lambda by, v: actions.remove_clause(by=by, clause=v.clauses.first()),
        lambda by, v: actions.move_clause(by=by, clause=v.clauses.first(), direction="down"),
        lambda by, v: actions.remove_party(
            by=by, party=v.parties.filter(signature__isnull=True).first()
        ),
        lambda by, v: actions.update_agreement(
            by=by, agreement=v.agreement, effective_from=datetime.date(2026, 2, 1)
        ),
    ],
)
def test_the_actions_refuse_to_change_a_version_one_party_signed(demo, one_signed, change):
    before = snapshot(one_signed)
    with pytest.raises(ValidationError) as error:
        change(demo.users["admin.riga"], one_signed.current_version)
    assert LOCKED in " ".join(error.value.messages)
    assert snapshot(one_signed) == before


def test_the_remaining_parties_still_sign_and_the_pdf_has_the_text_they_signed(demo, one_signed):
    version = one_signed.current_version
    text = list(version.clauses.values_list("body", flat=True))
    for party in version.parties.filter(signature__isnull=True):
        actions.record_signature(
            by=demo.users["admin.riga"],
            party=party,
            signed_on=datetime.date(2026, 1, 3),
            signatory_name=party.signatory_name,
        )
    version.refresh_from_db()
    assert version.is_frozen and version.pdf
    assert list(version.clauses.values_list("body", flat=True)) == text


def test_the_detail_page_offers_no_edits_but_the_withdrawal(demo, client_for, one_signed):
    response = client_for(demo.users["admin.riga"]).get(
        reverse("agreement_detail", args=[one_signed.pk])
    )
    page = response.content.decode()
    assert reverse("agreement_edit", args=[one_signed.pk]) not in page
    assert reverse("agreement_clause_add", args=[one_signed.pk]) not in page
    assert reverse("agreement_party_add", args=[one_signed.pk]) not in page
    assert reverse("agreement_signatures_withdraw", args=[one_signed.pk]) in page
    assert "Record the signature" in page  # the other parties still sign


def test_withdrawing_the_signatures_names_them_then_lets_edits_work_again(
    demo, client_for, one_signed
):
    client = client_for(demo.users["admin.riga"])
    version = one_signed.current_version
    party = version.parties.order_by("order").first()
    actions.record_signature(
        by=demo.users["admin.riga"],
        party=version.parties.order_by("order")[1],
        signed_on=datetime.date(2026, 1, 3),
        signatory_name="Ģirts Ķēniņš",
    )
    url = reverse("agreement_signatures_withdraw", args=[one_signed.pk])
    confirm = client.get(url)
    assert confirm.status_code == 200
    page = confirm.content.decode()
    for name in (party.actor.name, "Jānis Ozols", "Ģirts Ķēniņš", "State Police"):
        assert name in page or name.replace("ā", "&#257;") in page, name
    assert "admin.riga" in page or demo.users["admin.riga"].get_full_name() in page
    assert date_format(datetime.date(2026, 1, 2), "SHORT_DATE_FORMAT") in page
    assert Signature.objects.filter(party__version=version).count() == 2  # GET changes nothing

    shown = confirm.context["signatures"]
    response = client.post(url, {"signature": [s.pk for s in shown]}, follow=True)
    assert "Signatures withdrawn" in response.content.decode()
    assert not Signature.objects.filter(party__version=version).exists()
    event = AuditEvent.objects.get(
        object_id=str(one_signed.pk), detail__startswith="signatures withdrawn"
    )
    assert event.action in ("change", "delete")
    assert str(party.actor_id) in event.detail and "2026-01-02" in event.detail

    clause = version.clauses.order_by("order").first()
    client.post(
        reverse("agreement_clause_edit", args=[one_signed.pk, clause.pk]),
        {"title": "Costs", "body": "Every party pays its own costs."},
    )
    assert Clause.objects.get(pk=clause.pk).body == "Every party pays its own costs."


def test_a_signature_recorded_after_the_confirmation_page_is_not_withdrawn_unseen(
    demo, client_for, one_signed
):
    client = client_for(demo.users["admin.riga"])
    url = reverse("agreement_signatures_withdraw", args=[one_signed.pk])
    shown = [s.pk for s in client.get(url).context["signatures"]]
    version = one_signed.current_version
    actions.record_signature(
        by=demo.users["admin.riga"],
        party=version.parties.filter(signature__isnull=True).first(),
        signed_on=datetime.date(2026, 1, 3),
        signatory_name="Ģirts Ķēniņš",
    )
    response = client.post(url, {"signature": shown}, follow=True)
    assert "changed since" in response.content.decode()
    assert Signature.objects.filter(party__version=version).count() == 2


def test_a_fully_signed_version_cannot_have_its_signatures_withdrawn(demo, client_for, signed):
    client = client_for(demo.users["admin.riga"])
    version = signed.current_version
    url = reverse("agreement_signatures_withdraw", args=[signed.pk])
    ids = list(Signature.objects.filter(party__version=version).values_list("pk", flat=True))
    response = client.post(url, {"signature": ids}, follow=True)
    assert "Start an amendment" in response.content.decode()
    assert Signature.objects.filter(party__version=version).count() == 4
    with pytest.raises(ValidationError):
        actions.withdraw_signatures(by=demo.users["admin.riga"], agreement=signed, seen=ids)


@pytest.mark.parametrize("username", ["coord.riga", "sw.riga", "admin.jelgava", "national.lv"])
def test_only_the_administrator_withdraws_signatures(demo, client_for, one_signed, username):
    client = client_for(demo.users[username])
    url = reverse("agreement_signatures_withdraw", args=[one_signed.pk])
    ids = list(
        Signature.objects.filter(party__version__agreement=one_signed).values_list("pk", flat=True)
    )
    assert client.get(url).status_code == 404
    assert client.post(url, {"signature": ids}).status_code == 404
    assert Signature.objects.filter(pk__in=ids).count() == 1


# Deleting a draft ------------------------------------------------------------------------


def test_the_administrator_deletes_a_draft_after_a_confirmation(demo, client_for, mou):
    client = client_for(demo.users["admin.riga"])
    url = reverse("agreement_delete", args=[mou.pk])
    detail = client.get(reverse("agreement_detail", args=[mou.pk])).content.decode()
    assert url in detail
    confirm = client.get(url)
    assert confirm.status_code == 200 and mou.title in confirm.content.decode()
    assert Agreement.objects.filter(pk=mou.pk).exists()
    response = client.post(url, follow=True)
    assert response.redirect_chain[-1][0] == reverse("agreement_list")
    assert "deleted" in response.content.decode()
    assert not Agreement.objects.filter(pk=mou.pk).exists()
    assert not AgreementVersion.objects.filter(agreement_id=mou.pk).exists()
    assert not Party.objects.filter(version__agreement_id=mou.pk).exists()
    event = AuditEvent.objects.get(action="delete", object_id=str(mou.pk))
    assert mou.number in event.object_label


@pytest.mark.parametrize("username", ["admin.jelgava", "coord.riga", "sw.riga", "national.lv"])
def test_only_its_administrator_deletes_a_draft(demo, client_for, mou, username):
    client = client_for(demo.users[username])
    url = reverse("agreement_delete", args=[mou.pk])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert Agreement.objects.filter(pk=mou.pk).exists()
    with pytest.raises(PermissionDenied):
        actions.delete_agreement(by=demo.users[username], agreement=mou)


@pytest.mark.parametrize("fixture", ["one_signed", "signed"])
def test_a_signed_agreement_cannot_be_deleted(demo, client_for, request, fixture):
    agreement = request.getfixturevalue(fixture)
    client = client_for(demo.users["admin.riga"])
    url = reverse("agreement_delete", args=[agreement.pk])
    detail = client.get(reverse("agreement_detail", args=[agreement.pk])).content.decode()
    assert url not in detail
    response = client.post(url, follow=True)
    assert "cannot be deleted" in response.content.decode()
    assert Agreement.objects.filter(pk=agreement.pk).exists()
    with pytest.raises(ValidationError):
        actions.delete_agreement(by=demo.users["admin.riga"], agreement=agreement)
    assert not AuditEvent.objects.filter(action="delete", object_id=str(agreement.pk)).exists()


def test_an_agreement_whose_signatures_were_withdrawn_can_be_deleted(demo, one_signed):
    version = one_signed.current_version
    ids = list(Signature.objects.filter(party__version=version).values_list("pk", flat=True))
    actions.withdraw_signatures(by=demo.users["admin.riga"], agreement=one_signed, seen=ids)
    actions.delete_agreement(by=demo.users["admin.riga"], agreement=one_signed)
    assert not Agreement.objects.filter(pk=one_signed.pk).exists()
