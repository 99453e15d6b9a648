"""Celery tasks of reposting: mandates accepted automatically, reminders."""
from jiyue.celery_app import app


@app.task(acks_late=True)
def auto_accept_mandate(mandate_id: int) -> int:
    from .services.mandates import auto_accept

    return auto_accept(mandate_id)


@app.task(acks_late=True)
def send_mandate_reminders() -> int:
    from .services.mandates import send_reminders

    return send_reminders()


@app.task(acks_late=True)
def deliver_to_subscribers(resource_id: int) -> int:
    from .services.subscriptions import deliver

    return deliver(resource_id)
