"""Background tasks: nothing in, a service call (safe to run twice, or alongside each other)."""

from django_tasks import task

from pazar.whippy.services import aggregation


@task()
def recompute_pending() -> None:
    aggregation.pending_drain()
