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

    assert referral.case.needs.get(category="safe_accommodation").status == "referred"

    # The answer is late: the badge says so, in words, wherever the referral is shown.
    Referral.objects.filter(pk=referral.pk).update(
        response_due_at=timezone.now() - timezone.timedelta(hours=3)
    )
    ui.goto(f"/referrals/case/{case.reference}/")
    step = page.locator(".timeline__step", has_text="Safety and accommodation")
    assert step.locator(".status--overdue").get_by_text("Overdue").is_visible()

    ui.submit("Sign out")
    ui.login("provider.riga")
    summary = page.locator(".attention", has_text="wait for your answer")
    assert summary.is_visible() and summary.get_by_text("overdue").first.is_visible()
    ui.follow("Inbox")
    first_row = page.locator("table").first.locator("tbody tr").first
    assert first_row.locator(".status--overdue").get_by_text("Overdue").is_visible()
    row = page.locator("tr", has_text=case.reference)
    assert (
        row.get_by_text("Overdue").is_visible() and row.get_by_text("no answer, due").is_visible()
    )
    ui.follow(case.reference)
    assert page.locator(".status--overdue").get_by_text("Overdue").is_visible()
    assert page.get_by_text("Not shared: no consent").first.is_visible()
    ui.submit("Accept")
    assert page.get_by_text("Accepted.").is_visible()
    referral.refresh_from_db()
    assert referral.status == "accepted"
    assert not page.locator(".status--overdue").count()

    # The need follows: the coordinator's case page shows it being met.
    ui.submit("Sign out")
    ui.login("coord.riga")
    ui.goto(f"/cases/{case.reference}/")
    need_status = page.get_by_label("Status of Safe accommodation")
    assert need_status.input_value() == "being_met"


def test_coordinator_home_lists_the_overdue_referral(ui, e2e_demo):
    ui.login("coord.riga")
    assert ui.page.get_by_role("heading", name="Needs attention").is_visible()
    attention = ui.page.locator(".attention", has_text="Needs attention")
    assert attention.get_by_text("no answer, due").first.is_visible()
    assert attention.locator(".status--overdue").get_by_text("Overdue").first.is_visible()


def test_coordinator_is_warned_and_sends_anyway_with_a_reason(ui, e2e_demo):
    """A man of 34 and a shelter for women and children: the page says why it may not fit,
    refuses to send without a reason, and sends with one, which the history keeps."""
    from django.utils import timezone

    from cases import actions as case_actions
    from cases.models import Exploitation, Person

    case = case_actions.open_case(
        by=e2e_demo.users["sw.riga"],
        municipality=e2e_demo.municipalities["RIX"],
        first_contact_on=timezone.localdate(),
        person=Person(age_years=34, gender="man"),
        exploitation=Exploitation(),
        needs=[("safe_accommodation", "immediate")],
    )
    page = ui.page
    ui.login("coord.riga")
    ui.goto(f"/referrals/case/{case.reference}/")
    page.get_by_label("Pathway").select_option(label="Riga chain of assistance")
    ui.submit("Start the pathway")
    ui.follow("Safety and accommodation")
    assert not page.get_by_label("Reason for sending anyway").count()
    page.get_by_label("To organisation").select_option(label='Shelter "Safe House" (NGO)')
    page.get_by_label("Service (optional)").select_option(
        label="Safe House shelter for women and children"
    )
    ui.submit("Send")
    warnings = page.locator("#send-warnings")
    assert warnings.get_by_text("Does not accept").is_visible()
    assert page.get_by_text("Give a reason for sending anyway").first.is_visible()
    referral = Referral.objects.get(case=case, step__need_category="safe_accommodation")
    assert referral.status == "draft"
    page.get_by_label("Reason for sending anyway").fill("The men's house is full tonight")
    ui.submit("Send")
    assert page.get_by_text('Sent to Shelter "Safe House" (NGO).').is_visible()
    referral.refresh_from_db()
    assert referral.status == "sent"
    assert page.get_by_text("The men's house is full tonight").first.is_visible()
