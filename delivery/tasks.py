"""Thin Celery tasks of the delivery app (idempotent: safe to run twice)."""

from celery import shared_task


@shared_task(name="delivery.repairs_escalate")
def repairs_escalate_task() -> int:
    from delivery.services.repairs import repairs_escalate

    return repairs_escalate()
