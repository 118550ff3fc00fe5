"""The referral page reads as a sentence: no stray space before the outcome, and no empty
"What happens" line for a step without a description (issue 14, item 12)."""

import re

import pytest
from django.urls import reverse

from referrals import actions
from referrals.models import PathwayStep

pytestmark = pytest.mark.django_db


def _text(response):
    """The page's visible text with tags dropped and white space collapsed."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))


def test_a_completed_step_reads_completed_colon_outcome(demo, client_for, sent):
    provider = demo.users["provider.riga"]
    actions.accept(by=provider, referral=sent)
    done = actions.complete(by=provider, referral=sent, outcome="got_help")
    page = client_for(demo.users["coord.riga"]).get(reverse("referral_detail", args=[done.pk]))
    text = _text(page)
    assert "Completed: Got help" in text
    assert "Completed : Got help" not in text


def test_what_happens_shows_the_steps_description_or_nothing(demo, client_for, sent):
    client = client_for(demo.users["coord.riga"])
    url = reverse("referral_detail", args=[sent.pk])
    PathwayStep.objects.filter(pk=sent.step_id).update(description="")
    assert "What happens" not in _text(client.get(url))
    PathwayStep.objects.filter(pk=sent.step_id).update(description="A bed tonight, for 30 days.")
    text = _text(client.get(url))
    assert "What happensA bed tonight, for 30 days." in text  # <dt>What happens</dt><dd>…
