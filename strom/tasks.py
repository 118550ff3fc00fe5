"""Celery entry points of the shared core. Tasks call model methods or actions."""

from celery import shared_task

from .models import Heartbeat


@shared_task(acks_late=True, ignore_result=True)
def record_heartbeat():
    """Every minute from beat: shows that the worker and beat are running."""
    Heartbeat.beat()
