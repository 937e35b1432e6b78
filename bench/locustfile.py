"""Locust: sellers integrating with the Seller Center at once (run by bench/load.py).

Each simulated user is one seller with its own token and 200 products (made by bench/load.py
before the run). It mixes, by weight:

- PRD101 product upserts (20 rows), PRD104 price-and-stock updates (50 rows), PRD106 stock
  updates (100 rows): each answered 202 with a batch id;
- PRD102 product pages: the default list, page 2, a category filter, a SKU lookup;
- PRD107 polls of its own recent batches.

`PAZAR_LOAD_PLAN` names the JSON file bench/load.py wrote (catalog ids, sellers and tokens);
`PAZAR_LOAD_STATUS` the file this writes on exit with every answer counted by endpoint and
status, so 5xx are counted whatever locust's own failure rules say.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import threading
from collections import Counter

from locust import FastHttpUser, between, events, task

PLAN = json.loads(open(os.environ["PAZAR_LOAD_PLAN"]).read())  # noqa: SIM115
SELLERS = itertools.cycle(PLAN["sellers"])
STATUS: Counter = Counter()
STATUS_LOCK = threading.Lock()
COUNTER = itertools.count(1)
PRODUCTS = "/seller-center/api/i2/products/"


@events.request.add_listener
def count_status(request_type, name, response_length, exception, response=None, **kwargs):
    code = getattr(response, "status_code", 0) if response is not None else 0
    with STATUS_LOCK:
        STATUS[f"{name} {code}"] += 1


@events.quitting.add_listener
def write_status(environment, **kwargs):
    path = os.environ.get("PAZAR_LOAD_STATUS")
    if path:
        with open(path, "w") as handle:
            json.dump(dict(sorted(STATUS.items())), handle, indent=1)


class Seller(FastHttpUser):
    wait_time = between(0.5, 1.5)

    def on_start(self) -> None:
        self.seller = next(SELLERS)
        self.headers = {"Authorization": f"Token {self.seller['token']}"}
        self.batches: list[str] = []

    def rows(self, count: int, make) -> list[dict]:
        skus = random.sample(self.seller["skus"], min(count, len(self.seller["skus"])))
        return [make(sku, next(COUNTER)) for sku in skus]

    def send(self, name: str, path: str, rows: list[dict]) -> None:
        with self.client.post(
            path, json=rows, headers=self.headers, name=name, catch_response=True
        ) as response:
            if response.status_code != 202:
                response.failure(f"{response.status_code}: {response.text[:200]}")
                return
            self.batches = [response.json()["batch_request_id"], *self.batches[:19]]

    @task(2)
    def prd101_upsert(self) -> None:
        def make(sku, n):
            return {
                "name": f"T-shirt {sku} v{n}",
                "base_code": sku.rsplit("-", 1)[0],
                "sku": sku,
                "category": PLAN["category"],
                "attributes": {"COLOR": random.choice(["Red", "Blue"])},
                "prices": [{"price_list": PLAN["price_list"], "currency_type": "USD",
                            "retail_price": "30.00", "price": "25.00", "tax_rate": "0.08"}],
                "stocks": [{"stock_list": PLAN["stock_list"], "stock": str(n % 500),
                            "unit_type": "qty"}],
            }  # fmt: skip

        self.send("PRD101 POST products", PRODUCTS, self.rows(20, make))

    @task(2)
    def prd104_prices_and_stocks(self) -> None:
        def make(sku, n):
            return {"sku": sku, "price_list": PLAN["price_list"], "currency_type": "USD",
                    "retail_price": f"{40 + n % 50}.00", "price": f"{30 + n % 50}.00",
                    "tax_rate": "0.08", "stock_list": PLAN["stock_list"], "stock": str(n % 500),
                    "unit_type": "qty"}  # fmt: skip

        self.send("PRD104 POST prices-and-stocks", PRODUCTS + "prices-and-stocks/",
                  self.rows(50, make))  # fmt: skip

    @task(3)
    def prd106_stocks(self) -> None:
        def make(sku, n):
            return {"sku": sku, "stock_list": PLAN["stock_list"], "stock": str(n % 500),
                    "unit_type": "qty"}  # fmt: skip

        self.send("PRD106 POST stocks", PRODUCTS + "stocks/", self.rows(100, make))

    @task(6)
    def prd102_pages(self) -> None:
        query, name = random.choice(
            [
                ("limit=20", "PRD102 GET products"),
                ("limit=20&page=2", "PRD102 GET products page 2"),
                (f"limit=20&category={PLAN['category']}", "PRD102 GET products ?category"),
                (f"sku={random.choice(self.seller['skus'])}", "PRD102 GET products ?sku"),
            ]
        )
        self.client.get(f"{PRODUCTS}?{query}", headers=self.headers, name=name)

    @task(6)
    def prd107_poll(self) -> None:
        if not self.batches:
            return
        batch = random.choice(self.batches[:5])
        self.client.get(
            f"{PRODUCTS}batch-requests/{batch}/",
            headers=self.headers,
            name="PRD107 GET batch-requests/{id}",
        )
