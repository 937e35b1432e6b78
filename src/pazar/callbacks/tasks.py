"""Background tasks: ids in, a service call, nothing else (safe to run twice)."""

from django_tasks import task

from pazar.callbacks import services
from pazar.core.logs import log_context


@task(queue_name="callbacks")
def deliver_callback(callback_id: int, attempt: int = 1) -> None:
    with log_context(callback_id=callback_id):
        services.callback_deliver(callback_id=callback_id, attempt=attempt)
