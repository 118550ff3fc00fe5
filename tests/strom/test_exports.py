"""strom.exports: the one way STROM writes CSV and XLSX files."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from strom import exports


@pytest.mark.parametrize(
    "text",
    ["=1+1", '=HYPERLINK("http://x")', "+1", "-1", "-", "@SUM(A1)", "\t=1", "\r=1", "=", "@"],
)
def test_text_that_starts_like_a_formula_gets_an_apostrophe(text):
    assert exports.cell(text) == "'" + text


@pytest.mark.parametrize("text", ["Riga", "", "1-2", "a=b", " =1", "'quoted", "Jūrmala"])
def test_ordinary_text_is_left_alone(text):
    assert exports.cell(text) == text


@pytest.mark.parametrize(
    "value", [0, 7, -5, -0.5, 2.25, Decimal("-1.5"), datetime.date(2026, 1, 2), True]
)
def test_numbers_dates_and_booleans_stay_what_they_are(value):
    assert exports.cell(value) == value and type(exports.cell(value)) is type(value)


def test_nothing_is_an_empty_cell():
    assert exports.cell(None) == ""


def test_a_lazy_translation_is_text():
    from django.utils.translation import gettext_lazy

    assert exports.cell(gettext_lazy("Total")) == "Total"


ROWS = [["=1+1", -3, None, "ok"], ["@x", 4.5, "-x", "Ä"]]


def test_csv_content():
    rows = list(csv.reader(io.StringIO(exports.csv_text(ROWS))))
    assert rows == [["'=1+1", "-3", "", "ok"], ["'@x", "4.5", "'-x", "Ä"]]


def test_xlsx_content_has_no_formula_and_keeps_numbers():
    sheet = load_workbook(io.BytesIO(exports.xlsx_bytes(ROWS, title="t"))).active
    assert sheet.title == "t"
    cells = [[(c.value, c.data_type) for c in row] for row in sheet.iter_rows()]
    assert cells == [
        [("'=1+1", "s"), (-3, "n"), (None, "n"), ("ok", "s")],
        [("'@x", "s"), (4.5, "n"), ("'-x", "s"), ("Ä", "s")],
    ]


def test_xlsx_drops_characters_a_workbook_cannot_hold():
    """openpyxl refuses most C0 controls; an export must not fail because of one."""
    sheet = load_workbook(io.BytesIO(exports.xlsx_bytes([["a\x00b\x1bc", "\x01=1"]]))).active
    assert sheet.cell(row=1, column=1).value == "abc"
    assert sheet.cell(row=1, column=2).value == "'=1"
