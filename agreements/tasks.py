from celery import shared_task

from .actions import daily


@shared_task(acks_late=True, ignore_result=True)
def agreements_daily():
    """Daily from beat: statuses by date, and review/expiry reminders. Idempotent."""
    return daily()
