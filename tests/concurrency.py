"""Helpers for tests of concurrent and repeated submissions: signed-in clients, the one-time
token a form carries, and posts sent from several threads at the same moment."""

import re
import threading

from django.db import connection, connections
from django.test import Client

from tests.conftest import pass_second_factor

TOKEN = re.compile(r'name="once" value="([A-Za-z0-9_-]+)"')

# Row locks and concurrent transactions need a real server; SQLite serialises everything.
needs_postgresql = {
    "condition": connection.vendor != "postgresql",
    "reason": "concurrent transactions need PostgreSQL (CI runs it)",
}


def signed_in(user):
    client = Client()
    client.force_login(user)
    pass_second_factor(client, user)
    return client


def form_token(client, url):
    """The one-time token of the form on the page at `url`."""
    response = client.get(url)
    assert response.status_code == 200
    match = TOKEN.search(response.content.decode())
    assert match, f"the form at {url} carries no one-time token"
    return match.group(1)


def at_once(clients, post):
    """Call post(client) in one thread per client, all released at the same moment. Returns
    what each call returned, or the exception it raised (the test client re-raises a
    server error)."""
    barrier = threading.Barrier(len(clients))
    results = [None] * len(clients)

    def run(index, client):
        try:
            barrier.wait(timeout=60)
            results[index] = post(client)
        except Exception as error:  # noqa: BLE001 - reported to the test
            results[index] = error
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=run, args=(index, client)) for index, client in enumerate(clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def errors_in(results):
    return [r for r in results if isinstance(r, BaseException)]
