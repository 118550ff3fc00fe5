"""Agreement PDFs with WeasyPrint. Only bundled static files (the font and the PDF style
sheet) may be loaded: every other URL, remote or local, is refused by the fetcher, so a
clause cannot make the server fetch anything."""

import mimetypes
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from .texts import KIND_TITLES, LABELS, fill

STATIC = Path(settings.BASE_DIR) / "static"
ALLOWED = [STATIC / "fonts", STATIC / "css" / "pdf.css"]
# A bound on what one request renders: an agreement is a few pages; a larger document is
# a mistake or an attack, refused before WeasyPrint starts.
MAX_CHARACTERS = 200_000


class DocumentTooLarge(ValueError):
    pass


class StaticOnlyFetcher(URLFetcher):
    """Serves files under static/fonts and static/css/pdf.css; refuses everything else."""

    def __init__(self):
        super().__init__(allowed_protocols={"file"})
        self.refused = []

    def fetch(self, url, headers=None):
        path = None
        if url.startswith("file:"):
            from urllib.request import url2pathname

            path = Path(url2pathname(url.split("?")[0].removeprefix("file:"))).resolve()
        if (
            path is None
            or not any(path == allowed or allowed in path.parents for allowed in ALLOWED)
            or not path.is_file()
        ):
            self.refused.append(url)
            raise ValueError(f"Refused by STROM's PDF fetcher: {url}")
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": mime})


def context_for(version):
    agreement = version.agreement
    language = agreement.language
    parties = list(version.parties.select_related("actor").prefetch_related("signature"))
    clauses = [
        {
            "number": index,
            "title": clause.title,
            "paragraphs": [
                p
                for p in fill(clause.body, agreement, parties, language).split("\n\n")
                if p.strip()
            ],
        }
        for index, clause in enumerate(version.clauses.all(), start=1)
    ]
    return {
        "agreement": agreement,
        "version": version,
        "parties": parties,
        "clauses": clauses,
        "labels": LABELS[language],
        "kind_title": KIND_TITLES[language][agreement.kind],
        "language": language,
        "printed_on": timezone.localdate(),
    }


def render(version, *, fetcher=None, template="pdf/agreement.html"):
    """The PDF of a version, as bytes."""
    context = context_for(version)
    size = sum(len(p) for c in context["clauses"] for p in c["paragraphs"])
    if size > MAX_CHARACTERS:
        raise DocumentTooLarge(size)
    with translation.override(version.agreement.language):
        html = render_to_string(template, context)
    fetcher = fetcher or StaticOnlyFetcher()
    document = HTML(string=html, base_url=STATIC.as_uri() + "/", url_fetcher=fetcher)
    return document.write_pdf()
