import csv
import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from cases.models import Case
from strom.audit import AuditEvent

pytestmark = pytest.mark.django_db
PERIOD = {"start": "2020-01-01", "end": "2030-12-31"}


@pytest.mark.parametrize("username", ["sw.riga", "admin.riga", "provider.riga", "sw.jelgava"])
def test_staff_without_a_coordinating_role_cannot_open_reports(demo, client_for, username):
    client = client_for(demo.users[username])
    assert client.get(reverse("report")).status_code == 404
    assert client.get(reverse("report_export", args=["status", "csv"])).status_code == 404
    assert client.get(reverse("report_pdf")).status_code == 404


def test_coordinator_sees_only_her_municipality_unsuppressed(demo, client_for):
    response = client_for(demo.users["coord.riga"]).get(reverse("report"), PERIOD)
    scope = response.context["scope"]
    assert [m.code for m in scope.municipalities] == ["RIX"]
    status = next(t for t in response.context["tables"] if t["table"].key == "status")
    assert status["suppressed"] is False
    assert (
        sum(sum(row) for row in status["cells"])
        == Case.objects.filter(municipality__code="RIX").count()
    )
    other = client_for(demo.users["coord.riga"]).get(
        reverse("report"), {**PERIOD, "municipalities": [demo.municipalities["JEL"].pk]}
    )
    assert [m.code for m in other.context["scope"].municipalities] == ["RIX"]


def test_national_coordinator_sees_her_country_suppressed(demo, client_for):
    response = client_for(demo.users["national.lv"]).get(reverse("report"), PERIOD)
    assert {m.code for m in response.context["scope"].municipalities} == {"RIX", "JEL"}
    for item in response.context["tables"]:
        assert item["suppressed"] is True
        for row in item["cells"]:
            for value in row:
                assert value is None or value == 0 or value >= item["minimum"]
    eurostat = next(t for t in response.context["tables"] if t["table"].key == "eurostat")
    assert eurostat["minimum"] == 11


def test_no_reference_code_or_name_reaches_the_national_coordinator(demo, client_for):
    client = client_for(demo.users["national.lv"])
    outputs = [client.get(reverse("report"), PERIOD).content.decode()]
    for key in ["status", "forms", "age", "citizenship", "referrals", "needs", "eurostat"]:
        outputs.append(
            client.get(reverse("report_export", args=[key, "csv"]), PERIOD).content.decode()
        )
    text = "\n".join(outputs)
    assert not re.search(r"[A-Z]{3}-\d{4}-\d{4}", text)
    for name in ["Nguyen", "Lan ", "Oksana", "Bērziņa"]:
        assert name not in text


def test_csv_and_xlsx_exports_are_audited_and_match_the_page(demo, client_for):
    client = client_for(demo.users["coord.riga"])
    response = client.get(reverse("report_export", args=["status", "csv"]), PERIOD)
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][-1] == "Total" and rows[1][0] == "Riga"
    assert int(rows[1][-1]) == Case.objects.filter(municipality__code="RIX").count()
    xlsx = client.get(reverse("report_export", args=["status", "xlsx"]), PERIOD)
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet.cell(row=3, column=1).value == "Riga"
    assert AuditEvent.objects.filter(action="export", detail="report status.csv").exists()


def test_unknown_table_or_format_is_404(demo, client_for):
    client = client_for(demo.users["coord.riga"])
    assert client.get(reverse("report_export", args=["nothing", "csv"])).status_code == 404
    assert client.get(reverse("report_export", args=["status", "exe"])).status_code == 404


def test_report_pdf_downloads(demo, client_for):
    response = client_for(demo.users["national.lv"]).get(reverse("report_pdf"), PERIOD)
    assert response.content.startswith(b"%PDF")


def test_bad_period_input_is_ignored_not_an_error(demo, client_for):
    response = client_for(demo.users["national.lv"]).get(
        reverse("report"), {"start": "yesterday", "end": "2030-13-45", "granularity": "weekly"}
    )
    assert response.status_code == 200


def test_report_runs_the_same_number_of_queries_whatever_the_data_size(demo, client_for, open_case):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(demo.users["national.lv"])
    client.get(reverse("report"), PERIOD)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("report"), PERIOD).status_code == 200
        return len(queries)

    before = count()
    for _ in range(20):
        open_case()
    assert count() == before
