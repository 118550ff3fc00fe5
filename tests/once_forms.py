"""Helpers for the tests of one-time form tokens (cases/once.py) outside cases/: the token of
one form on a page, and whether a response said the form had been sent already."""

import re

from django.contrib.messages import get_messages

from cases import once

FORM = re.compile(r"<form\b[^>]*>.*?</form>", re.S)
TOKEN = re.compile(r'name="once" value="([A-Za-z0-9_-]+)"')


def token_in_form(client, page, action=None):
    """The one-time token of the form on `page` that posts to `action` (the page itself when
    None: a form without an action attribute)."""
    response = client.get(page)
    assert response.status_code == 200, (page, response.status_code)
    for form in FORM.findall(response.content.decode()):
        opening = form[: form.index(">")]
        posts_to = re.search(r'action="([^"]*)"', opening)
        if (posts_to.group(1) if posts_to else None) == action:
            match = TOKEN.search(form)
            assert match, f"the form posting to {action or page} carries no one-time token"
            return match.group(1)
    raise AssertionError(f"no form posting to {action or page} on {page}")


def said_already(response):
    """Whether the page the response leads to tells that the form was saved the first time."""
    return str(once.SPENT_MESSAGE) in [str(m) for m in get_messages(response.wsgi_request)]
