"""The national coordinator opens the report, changes the period and downloads a CSV;
axe-core checks every page."""


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
