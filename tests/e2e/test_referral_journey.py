"""The chain of assistance in Chromium: the coordinator assigns a step to the shelter and
the shelter's staff accept it. axe-core checks every page."""

from referrals.models import Referral


def test_coordinator_assigns_a_step_and_the_provider_accepts_it(ui, e2e_demo, browser):
    from django.utils import timezone

    from cases import actions as case_actions
    from cases.models import Exploitation, Person

    case = case_actions.open_case(
        by=e2e_demo.users["sw.riga"],
        municipality=e2e_demo.municipalities["RIX"],
        first_contact_on=timezone.localdate(),
        person=Person(age_years=25, gender="woman"),
        exploitation=Exploitation(),
        needs=[("safe_accommodation", "immediate")],
    )
    page = ui.page
    ui.login("coord.riga")
    ui.goto(f"/cases/{case.reference}/")
    ui.follow("Open the chain of assistance")
    page.get_by_label("Pathway").select_option(label="Riga chain of assistance")
    ui.submit("Start the pathway")
    ui.follow("Safety and accommodation")
    page.get_by_label("To organisation").select_option(label='Shelter "Safe House" (NGO)')
    ui.submit("Send")
    assert page.get_by_text('Sent to Shelter "Safe House" (NGO).').is_visible()
    referral = Referral.objects.get(case=case, step__need_category="safe_accommodation")
    assert referral.status == "sent"

    ui.submit("Sign out")
    ui.login("provider.riga")
    ui.follow("Inbox")
    ui.follow(case.reference)
    assert page.get_by_text("Not shared: no consent").first.is_visible()
    ui.submit("Accept")
    assert page.get_by_text("Accepted.").is_visible()
    referral.refresh_from_db()
    assert referral.status == "accepted"


def test_coordinator_home_lists_the_overdue_referral(ui, e2e_demo):
    ui.login("coord.riga")
    assert ui.page.get_by_role("heading", name="Needs attention").is_visible()
    assert ui.page.get_by_text("no answer, due").first.is_visible()
