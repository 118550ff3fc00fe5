from celery import shared_task

from .actions import send_reminders


@shared_task(acks_late=True, ignore_result=True)
def training_reminders():
    """Hourly from beat; idempotent (each registration is reminded once)."""
    return send_reminders()
