"""Agreement PDFs are drawn by WeasyPrint on request, which is CPU-heavy: each person may
draw only STROM_RATE_PDF of them in a window."""

import pytest
from django.urls import reverse

from strom.audit import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db


def test_the_pdf_after_the_limit_is_refused_with_429_and_no_pdf(demo, client_for, mou, settings):
    settings.STROM_RATE_PDF = "2/h"
    admin = client_for(demo.users["admin.riga"])
    url = reverse("agreement_pdf", args=[mou.pk, 1])
    for _ in range(2):
        response = admin.get(url)
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    printed = AuditEvent.objects.filter(action=AuditAction.PRINT).count()
    refused = admin.get(url)
    assert refused.status_code == 429
    assert refused["Content-Type"].startswith("text/html")
    assert not refused.content.startswith(b"%PDF")
    assert "Too many requests" in refused.content.decode()
    assert AuditEvent.objects.filter(action=AuditAction.PRINT).count() == printed


def test_the_pdf_limit_counts_per_person(demo, client_for, mou, settings):
    settings.STROM_RATE_PDF = "1/h"
    url = reverse("agreement_pdf", args=[mou.pk, 1])
    assert client_for(demo.users["admin.riga"]).get(url).status_code == 200
    assert client_for(demo.users["admin.riga"]).get(url).status_code == 429
    assert client_for(demo.users["coord.riga"]).get(url).status_code == 200
