import io

import pytest
from pypdf import PdfReader

from agreements import pdf

pytestmark = pytest.mark.django_db


def text_of(content):
    """The PDF's text with line breaks folded (titles wrap), and its reader."""
    reader = PdfReader(io.BytesIO(content))
    return reader, " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_pdf_has_parties_clauses_diacritics_page_numbers_and_metadata(mou):
    reader, text = text_of(pdf.render(mou.current_version))
    for expected in [
        "Riga Social Service",
        "State Police Riga Regional Unit",
        'Shelter "Safe House" (NGO)',
        "Ģirts Ķēniņš",
        "Žanna Čakste",
        "Sadarbības memorands par palīdzību cilvēku tirdzniecības upuriem",
        mou.number,
    ]:
        assert expected in text, expected
    for clause in mou.current_version.clauses.all():
        assert clause.title in text, clause.title
    assert len(reader.pages) >= 4
    pages = len(reader.pages)
    assert f"{pdf.LABELS['lv']['page']} {pages} {pdf.LABELS['lv']['of']} {pages}" in text
    assert f"{mou.number} · {pdf.LABELS['lv']['version']} 1" in text
    assert reader.metadata.title.startswith(mou.number)
    assert reader.metadata.author == "Riga"
    assert "{roles}" not in text and "{contacts}" not in text


@pytest.mark.parametrize("language", ["en", "lt", "et", "ru"])
def test_every_template_language_renders_its_letters(demo, language):
    import datetime

    from agreements import actions
    from agreements.texts import KIND_TITLES

    agreement = actions.create_agreement(
        by=demo.users["admin.riga"],
        municipality=demo.municipalities["RIX"],
        kind="mou",
        title={
            "en": "MoU",
            "lt": "Memorandumas dėl bendradarbiavimo",
            "et": "Koostöömemorandum, õigusabi ja tõlge",
            "ru": "Меморандум о взаимопонимании",
        }[language],
        language=language,
        effective_from=datetime.date(2027, 1, 1),
    )
    _reader, text = text_of(pdf.render(agreement.current_version))
    assert agreement.title in text
    assert KIND_TITLES[language]["mou"].upper() in text  # the title page prints it in capitals


def test_roles_clause_lists_the_steps_each_party_owns(demo, mou):
    from referrals.models import PathwayStep

    step = PathwayStep.objects.filter(
        pathway__municipality=demo.municipalities["RIX"],
        responsible_actor=demo.actors["riga-shelter"],
    ).first()
    _reader, text = text_of(pdf.render(mou.current_version))
    assert step.name in text


def test_external_and_local_files_are_refused_by_the_fetcher(demo, mou, tmp_path, settings):
    template_dir = tmp_path / "templates"
    (template_dir / "pdf").mkdir(parents=True)
    (template_dir / "pdf" / "evil.html").write_text(
        '<html><head><link rel="stylesheet" href="https://evil.example/x.css"></head><body>'
        '<img src="file:///etc/passwd"><img src="https://evil.example/track.png">'
        '<img src="../../strom/settings.py"><p>Harmless text</p></body></html>'
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [template_dir, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    fetcher = pdf.StaticOnlyFetcher()
    content = pdf.render(mou.current_version, fetcher=fetcher, template="pdf/evil.html")
    _reader, text = text_of(content)
    assert "Harmless text" in text
    assert "root:" not in text
    refused = " ".join(fetcher.refused)
    assert "evil.example/x.css" in refused
    assert "/etc/passwd" in refused
    assert "track.png" in refused
    assert "settings.py" in refused


def test_the_fetcher_serves_the_bundled_font():
    fetcher = pdf.StaticOnlyFetcher()
    response = fetcher.fetch((pdf.STATIC / "fonts" / "DejaVuSans.ttf").as_uri())
    assert response.read(4) == b"\x00\x01\x00\x00"
    with pytest.raises(ValueError):
        fetcher.fetch((pdf.STATIC / "js" / "service-map.js").as_uri())


def test_a_normal_render_loads_the_bundled_font_and_nothing_is_refused(mou):
    fetcher = pdf.StaticOnlyFetcher()
    content = pdf.render(mou.current_version, fetcher=fetcher)
    assert fetcher.refused == []
    reader = PdfReader(io.BytesIO(content))
    fonts = {
        str(font["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert fonts and all("STROM-Sans" in name for name in fonts)  # the bundled font only
