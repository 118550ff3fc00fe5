"""Report pages and exports. National coordinators see suppressed aggregates of their
country; a coordinator sees her own municipality unsuppressed (she can see its cases)."""

import datetime

from django import forms
from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from strom import access, exports
from strom.audit import AuditAction, record
from strom.models import Role
from strom.pdf import render_pdf
from strom.ratelimits import rate_limited
from strom.reauth import recent_auth_required

from .figures import Scope, all_tables, timings
from .scorecard import scorecard
from .suppression import suppress

# A table with more columns than this takes the panel's whole width, under its chart.
WIDE_TABLE = 5
# The PDF's landscape page holds this many count columns beside the row labels; a wider
# table is printed in parts, each repeating the row labels (the last part has the totals).
PDF_COLUMNS = 7
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ReportForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=DATE, required=False)
    end = forms.DateField(label=_("Until"), widget=DATE, required=False)
    municipalities = forms.ModelMultipleChoiceField(
        label=_("Municipalities"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    granularity = forms.ChoiceField(
        label=_("Trend by"),
        required=False,
        choices=[("month", _("month")), ("quarter", _("quarter"))],
    )

    def __init__(self, *args, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipalities"].queryset = municipalities


def _report_municipalities(user):
    """A national coordinator: her country's; a coordinator: her own. Nobody else."""
    national = access.national_country_ids(user)
    if national:
        from strom.models import Municipality

        return Municipality.objects.filter(country_id__in=national).select_related("country")
    ids = access.municipality_ids(user, Role.COORDINATOR)
    if ids:
        from strom.models import Municipality

        return Municipality.objects.filter(id__in=ids).select_related("country")
    raise Http404


def _scope(request):
    available = _report_municipalities(request.user).order_by("name")
    form = ReportForm(request.GET or None, municipalities=available)
    today = timezone.localdate()
    start, end = today.replace(month=1, day=1) - datetime.timedelta(days=365), today
    chosen, granularity = list(available), "month"
    if form.is_bound and form.is_valid():
        start = form.cleaned_data["start"] or start
        end = form.cleaned_data["end"] or end
        chosen = list(form.cleaned_data["municipalities"]) or chosen
        granularity = form.cleaned_data["granularity"] or granularity
    if end < start:
        start, end = end, start
    own = not access.national_country_ids(request.user)
    return form, Scope(chosen, start, end, granularity), own


def _shown(table, own):
    """The table as a reader may see it: suppressed, unless it is the coordinator's own."""
    if own and not table.publish:
        return {
            "table": table,
            "cells": table.counts,
            "row_totals": [sum(r) for r in table.counts],
            "suppressed": False,
        }
    minimum = (
        settings.STROM_REPORT_PUBLISH_MIN_CELL if table.publish else settings.STROM_REPORT_MIN_CELL
    )
    result = suppress(table.counts, minimum) if table.counts else None
    shown = {
        "table": table,
        "cells": result.cells if result else [],
        "row_totals": list(result.row_totals)
        if result and result.row_totals
        else [None if c[0] is None else c[0] for c in (result.cells if result else [])],
        "suppressed": True,
        "minimum": minimum,
    }
    return shown


def _figure_minimum(own):
    """The fewest values a median or a share may be computed over for this reader: a
    coordinator sees her own municipality's figures, a national coordinator only figures
    over at least the minimum cell (as the tables)."""
    return 1 if own else settings.STROM_REPORT_MIN_CELL


def _with_rows(shown):
    shown["rows"] = list(
        zip(shown["table"].row_labels, shown["cells"], shown["row_totals"], strict=False)
    )
    return shown


def _bars(shown):
    """An SVG bar chart of row totals (the table beside it has the same figures)."""
    totals = [t or 0 for t in shown["row_totals"]]
    top = max(totals) if totals else 0
    return [
        {"label": label, "value": total, "width": int(300 * total / top) if top else 0}
        for label, total in zip(shown["table"].row_labels, totals, strict=False)
    ]


def _pdf_parts(shown):
    """The table split by columns into parts that fit a PDF page."""
    labels = list(shown["table"].column_labels)
    starts = list(range(0, len(labels), PDF_COLUMNS)) or [0]
    parts = []
    for number, start in enumerate(starts, 1):
        end = start + PDF_COLUMNS
        last = number == len(starts)
        parts.append(
            {
                "number": number,
                "of": len(starts),
                "first_column": start + 1,
                "last_column": min(end, len(labels)),
                "column_labels": labels[start:end],
                "with_total": last,
                "rows": [
                    (label, list(cells)[start:end], total)
                    for label, cells, total in shown["rows"]
                ],
            }
        )
    shown["parts"] = parts
    return shown


def report(request):
    form, scope, own = _scope(request)
    shown = [_with_rows(_shown(table, own)) for table in all_tables(scope)]
    for item in shown:
        item["bars"] = _bars(item)
        item["wide"] = len(item["table"].column_labels) > WIDE_TABLE
    context = {
        "form": form,
        "scope": scope,
        "tables": shown,
        "timings": timings(scope, _figure_minimum(own)),
        "cards": scorecard(scope.municipalities, scope.start, scope.end, _figure_minimum(own)),
        "own": own,
        "query": request.GET.urlencode(),
    }
    return render(request, "reports/report.html", context)


@recent_auth_required
@rate_limited("export", "STROM_RATE_EXPORTS", every_request=True)
def export(request, key, fmt):
    form, scope, own = _scope(request)
    tables = {t.key: t for t in all_tables(scope)}
    if key not in tables or fmt not in ("csv", "xlsx"):
        raise Http404
    shown = _shown(tables[key], own)
    record(AuditAction.EXPORT, request=request, detail=f"report {key}.{fmt}")
    header = ["", *shown["table"].column_labels, _("Total")]
    rows = [
        [label, *cells, total]
        for label, cells, total in zip(
            shown["table"].row_labels, shown["cells"], shown["row_totals"], strict=False
        )
    ]
    name = f"strom-{key}-{scope.start}-{scope.end}"
    # strom.exports writes every cell: text that starts like a formula stays text.
    if fmt == "csv":
        response = HttpResponse(
            exports.csv_text([header, *rows]), content_type=exports.CSV_CONTENT_TYPE
        )
    else:
        response = HttpResponse(
            exports.xlsx_bytes([[shown["table"].title], header, *rows], title=key[:30]),
            content_type=exports.XLSX_CONTENT_TYPE,
        )
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@recent_auth_required
@rate_limited("export", "STROM_RATE_EXPORTS", every_request=True)
def report_pdf(request):
    form, scope, own = _scope(request)
    shown = [_pdf_parts(_with_rows(_shown(table, own))) for table in all_tables(scope)]
    record(AuditAction.EXPORT, request=request, detail="report PDF")
    content = render_pdf(
        "pdf/report.html",
        {
            "scope": scope,
            "tables": shown,
            "cards": scorecard(scope.municipalities, scope.start, scope.end, _figure_minimum(own)),
            "timings": timings(scope, _figure_minimum(own)),
            "minimum": settings.STROM_REPORT_MIN_CELL,
            "publish_minimum": settings.STROM_REPORT_PUBLISH_MIN_CELL,
            "suppressed": not own,
            "language": request.LANGUAGE_CODE,
        },
        language=request.LANGUAGE_CODE,
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="strom-report-{scope.end}.pdf"'
    return response
