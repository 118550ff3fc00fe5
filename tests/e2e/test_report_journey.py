"""The national coordinator opens the report, changes the period and downloads a CSV;
axe-core checks every page."""

import pytest


def test_national_coordinator_reads_the_report_and_downloads_a_csv(ui, e2e_demo):
    page = ui.page
    ui.login("national.lv")
    ui.follow("Reports")
    assert page.get_by_role("heading", name="Municipal capacity scorecard").is_visible()
    page.get_by_label("From").fill("2020-01-01")
    page.get_by_label("Until").fill("2030-12-31")
    page.get_by_label("Trend by").select_option("quarter")
    ui.submit("Show")
    assert "start=2020-01-01" in page.url
    with page.expect_download() as download:
        page.locator('a[href*="status.csv"]').click()
    content = download.value.path().read_text(encoding="utf-8")
    assert content.startswith(",") and "Riga" in content


# Each table either fits inside the page or sits in a scroll region a keyboard user can
# reach (focusable, named); the page itself never scrolls sideways.
LAYOUT = """() => {
  const width = document.documentElement.clientWidth;
  const problems = [];
  for (const table of document.querySelectorAll("main table")) {
    const wrap = table.closest(".table-wrap");
    const name = (table.caption && table.caption.textContent.trim()) || "a table";
    const box = (wrap || table).getBoundingClientRect();
    if (box.right > width + 1) problems.push(name + ": its box ends past the viewport");
    if (table.scrollWidth > (wrap || table).clientWidth + 1) {
      const style = wrap && getComputedStyle(wrap);
      const scrolls = style && ["auto", "scroll"].includes(style.overflowX);
      if (!scrolls || wrap.tabIndex < 0 || !wrap.getAttribute("aria-label")
          || wrap.getAttribute("role") !== "region") {
        problems.push(name + ": cut off and not in a focusable, named scroll region");
      }
    }
  }
  for (const label of document.querySelectorAll(".bar-chart .bar-label")) {
    const chart = label.closest(".bar-chart").getBoundingClientRect();
    const box = label.getBoundingClientRect();
    if (label.textContent.includes("…") || box.right > chart.right + 1
        || label.scrollWidth > label.clientWidth + 1) {
      problems.push("chart label cut: " + label.textContent);
    }
  }
  const labels = [...document.querySelectorAll(".bar-chart .bar-label")].map(
    (l) => l.textContent);
  return {scrollWidth: document.documentElement.scrollWidth, width, problems, labels};
}"""


@pytest.mark.parametrize("username", ["national.lv", "coord.riga"])
def test_the_report_fits_a_1280_pixel_screen(ui, e2e_demo, username):
    page = ui.page
    ui.login(username)
    ui.goto("/reports/?start=2020-01-01&end=2030-12-31")
    layout = page.evaluate(LAYOUT)
    assert layout["scrollWidth"] <= 1280, layout
    assert not layout["problems"], layout["problems"]
    assert "Non-governmental organisation" in layout["labels"]
    # The escalations and needs tables are read without scrolling.
    for key in ["escalations", "needs"]:
        wrap = page.locator(f"section[aria-labelledby=t-{key}] .table-wrap")
        assert wrap.evaluate("(el) => el.scrollWidth <= el.clientWidth + 1"), key
    # Every report table sits in a region a keyboard user can reach, named after it.
    region = page.get_by_role(
        "region", name="Table: Escalations by level and kind of organisation", exact=True
    )
    region.focus()
    assert region.evaluate("(el) => el === document.activeElement")


def test_the_referral_history_table_scrolls_in_a_focusable_region(ui, e2e_demo):
    from referrals.models import Referral

    referral = Referral.objects.filter(case__municipality__code="RIX").order_by("pk")[1]
    ui.login("coord.riga")
    ui.goto(f"/referrals/{referral.pk}/")  # axe-core: scrollable-region-focusable
    wrap = ui.page.locator("#history-heading ~ .table-wrap")
    assert wrap.get_attribute("tabindex") == "0"
    assert wrap.get_attribute("role") == "region" and wrap.get_attribute("aria-label")
