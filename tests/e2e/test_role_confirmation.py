"""In the browser: a coordinator's role asked for by one administrator and confirmed by a
second (issue 13, finding 5), and an account that also works elsewhere (finding 4)."""

from tests.conftest import DEMO_PASSWORD


def _second_riga_administrator(demo):
    from django.contrib.auth import get_user_model

    from strom.models import Membership
    from strom.twofactor import enrol_demo_second_factor

    user = get_user_model().objects.create_user(
        "admin2.riga", "admin2@riga.example", DEMO_PASSWORD, first_name="Pēteris", last_name="Lācis"
    )
    Membership.objects.create(user=user, actor=demo.actors["riga-social"], role="administrator")
    demo.actors["riga-social"].group.user_set.add(user)
    enrol_demo_second_factor(user)
    return user


def test_a_second_administrator_confirms_a_coordinator_role(ui, e2e_demo):
    from strom.models import Membership

    _second_riga_administrator(e2e_demo)
    person = e2e_demo.users["sw.riga"]
    ui.login("admin.riga")
    ui.goto(f"/people/{person.pk}/")
    ui.page.get_by_label("Organisation").select_option(str(e2e_demo.actors["riga-social"].pk))
    ui.page.get_by_label("Role").select_option("coordinator")
    ui.submit("Add role")
    assert ui.page.get_by_text("It gives no access until another administrator").is_visible()
    assert ui.page.get_by_role("heading", name="Roles waiting for confirmation").is_visible()
    assert ui.page.get_by_role("button", name="Confirm: Coordinator").count() == 0
    assert not Membership.objects.filter(user=person, role="coordinator").exists()
    ui.submit("Sign out")

    ui.login("admin2.riga")
    ui.goto("/people/")
    ui.submit("Confirm: Coordinator")
    assert ui.page.get_by_text("Role confirmed.").is_visible()
    assert Membership.objects.filter(user=person, role="coordinator", ended_at__isnull=True)


def test_a_person_who_also_works_elsewhere_is_listed_without_takeover_actions(ui, e2e_demo):
    from strom.models import Membership

    person = e2e_demo.users["coord.tallinn"]
    Membership.objects.create(
        user=person, actor=e2e_demo.actors["riga-social"], role="social_worker"
    )
    ui.login("admin.riga")
    ui.goto(f"/people/{person.pk}/")
    assert ui.page.get_by_text("also works for another municipality").is_visible()
    assert ui.page.get_by_role("link", name="Set a new password").count() == 0
    ui.goto(f"/people/{person.pk}/password/")
    assert ui.page.get_by_text("Only a superuser can set her password").first.is_visible()
