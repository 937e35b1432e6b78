"""What the Whippy Ware tests share: the real task runner and a look at Omnitron's stocks."""

from __future__ import annotations

from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from pazar.inventory.models import ProductStock

STOCKS = "/whippy-ware/api/v1/stocks/"
RECOMPUTE = "pazar.whippy.tasks.recompute_pending"


def run_tasks() -> list[DBTaskResult]:
    """Run the ready tasks, oldest first, with django-tasks-db's own `Worker.run_task`.

    The worker loop itself closes the connection between tasks, which would end the test's
    transaction.
    """
    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    ran = []
    while (task := DBTaskResult.objects.ready().order_by("enqueued_at").first()) is not None:
        task.claim(worker.worker_id)
        worker.run_task(task)
        task.refresh_from_db()
        assert task.status == "SUCCESSFUL", task.traceback
        ran.append(task)
    return ran


def omnitron_stocks(remote) -> dict[str, int]:
    """SKU → the stock Omnitron holds for it in the stock list `remote`."""
    return {
        sku: int(stock)
        for sku, stock in ProductStock.objects.filter(stock_list=remote).values_list(
            "product__sku", "stock"
        )
    }


def location_sum(*blocks: dict, **options) -> dict:
    return {"blocks": list(blocks), **options}
