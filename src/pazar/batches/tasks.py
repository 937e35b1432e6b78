"""Background tasks: ids in, a service call, nothing else (both are safe to run twice)."""

from django_tasks import task

from pazar.batches import services


@task()
def process_batch(batch_id: str) -> None:
    services.batch_run(batch_id=batch_id)


@task(queue_name="callbacks")
def notify_seller(batch_id: str, attempt: int = 1) -> None:
    services.batch_notify(batch_id=batch_id, attempt=attempt)
