"""Tests against a running STROM with production settings (`.ci/production-check`).

Skipped unless STROM_LIVE_URL names the server. They then share its database (the same
DATABASE_URL, loaded with `load_demo --force`), its media folder and its encryption keys:
the URL sweep adds its objects to that database, committed, so that the server sees them.
Run them only against a throwaway database."""

import pytest

from tests.production.live import LIVE_URL


def pytest_collection_modifyitems(config, items):
    if LIVE_URL:
        return
    skip = pytest.mark.skip(reason="no live server: STROM_LIVE_URL is not set")
    for item in items:
        if "tests/production/" in item.nodeid:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def django_db_setup():
    """The server's own database, as it is: no test database, no reload of the demo."""


@pytest.fixture(autouse=True)
def _fast_password_hashing():
    """The server checks passwords with the production hashers: users made here need them."""


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """The counters are the server's: leave them alone."""
