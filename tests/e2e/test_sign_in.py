"""Each demo role signs in and lands on the home page made for it."""

import pytest

ROLES = [
    ("sw.riga", "Social worker · Riga"),
    ("coord.riga", "Coordinator · Riga"),
    ("admin.riga", "Administrator · Riga"),
    ("provider.riga", "Service provider · Riga"),
    ("national.lv", "National coordinator · Latvia"),
]


@pytest.mark.parametrize(("username", "heading"), ROLES)
def test_demo_role_signs_in_and_sees_its_home_page(ui, username, heading):
    ui.login(username)
    assert ui.page.get_by_role("heading", name=heading).is_visible()
    assert ui.page.url == ui.base_url + "/"
    ui.submit("Sign out")
    assert ui.page.get_by_role("heading", name="Sign in to STROM").is_visible()


def test_wrong_password_is_refused_with_a_message(ui):
    ui.login("sw.riga", password="not-the-password", second_factor=False)
    assert ui.page.get_by_role("alert").inner_text().count("not correct") == 1
    assert "/accounts/login/" in ui.page.url


def test_administrator_adds_an_organisation(ui):
    ui.login("admin.riga")
    ui.follow("Add an organisation")
    ui.page.get_by_label("Name").fill("Riga Interpreters' Bureau")
    ui.page.get_by_label("Kind").select_option("other")
    ui.page.get_by_label("Phone").fill("+371 2000 1234")
    ui.submit("Save")
    assert ui.page.get_by_role("heading", name="Riga Interpreters' Bureau").is_visible()
    assert ui.page.get_by_text("Organisation added.").is_visible()


def test_administrator_sees_errors_on_a_bad_form(ui):
    ui.login("admin.riga")
    ui.goto("/actors/new/")
    ui.page.get_by_label("E-mail").fill("not an address")
    ui.submit("Save")
    assert ui.page.get_by_role("alert").is_visible()
    assert ui.page.get_by_role("heading", name="Add an organisation").is_visible()


def test_page_of_another_municipality_is_not_found(ui, e2e_demo):
    ui.login("sw.jelgava")
    ui.goto(f"/actors/{e2e_demo.actors['riga-shelter'].pk}/")
    assert ui.page.get_by_role("heading", name="Not found").is_visible()


def test_home_page_works_on_a_phone(ui):
    ui.page.set_viewport_size({"width": 375, "height": 740})
    ui.login("coord.riga")
    assert ui.page.get_by_role("heading", name="Coordinator · Riga").is_visible()
    width = ui.page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 375
