import datetime

import pytest

from agreements import actions
from agreements.models import Party


@pytest.fixture
def mou(demo):
    """A Latvian MoU of Riga with the social service, the police, the shelter and the clinic."""
    agreement = actions.create_agreement(
        by=demo.users["admin.riga"],
        municipality=demo.municipalities["RIX"],
        kind="mou",
        title="Sadarbības memorands par palīdzību cilvēku tirdzniecības upuriem",
        language="lv",
        effective_from=datetime.date(2026, 1, 1),
        effective_until=datetime.date(2028, 12, 31),
        review_on=datetime.date(2027, 12, 1),
    )
    version = agreement.current_version
    for key, signatory in [
        ("riga-social", "Jānis Ozols"),
        ("riga-police", "Ģirts Ķēniņš"),
        ("riga-shelter", "Līga Liepa"),
        ("riga-clinic", "Žanna Čakste"),
    ]:
        actions.save_party(
            by=demo.users["admin.riga"],
            party=Party(
                version=version,
                actor=demo.actors[key],
                signatory_name=signatory,
                contact_name="Dežurants",
                contact_phone="+371 2000 0000",
                deputy_name="Vietnieks",
                deputy_phone="+371 2000 0001",
            ),
        )
    return agreement


@pytest.fixture
def signed(demo, mou):
    version = mou.current_version
    for party in version.parties.all():
        actions.record_signature(
            by=demo.users["admin.riga"],
            party=party,
            signed_on=datetime.date(2026, 1, 1),
            signatory_name=party.signatory_name,
        )
    mou.refresh_from_db()
    return mou
