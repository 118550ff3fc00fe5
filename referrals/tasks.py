from celery import shared_task

from .escalation import sweep


@shared_task(acks_late=True, ignore_result=True)
def sweep_escalations():
    """Every minute from beat. Safe to run twice or in parallel (see escalation.sweep)."""
    return sweep()
