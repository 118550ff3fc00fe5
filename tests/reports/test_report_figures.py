"""The speed figures (issue 14): the speed panel and the scorecard take their medians from
one computation (reports.figures), and a figure over fewer than the minimum cell is not
shown to the national coordinator."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db
PERIOD = {"start": "2020-01-01", "end": "2030-12-31"}


def _text(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _speed_panel(html):
    part = html[html.index('id="timing-heading"') :]
    return _text(part[: part.index("</section>")])


def _scorecard_value(html, municipality, indicator):
    card = html[html.index(f"<caption>{municipality}</caption>") :]
    card = card[: card.index("</table>")]
    row = re.search(rf"<th scope=\"row\">{re.escape(indicator)}</th><td>(.*?)</td>", card)
    return _text(row.group(1)).strip()


def test_speed_panel_and_scorecard_show_the_same_median_answer_time(demo, client_for):
    html = client_for(demo.users["coord.riga"]).get(reverse("report"), PERIOD).content.decode()
    median = _scorecard_value(html, "Riga", "Median time to answer a referral (hours)")
    assert re.fullmatch(r"\d+\.\d", median), median
    panel = _speed_panel(html)
    assert f"median, 90th percentile {median}, " in panel, panel


def test_national_coordinator_is_not_shown_figures_over_fewer_than_the_minimum_cell(
    demo, client_for, settings
):
    settings.STROM_REPORT_MIN_CELL = 5
    html = client_for(demo.users["national.lv"]).get(reverse("report"), PERIOD).content.decode()
    panel = _speed_panel(html)
    # The demo has 4 answered referrals and 2 cases helped: fewer than 5 each.
    assert "(4)" not in panel and "(2)" not in panel
    assert "100 %" not in panel
    assert "fewer than 5" in panel
    for municipality in ["Riga", "Jelgava"]:
        value = _scorecard_value(html, municipality, "Median time to answer a referral (hours)")
        assert not re.search(r"\d", value.replace("5", "")), value


def test_national_coordinator_sees_the_figures_when_the_minimum_is_met(demo, client_for, settings):
    settings.STROM_REPORT_MIN_CELL = 1
    html = client_for(demo.users["national.lv"]).get(reverse("report"), PERIOD).content.decode()
    panel = _speed_panel(html)
    median = _scorecard_value(html, "Riga", "Median time to answer a referral (hours)")
    assert re.fullmatch(r"\d+\.\d", median), median
    assert "(4)" in panel and "100 %" in panel
    assert "fewer than" not in panel
