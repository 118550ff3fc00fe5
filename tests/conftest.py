from datetime import timedelta
from io import StringIO
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from strom.management.commands.load_demo import ACTORS, USERS
from strom.models import Actor, Municipality

DEMO_PASSWORD = "strom-demo"
FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Demo data hashes fifteen passwords; the real hasher would make each test slow.
    settings.PASSWORD_HASHERS = FAST_HASHER
    settings.STROM_DEMO_PASSWORD = DEMO_PASSWORD


@pytest.fixture(autouse=True)
def _form_tokens(request, settings):
    """Production refuses a create form posted without its one-time token (cases.once).
    Most tests post forms without one; the tests of the tokens (marked `form_tokens`) and
    the browser tests, which post real forms, run as production does."""
    keywords = request.node.keywords
    settings.STROM_FORM_TOKENS_REQUIRED = "form_tokens" in keywords or "e2e" in keywords


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The demo world is loaded once per test session; each test runs in a transaction that
    is rolled back, so no test sees another's changes."""
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST_HASHER, STROM_DEMO_PASSWORD=DEMO_PASSWORD),
    ):
        call_command("load_demo", force=True, stdout=StringIO())


def _load_demo():
    # Idempotent: a no-op when the session's data is there, a reload after a
    # transactional test emptied the database.
    call_command("load_demo", force=True, stdout=StringIO())
    return _demo_world()


def _demo_world():
    User = get_user_model()
    users = {u.username: u for u in User.objects.filter(username__in=[row[0] for row in USERS])}
    names = {row[1]: row[0] for row in ACTORS}
    actors = {names[a.name]: a for a in Actor.objects.filter(name__in=names)}
    municipalities = {m.code: m for m in Municipality.objects.all()}
    return SimpleNamespace(users=users, actors=actors, municipalities=municipalities)


@pytest.fixture
def demo(db):
    """The demo world of `load_demo`: users by user name, actors by key, municipalities by
    code, and its cases."""
    return _demo_world()


def pass_second_factor(client, user):
    """Mark the test client's session as having given the second factor."""
    from strom.twofactor import pass_for_test_client

    pass_for_test_client(client, user)


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Rate-limit counters live in the cache; every test starts with none."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture
def client_for(client):
    """A test client signed in as the given demo user."""

    def sign_in(user, *, second_factor=True):
        client.force_login(user)
        if second_factor:
            pass_second_factor(client, user)
        return client

    return sign_in


@pytest.fixture
def open_case(demo):
    """Register a case the way a social worker does; returns it fresh from the database."""

    def _open(by="sw.riga", municipality="RIX", days_ago=1, **person):
        person.setdefault("age_years", 16)
        person.setdefault("age_is_estimate", True)
        from cases import actions
        from cases.models import Case, Exploitation, Person

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
        gender="woman",
        citizenship="VN",
        languages=["vi", "en"],
        interpreter_needed=True,
    )
