"""The administrator drafts an MoU from the template, names the parties and downloads the
PDF; once a party has signed, the text stays as signed until she withdraws the signature
(issue 14); a draft nobody signed can be deleted. In Chromium; axe-core checks every page."""

import datetime
import io
import re

from pypdf import PdfReader

COSTS = "Each party bears its own costs of the shelter places."
SIGNED_ON = datetime.date.today() - datetime.timedelta(days=1)


def _draft(ui, title, parties=("Riga Social Service", "State Police Riga Regional Unit")):
    page = ui.page
    ui.follow("Agreements")
    ui.follow("New agreement or MoU")
    page.get_by_label("Title").fill(title)
    page.get_by_label("Language of the document").select_option("en")
    page.get_by_label("In force from").fill("2027-01-01")
    page.get_by_label("In force until").fill("2029-12-31")
    page.get_by_label("Review date").fill("2028-12-01")
    ui.submit("Save")
    assert page.get_by_text("Draft created from the template").is_visible()
    for organisation in parties:
        ui.follow("Add a party")
        page.get_by_label("Organisation").select_option(label=organisation)
        page.get_by_role("textbox", name="Signatory", exact=False).first.fill("Ģirts Ķēniņš")
        ui.submit("Save")


def _sign(ui, organisation, signatory):
    page = ui.page
    page.get_by_label(re.compile(r"^Party\b")).select_option(label=organisation)
    page.get_by_label(re.compile(r"^Signed by\b")).fill(signatory)
    page.get_by_label(re.compile(r"^Signed on\b")).fill(SIGNED_ON.isoformat())
    ui.submit("Record the signature")
    assert page.get_by_text("Signature recorded.").is_visible()


def _pdf_text(page, version=1):
    with page.expect_download() as download_info:
        page.get_by_role("link", name=f"Download the PDF (version {version})").click()
    reader = PdfReader(io.BytesIO(download_info.value.path().read_bytes()))
    return " ".join(" ".join(p.extract_text() for p in reader.pages).split())


def test_administrator_creates_an_mou_and_downloads_its_pdf(ui, e2e_demo):
    page = ui.page
    ui.login("admin.riga")
    _draft(ui, "Memorandum on help for victims of trafficking in Riga")
    text = _pdf_text(page)
    assert "State Police Riga Regional Unit" in text and "Ģirts Ķēniņš" in text
    assert "Purpose and scope" in text


def test_a_signed_text_changes_only_after_the_signatures_are_withdrawn(ui, e2e_demo):
    page = ui.page
    ui.login("admin.riga")
    _draft(ui, "Memorandum on shelter places in Riga")
    costs = page.get_by_role("link", name="Edit “Costs”").get_attribute("href")
    _sign(ui, "Riga Social Service", "Jānis Ozols")

    # One party signed: no edit is offered, and the edit page says why.
    assert page.get_by_role("link", name="Edit “Costs”").count() == 0
    assert page.get_by_role("link", name="Add a clause").count() == 0
    ui.goto(costs)
    assert page.get_by_text("Withdraw their signatures first").is_visible()

    ui.follow("Withdraw the signatures to change the version")
    row = page.get_by_role("row", name="Riga Social Service")
    assert row.get_by_role("cell", name="Jānis Ozols", exact=True).is_visible()
    assert row.get_by_role("cell", name=SIGNED_ON.strftime("%d/%m/%Y"), exact=True).is_visible()
    ui.submit("Withdraw 1 signature")
    assert page.get_by_text("Signatures withdrawn").is_visible()

    ui.follow("Edit “Costs”")
    page.get_by_label(re.compile(r"^Text\b")).fill(COSTS)
    ui.submit("Save")
    assert page.get_by_text("Clause saved.").is_visible()
    _sign(ui, "Riga Social Service", "Jānis Ozols")
    _sign(ui, "State Police Riga Regional Unit", "Ģirts Ķēniņš")
    assert page.get_by_text("version signed and frozen").is_visible()
    assert COSTS in _pdf_text(page)


def test_administrator_deletes_a_draft_nobody_signed(ui, e2e_demo):
    page = ui.page
    ui.login("admin.riga")
    _draft(ui, "A draft made by mistake", parties=("Riga Social Service",))
    ui.follow("Delete the draft")
    assert page.get_by_text("A draft made by mistake").first.is_visible()
    ui.submit("Delete the draft")
    assert page.get_by_text("is deleted").is_visible()
    assert page.get_by_role("link", name="A draft made by mistake").count() == 0
