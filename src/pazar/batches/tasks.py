"""Background tasks: ids in, a service call, nothing else (both are safe to run twice)."""

from django_tasks import task

from pazar.batches import services
from pazar.core.logs import log_context


@task()
def process_batch(batch_id: str) -> None:
    with log_context(batch_id=batch_id):
        services.batch_run(batch_id=batch_id)


@task(queue_name="callbacks")
def notify_seller(batch_id: str, attempt: int = 1) -> None:
    with log_context(batch_id=batch_id):
        services.batch_notify(batch_id=batch_id, attempt=attempt)
