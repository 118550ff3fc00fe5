"""Celery entry points of the cases app."""

from celery import shared_task

from .retention import anonymise_expired


@shared_task(acks_late=True, ignore_result=True)
def anonymise_expired_cases():
    """Daily from beat: anonymise the cases whose retention period has ended. Each case in
    its own transaction; idempotent, so running it twice changes nothing more."""
    return str(anonymise_expired())
