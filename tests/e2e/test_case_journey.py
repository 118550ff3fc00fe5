"""The social worker's journey of the cases issue, in Chromium, every page checked by axe."""

from datetime import timedelta

from django.utils import timezone

from cases.models import Case, Consent


def test_social_worker_registers_a_potential_victim_and_records_consent(ui, e2e_demo):
    today = timezone.localdate()
    page = ui.page
    ui.login("sw.riga")
    ui.follow("New case")

    page.get_by_label("Date of first contact").fill((today - timedelta(days=1)).isoformat())
    page.get_by_label("Identification status").select_option("potential")
    page.get_by_label("Age (years)").fill("16")
    page.get_by_label("Age is an estimate").check()
    page.get_by_label("Citizenship").select_option("VN")
    page.get_by_label("Languages spoken").select_option(["vi", "en"])
    page.get_by_label("Interpreter needed").check()
    page.get_by_label("Forced labour or services").check()
    page.get_by_label("Labour sector").select_option("S")
    page.get_by_label("Indicators observed").fill("Works in a nail salon 14 hours a day")
    for need in ["Safe accommodation", "Interpretation and translation", "Medical care"]:
        page.get_by_role("checkbox", name=need, exact=True).check()
    page.get_by_label("Urgency of these needs").select_option("immediate")
    ui.submit("Register the case")

    case = Case.objects.order_by("-pk").first()
    assert page.get_by_role("heading", name=case.reference).is_visible()
    assert page.get_by_text("Presumed child").first.is_visible()

    for recipient in ['Shelter "Safe House" (NGO)', "Riga East Clinical University Hospital"]:
        ui.follow("Record consent")
        page.get_by_label("Recipient organisation").select_option(label=recipient)
        page.get_by_role("checkbox", name="Identity (name, date of birth, documents)").check()
        page.get_by_role("checkbox", name="Needs", exact=True).check()
        page.get_by_label("Purpose").fill("Safe accommodation and a medical check")
        page.get_by_label("How consent was given").select_option("verbal")
        page.get_by_label("Interpreter used").check()
        page.get_by_label("Given on").fill(today.isoformat())
        page.get_by_label("Valid until").fill((today + timedelta(days=30)).isoformat())
        page.get_by_label("Guardian consented").check()
        page.get_by_label("Child assented").check()
        ui.submit("Save")
        assert page.get_by_text("Consent recorded.").is_visible()

    ui.follow("Withdraw consent for Riga East Clinical University Hospital")
    page.get_by_label("Reason (optional)").fill("Does not want the clinic informed")
    ui.submit("Save")
    assert page.get_by_text("Consent withdrawn.").is_visible()
    clinic = Consent.objects.get(case=case, recipient__name__startswith="Riga East")
    assert clinic.withdrawn_at is not None

    ui.follow("Cases")
    assert page.get_by_role("link", name=case.reference).is_visible()
