"""Before a step is sent, the coordinator is told why the organisation or service may not fit
the person (the rules of services.matching); she can still send it, with a recorded reason.
"To a person there" lists only the organisation's active staff who can read referrals."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from referrals import actions
from referrals.models import Referral
from services.models import Service
from strom.audit import AuditEvent
from strom.models import Membership, Role

pytestmark = pytest.mark.django_db


def shelter_service(demo):
    return Service.objects.get(provider=demo.actors["riga-shelter"], name__startswith="Safe House")


def post_send(client, referral, **data):
    return client.post(reverse("referral_send", args=[referral.pk]), data)


def send_data(demo, reason=None, **extra):
    data = {"to_actor": demo.actors["riga-shelter"].pk, "service": shelter_service(demo).pk}
    if reason is not None:
        data["override_reason"] = reason
    data.update(extra)
    return data


def make_unfit(demo, kind):
    """Make the Riga shelter's service unfit for the Riga case's person (a girl of 16, a
    potential victim) in one way; returns a word of the warning she must see."""
    service = shelter_service(demo)
    if kind == "age":
        service.minimum_age = 18
        service.save()
        return "outside"
    if kind == "identification":
        service.required_status = "identified"
        service.save()
        return "Formally identified victims only"
    if kind == "capacity":
        service.capacity_available = 0
        service.save()
        return "No free capacity"
    if kind == "area":
        # A coordinator of Riga and Jelgava sees Jelgava's services too.
        Membership.objects.create(
            user=demo.users["coord.riga"],
            actor=demo.actors["jelgava-social"],
            role=Role.COORDINATOR,
        )
        service.municipality = demo.municipalities["JEL"]
        service.save()
        return "Out of area"
    raise AssertionError(kind)


@pytest.mark.parametrize("kind", ["age", "identification", "capacity", "area"])
def test_sending_an_unfit_service_without_a_reason_is_refused_with_the_warnings(
    demo, client_for, chain, kind
):
    word = make_unfit(demo, kind)
    client = client_for(demo.users["coord.riga"])
    response = post_send(client, chain[0], **send_data(demo))
    page = response.content.decode()
    assert response.status_code == 200
    assert word in page
    assert 'id="send-warnings"' in page
    assert "Give a reason for sending anyway" in page
    assert 'name="override_reason"' in page
    referral = Referral.objects.get(pk=chain[0].pk)
    assert referral.status == "draft" and referral.to_actor_id in (None, chain[0].to_actor_id)
    assert not referral.transitions.filter(to_status="sent").exists()


def test_a_man_is_warned_of_for_a_shelter_for_women(demo, client_for, open_case, riga_pathway):
    case = open_case(given_names="Ivan", family_name="Petrov", gender="man", age_years=34)
    chain = actions.start_pathway(by=demo.users["coord.riga"], case=case, pathway=riga_pathway)
    client = client_for(demo.users["coord.riga"])
    response = post_send(client, chain[0], **send_data(demo, reason="  "))
    assert response.status_code == 200
    assert "Does not accept" in response.content.decode()
    assert Referral.objects.get(pk=chain[0].pk).status == "draft"


def test_a_boy_of_16_is_not_warned_of_for_a_shelter_for_women_and_children(
    demo, client_for, open_case, riga_pathway
):
    case = open_case(given_names="Ivan", family_name="Petrov", gender="man", age_years=16)
    chain = actions.start_pathway(by=demo.users["coord.riga"], case=case, pathway=riga_pathway)
    client = client_for(demo.users["coord.riga"])
    page = client.get(reverse("referral_detail", args=[chain[0].pk])).content.decode()
    assert 'name="override_reason"' not in page
    assert post_send(client, chain[0], **send_data(demo)).status_code == 302
    assert Referral.objects.get(pk=chain[0].pk).status == "sent"


def test_an_organisation_of_another_municipality_is_warned_of(demo, client_for, chain):
    Membership.objects.create(
        user=demo.users["coord.riga"], actor=demo.actors["jelgava-social"], role=Role.COORDINATOR
    )
    client = client_for(demo.users["coord.riga"])
    response = post_send(client, chain[1], to_actor=demo.actors["jelgava-social"].pk)
    assert response.status_code == 200
    assert "the organisation does not work in the case" in response.content.decode()
    assert Referral.objects.get(pk=chain[1].pk).status == "draft"


def test_with_a_reason_it_is_sent_and_the_reason_is_recorded(demo, client_for, chain):
    make_unfit(demo, "capacity")
    client = client_for(demo.users["coord.riga"])
    reason = "The shelter manager confirmed a bed by phone"
    response = post_send(client, chain[0], **send_data(demo, reason=reason))
    assert response.status_code == 302
    referral = Referral.objects.get(pk=chain[0].pk)
    assert referral.status == "sent" and referral.service == shelter_service(demo)
    sent = referral.transitions.get(to_status="sent")
    assert reason in sent.note and sent.by == demo.users["coord.riga"]
    event = AuditEvent.objects.filter(detail__contains=f"referral {referral.pk} sent").last()
    assert "despite 1 warning" in event.detail
    assert "Lan" not in event.detail and "Nguyen" not in event.detail
    page = client.get(reverse("referral_detail", args=[referral.pk])).content.decode()
    assert reason in page


def test_the_action_refuses_an_unfit_send_without_a_reason(demo, chain):
    from django.core.exceptions import ValidationError

    make_unfit(demo, "age")
    with pytest.raises(ValidationError):
        actions.send(
            by=demo.users["coord.riga"],
            referral=chain[0],
            to_actor=demo.actors["riga-shelter"],
            service=shelter_service(demo),
        )
    assert Referral.objects.get(pk=chain[0].pk).status == "draft"


def test_no_warning_no_reason_field(demo, client_for, chain):
    client = client_for(demo.users["coord.riga"])
    page = client.get(reverse("referral_detail", args=[chain[0].pk])).content.decode()
    assert 'name="override_reason"' not in page and 'id="send-warnings"' not in page
    response = post_send(client, chain[0], **send_data(demo, reason="not needed"))
    assert response.status_code == 302
    sent = Referral.objects.get(pk=chain[0].pk).transitions.get(to_status="sent")
    assert "not needed" not in sent.note


# To a person there --------------------------------------------------------------------------


def staff_choices(demo, client_for, referral):
    from referrals.forms import SendForm

    form = SendForm(user=demo.users["coord.riga"], referral=referral)
    return set(form.fields["to_user"].queryset)


def make_user(username, actor, role=Role.SERVICE_PROVIDER, *, active=True, ended=False):
    user = get_user_model().objects.create_user(
        username=username, first_name=username.title(), last_name="Test", is_active=active
    )
    Membership.objects.create(
        user=user,
        actor=actor,
        role=role,
        ended_at=timezone.now() - timedelta(days=1) if ended else None,
    )
    return user


def test_the_person_list_has_only_active_staff_who_can_read_referrals(demo, client_for, chain):
    shelter = demo.actors["riga-shelter"]
    current = make_user("current", shelter)
    gone = make_user("gone", shelter, active=False)
    left = make_user("left", shelter, ended=True)
    # Left the shelter, still a worker elsewhere: not shelter staff.
    Membership.objects.create(user=left, actor=demo.actors["riga-social"], role=Role.SOCIAL_WORKER)
    choices = staff_choices(demo, client_for, chain[0])
    assert current in choices and demo.users["provider.riga"] in choices
    assert gone not in choices and left not in choices
    assert demo.users["sw.riga"] not in choices  # a social worker cannot read a referral
    client = client_for(demo.users["coord.riga"])
    page = client.get(reverse("referral_detail", args=[chain[0].pk])).content.decode()
    assert "Current Test (" in page and "Left Test" not in page


def test_sending_to_a_person_who_left_the_organisation_is_refused(demo, client_for, chain):
    shelter = demo.actors["riga-shelter"]
    left = make_user("left", shelter, ended=True)
    # Now at the clinic: listed, but not for the shelter.
    Membership.objects.create(
        user=left, actor=demo.actors["riga-clinic"], role=Role.SERVICE_PROVIDER
    )
    client = client_for(demo.users["coord.riga"])
    response = post_send(client, chain[0], to_actor=shelter.pk, to_user=left.pk)
    assert response.status_code == 200
    assert "does not work at the organisation" in response.content.decode()
    assert Referral.objects.get(pk=chain[0].pk).status == "draft"
