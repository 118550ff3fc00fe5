"""The Celery worker and beat: the heartbeat task, run by a real worker against the
configured broker (Redis in CI, the filesystem broker locally)."""

import time
from datetime import timedelta

import pytest
from celery.contrib.testing.worker import start_worker
from django.db import OperationalError
from django.urls import reverse
from django.utils import timezone

from strom.celery import app
from strom.models import Heartbeat
from strom.tasks import record_heartbeat


@pytest.mark.django_db
def test_heartbeat_task_records_the_time(settings):
    before = timezone.now()
    record_heartbeat()
    record_heartbeat()
    beat = Heartbeat.objects.get()
    assert beat.last_seen_at >= before
    assert not Heartbeat.background_jobs_late()


@pytest.mark.django_db
def test_jobs_are_late_when_the_heartbeat_is_old_or_missing():
    assert Heartbeat.background_jobs_late()
    Heartbeat.beat(now=timezone.now() - timedelta(minutes=6))
    assert Heartbeat.background_jobs_late()
    Heartbeat.beat()
    assert not Heartbeat.background_jobs_late()


def test_beat_schedules_the_heartbeat_every_minute(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["heartbeat"]
    assert entry["task"] == record_heartbeat.name
    assert entry["schedule"] == 60.0


@pytest.mark.parametrize(
    ("username", "warned"),
    [("coord.riga", True), ("admin.riga", True), ("sw.riga", False), ("national.lv", False)],
)
def test_coordinators_and_administrators_are_warned_when_jobs_stop(
    demo, client_for, username, warned
):
    Heartbeat.beat(now=timezone.now() - timedelta(hours=1))
    page = client_for(demo.users[username]).get(reverse("home")).content.decode()
    assert ("Background jobs are not running" in page) is warned


def test_no_warning_while_jobs_run(demo, client_for):
    Heartbeat.beat()
    page = client_for(demo.users["coord.riga"]).get(reverse("home")).content.decode()
    assert "Background jobs are not running" not in page


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_runs_the_heartbeat_from_the_broker():
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        record_heartbeat.delay()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                if Heartbeat.objects.exists():
                    break
            except OperationalError:  # SQLite's shared test database: the worker is writing
                pass
            time.sleep(0.2)
    assert Heartbeat.objects.filter(name=Heartbeat.BEAT).exists()
