"""The service map in Chromium: the provider updates free beds; the coordinator finds a
fitting service for a case need and picks it. axe-core checks every page."""

import pytest

from services.models import Service


@pytest.fixture(autouse=True)
def _no_map_tiles(settings):
    # No tile server is reachable from the test machine; the map works without tiles.
    settings.STROM_MAP_TILE_URL = ""


def test_provider_updates_free_beds(ui, e2e_demo):
    page = ui.page
    ui.login("provider.riga")
    ui.follow("Services")
    ui.follow("Safe House shelter for women and children")
    page.get_by_label("Available").fill("5")
    page.get_by_label("Maximum").fill("12")
    page.get_by_role("button", name="Update capacity").click()
    # HTMX swaps the capacity block in place: no new page to check.
    page.get_by_text("5 of 12 beds").wait_for()
    ui.check_accessibility()
    assert Service.objects.get(name__startswith="Safe House").capacity_available == 5


def test_provider_sees_an_error_for_impossible_capacity(ui, e2e_demo):
    page = ui.page
    ui.login("provider.riga")
    shelter = Service.objects.get(name__startswith="Safe House")
    ui.goto(f"/services/{shelter.pk}/")
    page.get_by_label("Available").fill("20")
    page.get_by_role("button", name="Update capacity").click()
    page.get_by_role("alert").wait_for()
    ui.check_accessibility()
    assert "above the maximum" in page.get_by_role("alert").inner_text()
    assert Service.objects.get(pk=shelter.pk).capacity_available == 3


def test_coordinator_finds_a_fitting_service_for_a_case_need(ui, e2e_demo):
    from cases.models import Case

    page = ui.page
    case = Case.objects.filter(
        municipality__code="RIX", identification="potential", closed_on__isnull=True
    ).first()
    ui.login("coord.riga")
    ui.goto(f"/cases/{case.reference}/")
    ui.follow("Find services that fit")
    section = page.get_by_role("region", name="Safe accommodation")
    assert section.get_by_text("Fits").first.is_visible()
    ui.submit("Choose Safe House shelter for women and children")
    assert page.get_by_text("Safe House shelter for women and children chosen").is_visible()
    need = case.needs.get(category="safe_accommodation")
    assert need.service.name == "Safe House shelter for women and children"


def test_directory_and_gap_view_pass_axe(ui, e2e_demo):
    ui.login("coord.riga")
    ui.follow("Services")
    assert ui.page.locator(".leaflet-marker-icon").count() >= 5
    ui.follow("Gaps")
    assert ui.page.get_by_role("columnheader", name="Jelgava").is_visible()


def test_administrator_service_form_and_hsds_page_pass_axe(ui, e2e_demo):
    ui.login("admin.riga")
    ui.follow("Services")
    ui.follow("Add a service")
    ui.page.get_by_role("textbox", name="Name").fill("Night bus outreach")
    ui.page.get_by_label("Provider").select_option(label="Riga Social Service")
    ui.page.get_by_role(
        "checkbox", name="Safety and security (risk assessment, protection)"
    ).check()
    ui.page.get_by_label("Monday opens").fill("20:00")
    ui.page.get_by_label("Monday closes").fill("23:30")
    ui.submit("Save")
    assert ui.page.get_by_role("heading", name="Night bus outreach").is_visible()
    ui.follow("Services")
    ui.follow("Import or export (HSDS)")
    assert ui.page.get_by_label("HSDS 3.0 file (JSON)").is_visible()
