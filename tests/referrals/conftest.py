import pytest

from referrals import actions
from referrals.models import Pathway, PathwayStep


def make_riga_pathway(demo):
    """A small Riga pathway: accommodation within 24 hours, a reasonable-grounds assessment
    within 5 working days."""
    national = Pathway.objects.create(
        name="LV national (test)", country_id=demo.municipalities["RIX"].country_id
    )
    pathway = Pathway.objects.create(
        name="Riga (test)",
        country_id=national.country_id,
        municipality=demo.municipalities["RIX"],
        origin=national,
    )
    PathwayStep.objects.create(
        pathway=pathway,
        order=1,
        name="Safety and accommodation",
        responsible_kind="shelter",
        responsible_actor=demo.actors["riga-shelter"],
        need_category="safe_accommodation",
        response_limit=24,
        response_unit="hours",
        completion_limit=3,
        completion_unit="working_days",
        reminder_hours=2,
        grace_hours=24,
    )
    PathwayStep.objects.create(
        pathway=pathway,
        order=2,
        name="Reasonable-grounds assessment",
        responsible_kind="social_service",
        need_category="social_assistance",
        response_limit=5,
        response_unit="working_days",
    )
    return pathway


@pytest.fixture
def riga_pathway(demo):
    return make_riga_pathway(demo)


@pytest.fixture
def chain(demo, riga_case, riga_pathway):
    """The pathway started on the Riga case: two draft referrals."""
    return actions.start_pathway(by=demo.users["coord.riga"], case=riga_case, pathway=riga_pathway)


@pytest.fixture
def sent(demo, chain):
    """The first step sent to the shelter."""
    return actions.send(
        by=demo.users["coord.riga"], referral=chain[0], to_actor=demo.actors["riga-shelter"]
    )
