"""A real Celery worker, on the configured broker (Redis in CI), escalates an overdue
referral when beat's task arrives."""

import datetime
import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.db import OperationalError
from django.utils import timezone

from referrals.models import EscalationEvent, Referral
from referrals.tasks import sweep_escalations
from strom.celery import app


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_escalates_an_overdue_referral():
    from tests.conftest import _load_demo

    _load_demo()
    overdue = Referral.objects.filter(status="sent").order_by("pk").first()
    Referral.objects.filter(pk=overdue.pk).update(
        response_due_at=timezone.now() - datetime.timedelta(hours=1),
        next_escalation_at=timezone.now() - datetime.timedelta(hours=3),
    )

    def escalated():
        # On SQLite's shared in-memory test database a read can meet the worker's write
        # lock ("table is locked"): then it simply looks again.
        try:
            return EscalationEvent.objects.filter(referral=overdue, level=1).exists()
        except OperationalError:
            return False

    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        sweep_escalations.delay()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not escalated():
            time.sleep(0.2)
    assert set(
        EscalationEvent.objects.filter(referral=overdue).values_list("level", flat=True)
    ) == {0, 1}
