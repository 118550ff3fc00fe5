"""Agreement PDFs, through strom.pdf (WeasyPrint with a fetcher that loads only the bundled
font and style sheet)."""

from django.utils import timezone

from strom.pdf import ALLOWED, STATIC, StaticOnlyFetcher, render_pdf  # noqa: F401

from .texts import KIND_TITLES, LABELS, fill

# A bound on what one request renders: an agreement is a few pages; a larger document is
# a mistake or an attack, refused before WeasyPrint starts.
MAX_CHARACTERS = 200_000


class DocumentTooLarge(ValueError):
    pass


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
    return render_pdf(template, context, language=version.agreement.language, fetcher=fetcher)
