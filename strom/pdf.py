"""PDFs with WeasyPrint (agreements, certificates). Only bundled static files — the fonts and
the PDF style sheet — may be loaded: every other URL, remote or local, is refused by the
fetcher, so nothing in a document can make the server fetch anything."""

import mimetypes
from pathlib import Path
from urllib.request import url2pathname

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

STATIC = Path(settings.BASE_DIR) / "static"
ALLOWED = [STATIC / "fonts", STATIC / "css" / "pdf.css"]


class StaticOnlyFetcher(URLFetcher):
    """Serves files under static/fonts and static/css/pdf.css; refuses everything else and
    remembers what it refused."""

    def __init__(self):
        super().__init__(allowed_protocols={"file"})
        self.refused = []

    def fetch(self, url, headers=None):
        path = None
        if url.startswith("file:"):
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


def render_pdf(template, context, *, language, fetcher=None):
    """Render a template of templates/pdf/ to PDF bytes, in the document's language."""
    with translation.override(language):
        html = render_to_string(template, context)
    document = HTML(
        string=html, base_url=STATIC.as_uri() + "/", url_fetcher=fetcher or StaticOnlyFetcher()
    )
    return document.write_pdf()
