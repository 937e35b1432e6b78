"""What the batch engine tests share: a small catalog, the real task runner, a callback server."""

from __future__ import annotations

import http.server
import json
import threading
from dataclasses import dataclass, field

from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from pazar.catalog.models import Category, DataType
from pazar.catalog.services import attribute_upsert, category_attribute_set, category_upsert
from pazar.inventory.models import StockList
from pazar.inventory.services import stock_list_upsert
from pazar.pricing.models import PriceList
from pazar.pricing.services import price_list_upsert

PRODUCTS = "/seller-center/api/i2/products/"
STOCKS = "/seller-center/api/i2/products/stocks/"
BATCH = "/seller-center/api/i2/products/batch-requests/"


@dataclass
class Catalog:
    category: Category
    usd: PriceList
    stock: StockList


def build_catalog(*sellers) -> Catalog:
    """One leaf category with a required COLOR, a USD price list and a stock list for `sellers`."""
    root = category_upsert(code="root", name="Marketplace")
    tshirts = category_upsert(code="tshirts", name="T-Shirts", parent=root)
    color = attribute_upsert(
        key="COLOR",
        name="Color",
        data_type=DataType.DROPDOWN,
        values=[{"label": "Red", "value": "R"}, {"label": "Blue", "value": "B"}],
    )
    category_attribute_set(category=tshirts, attribute=color, is_required=True, is_variant=True)
    usd = price_list_upsert(code="usd", name="USD", currency="USD")
    stock = stock_list_upsert(code="main", name="Main")
    for seller in sellers:
        usd.sellers.add(seller)
        stock.sellers.add(seller)
    return Catalog(tshirts, usd, stock)


def product_row(catalog: Catalog, sku: str, *, color: str = "Red", stock: str = "5") -> dict:
    return {
        "name": f"T-shirt {sku}",
        "base_code": sku.rsplit("-", 1)[0],
        "sku": sku,
        "category": str(catalog.category.uuid),
        "attributes": {"COLOR": color},
        "prices": [
            {
                "price_list": str(catalog.usd.uuid),
                "currency_type": "USD",
                "retail_price": "20.00",
                "price": "15.00",
                "tax_rate": "0.08",
            }
        ],
        "stocks": [{"stock_list": str(catalog.stock.uuid), "stock": stock, "unit_type": "qty"}],
    }


def stock_row(catalog: Catalog, sku: str, stock: str) -> dict:
    return {"sku": sku, "stock_list": str(catalog.stock.uuid), "stock": stock, "unit_type": "qty"}


def accept(client, path: str, rows: list[dict]) -> str:
    """Send a bulk body as a seller does; returns the batch id of the 202."""
    response = client.post(path, rows, format="json")
    assert response.status_code == 202, response.content
    return response.json()["batch_request_id"]


def run_ready_tasks(queue_name: str) -> list[DBTaskResult]:
    """Run the queue's ready tasks, oldest first, with django-tasks-db's own `Worker.run_task`.

    The worker loop itself is not used because it closes the database connection between
    tasks, which would end the test's transaction.
    """
    worker = Worker(
        queue_names=[queue_name],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    ran = []
    while (task := DBTaskResult.objects.ready().filter(queue_name=queue_name).first()) is not None:
        task.claim(worker.worker_id)
        worker.run_task(task)
        task.refresh_from_db()
        ran.append(task)
    return ran


def tasks_of(task_name: str) -> list[DBTaskResult]:
    return list(
        DBTaskResult.objects.filter(task_path=f"pazar.batches.tasks.{task_name}").order_by(
            "enqueued_at"
        )
    )


def callback_tasks() -> list[DBTaskResult]:
    """The delivery tasks of sellers' callback events (pazar.callbacks), oldest first."""
    return list(
        DBTaskResult.objects.filter(task_path="pazar.callbacks.tasks.deliver_callback").order_by(
            "enqueued_at"
        )
    )


@dataclass
class Received:
    path: str
    headers: dict
    body: bytes


@dataclass
class CallbackServer:
    """A seller's callback endpoint on 127.0.0.1 that records every request it gets."""

    status: int = 204
    received: list[Received] = field(default_factory=list)

    def __enter__(self) -> CallbackServer:
        owner = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                owner.received.append(Received(self.path, dict(self.headers), body))
                self.send_response(owner.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_port}/pazar/callback"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def json_bodies(self) -> list[dict]:
        return [json.loads(request.body) for request in self.received]
