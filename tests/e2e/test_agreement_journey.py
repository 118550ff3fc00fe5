"""The administrator drafts an MoU from the template, names the parties and downloads the
PDF, in Chromium; axe-core checks every page."""

import io

from pypdf import PdfReader


def test_administrator_creates_an_mou_and_downloads_its_pdf(ui, e2e_demo):
    page = ui.page
    ui.login("admin.riga")
    ui.follow("Agreements")
    ui.follow("New agreement or MoU")
    page.get_by_label("Title").fill("Memorandum on help for victims of trafficking in Riga")
    page.get_by_label("Language of the document").select_option("en")
    page.get_by_label("In force from").fill("2027-01-01")
    page.get_by_label("In force until").fill("2029-12-31")
    page.get_by_label("Review date").fill("2028-12-01")
    ui.submit("Save")
    assert page.get_by_text("Draft created from the template").is_visible()

    for organisation in ["Riga Social Service", "State Police Riga Regional Unit"]:
        ui.follow("Add a party")
        page.get_by_label("Organisation").select_option(label=organisation)
        page.get_by_role("textbox", name="Signatory", exact=False).first.fill("Ģirts Ķēniņš")
        ui.submit("Save")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the PDF (version 1)").click()
    content = download_info.value.path().read_bytes()
    reader = PdfReader(io.BytesIO(content))
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert "State Police Riga Regional Unit" in text and "Ģirts Ķēniņš" in text
    assert "Purpose and scope" in text
