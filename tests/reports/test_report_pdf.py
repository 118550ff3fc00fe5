"""The report PDF (issue 14): no table is cut at the page edge, the suppression mark has a
legend and the pages are numbered "page 1 of N"."""

import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from referrals.models import EscalationLevel
from strom.models import ActorKind

pytestmark = pytest.mark.django_db
PERIOD = {"start": "2020-01-01", "end": "2030-12-31"}


def _pdf(demo, client_for, username="national.lv"):
    response = client_for(demo.users[username]).get(reverse("report_pdf"), PERIOD)
    assert response.status_code == 200
    return PdfReader(io.BytesIO(response.content))


def _visible_text(reader):
    """The text drawn inside each page's box (text placed beyond the edge is cut off)."""
    parts = []
    for page in reader.pages:
        width = float(page.mediabox.width)
        chunks = []

        def visit(text, cm, tm, font, size, chunks=chunks, width=width):
            x = cm[0] * tm[4] + cm[2] * tm[5] + cm[4]
            if text.strip() and 0 <= x < width - 10:
                chunks.append(text)

        page.extract_text(visitor_text=visit)
        # A label wrapped after a hyphen ("Non-" / "governmental") reads as one word.
        parts.append(re.sub(r"-\s+", "-", " ".join(" ".join(chunks).split())))
    return parts


def test_report_pdf_has_page_numbers_and_a_legend_for_the_suppression_mark(demo, client_for):
    reader = _pdf(demo, client_for)
    text = [" ".join(page.extract_text().split()) for page in reader.pages]
    total = len(reader.pages)
    assert f"page 1 of {total}" in text[0].lower()
    assert f"page {total} of {total}" in text[-1].lower()
    assert "◦ marks a count below 5" in " ".join(text)


def test_report_pdf_shows_every_escalation_row_and_column_inside_the_page(demo, client_for):
    text = " ".join(_visible_text(_pdf(demo, client_for)))
    for label in [*EscalationLevel.labels, *ActorKind.labels]:
        assert str(label) in text, label


def test_coordinator_report_pdf_is_numbered_and_says_nothing_of_her_own_is_hidden(demo, client_for):
    reader = _pdf(demo, client_for, "coord.riga")
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert f"page 1 of {len(reader.pages)}" in text.lower()
    assert "no count is hidden" in text
