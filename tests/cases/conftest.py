from datetime import timedelta

import pytest
from django.utils import timezone

from cases import actions
from cases.models import Case, Exploitation, Person


@pytest.fixture
def open_case(demo):
    """Register a case the way a social worker does; returns it fresh from the database."""

    def _open(by="sw.riga", municipality="RIX", days_ago=1, **person):
        person.setdefault("age_years", 16)
        person.setdefault("age_is_estimate", True)
        case = actions.open_case(
            by=demo.users[by],
            municipality=demo.municipalities[municipality],
            first_contact_on=timezone.localdate() - timedelta(days=days_ago),
            person=Person(**person),
            exploitation=Exploitation(labour_sector="S"),
            forms=["forced_labour"],
            needs=[("safe_accommodation", "immediate"), ("interpretation", "immediate")],
        )
        return Case.objects.get(pk=case.pk)

    return _open


@pytest.fixture
def riga_case(open_case):
    return open_case(
        given_names="Lan",
        family_name="Nguyen",
        citizenship="VN",
        languages=["vi", "en"],
        interpreter_needed=True,
    )
