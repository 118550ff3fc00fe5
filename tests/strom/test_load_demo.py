from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from strom.models import Actor, Membership, Municipality

pytestmark = pytest.mark.django_db


def test_load_demo_twice_changes_nothing(demo):
    counts = (Actor.objects.count(), Membership.objects.count(), Municipality.objects.count())
    call_command("load_demo", force=True, stdout=StringIO())
    assert counts == (
        Actor.objects.count(),
        Membership.objects.count(),
        Municipality.objects.count(),
    )


def test_every_demo_user_signs_in_with_the_demo_password(demo):
    from tests.conftest import DEMO_PASSWORD

    for user in demo.users.values():
        assert user.check_password(DEMO_PASSWORD), user.username
    assert len(demo.users) == 15


def test_load_demo_is_refused_with_debug_off(settings, db):
    get_user_model().objects.filter(username="sw.riga").update(first_name="Changed")
    settings.DEBUG = False
    with pytest.raises(CommandError, match="Refusing"):
        call_command("load_demo", stdout=StringIO())
    assert get_user_model().objects.get(username="sw.riga").first_name == "Changed"


def test_load_demo_prints_the_logins(db):
    out = StringIO()
    call_command("load_demo", force=True, stdout=out)
    assert "sw.riga" in out.getvalue() and "national.ee" in out.getvalue()
