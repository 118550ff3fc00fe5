"""Certificates are drawn by WeasyPrint on request, which is CPU-heavy: each person may draw
only STROM_RATE_PDF PDFs in a window (agreements and certificates together)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from training import actions
from training.models import Registration, TrainingEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate_url(demo):
    event = actions.save_event(
        by=demo.users["admin.riga"],
        event=TrainingEvent(
            title="Identification",
            municipality=demo.municipalities["RIX"],
            starts_at=timezone.now() - datetime.timedelta(days=2),
            duration_hours=3,
            place="Room 1",
            organiser=demo.actors["riga-social"],
            capacity=10,
        ),
        topics=["identification"],
    )
    registration = Registration.objects.create(event=event, user=demo.users["sw.riga"])
    actions.mark_attendance(
        by=demo.users["admin.riga"], event=event, attended_ids={registration.pk}
    )
    return reverse("training_certificate", args=[event.pk, registration.pk])


def test_the_certificate_after_the_limit_is_refused_with_429_and_no_pdf(
    demo, client_for, certificate_url, settings
):
    settings.STROM_RATE_PDF = "2/h"
    attendee = client_for(demo.users["sw.riga"])
    for _ in range(2):
        response = attendee.get(certificate_url)
        assert response.status_code == 200 and response.content.startswith(b"%PDF")
    refused = attendee.get(certificate_url)
    assert refused.status_code == 429
    assert not refused.content.startswith(b"%PDF")
    assert "Too many requests" in refused.content.decode()
    # Another person (the organiser) still gets hers.
    assert client_for(demo.users["admin.riga"]).get(certificate_url).status_code == 200


def test_agreement_and_certificate_pdfs_share_one_limit(
    demo, client_for, certificate_url, settings
):
    settings.STROM_RATE_PDF = "1/h"
    from agreements.models import Agreement

    agreement = Agreement.objects.filter(municipality__code="RIX").first()
    admin = client_for(demo.users["admin.riga"])
    number = agreement.versions.order_by("number").first().number
    assert admin.get(reverse("agreement_pdf", args=[agreement.pk, number])).status_code == 200
    assert admin.get(certificate_url).status_code == 429
