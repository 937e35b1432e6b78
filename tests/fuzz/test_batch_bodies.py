"""Hypothesis-made bodies for PRD101 (products), PRD104 (prices and stocks) and PRD106 (stocks):
wrong types, huge and unicode strings, nulls, huge numbers, deep JSON, 1001 rows, 10 MB.

Never a 5xx, and never a partial write: a refused body leaves the database as it was; an
accepted one, once its batch has run, has every row either applied whole (in the success file)
or not at all (in the error file), and nothing else changed.
"""

from __future__ import annotations

import json
import os
import uuid
from decimal import Decimal

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from pazar.batches import files
from pazar.batches.models import BatchRequest, BatchStatus
from pazar.catalog.models import Product
from pazar.inventory.models import ProductStock
from pazar.pricing.models import ProductPrice
from tests.batches.helpers import PRODUCTS, accept, build_catalog, product_row, run_ready_tasks
from tests.factories import SellerMembershipFactory, seller_token

EXAMPLES = int(os.environ.get("PAZAR_FUZZ_EXAMPLES", "25"))
LONG_RUN = "PAZAR_FUZZ_EXAMPLES" in os.environ
PRICES_AND_STOCKS = "/seller-center/api/i2/products/prices-and-stocks/"
STOCKS = "/seller-center/api/i2/products/stocks/"
EXISTING = "EXIST-1"

pytestmark = pytest.mark.django_db
fuzz_settings = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    derandomize=not LONG_RUN,
    suppress_health_check=list(HealthCheck),
)


# --- strategies ---------------------------------------------------------------------------

huge_text = st.builds(
    lambda char, n: char * n, st.characters(codec="utf-8"), st.integers(256, 70_000)
)
text = st.one_of(
    st.text(),
    st.text(st.characters(codec="utf-8"), max_size=300),
    huge_text,
    st.sampled_from(["", " ", "\x00", "a\x00b", "\ud800", "🛒" * 300, "0", "-1", "1e400"]),
)
numbers = st.one_of(
    st.integers(),
    st.sampled_from([2**63, -(2**63) - 1, 10**30, -1, 0]),
    st.floats(allow_nan=False, allow_infinity=False),
    st.decimals(allow_nan=False, allow_infinity=False).map(str),
)
scalars = st.one_of(st.none(), st.booleans(), numbers, text)
json_values = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(text, children, max_size=4),
    max_leaves=12,
)


def mutated(valid_rows, names: list[str]):
    """Rows valid but for a few fields replaced by anything, or left out."""

    def mutate(row, replaced, dropped):
        row = {**row, **dict(replaced)}
        for name in dropped:
            row.pop(name, None)
        return row

    changes = st.lists(st.tuples(st.sampled_from(names), json_values), max_size=2)
    return st.builds(mutate, valid_rows, changes, st.lists(st.sampled_from(names), max_size=1))


def rows_of(row):
    return st.one_of(
        st.lists(row, min_size=1, max_size=4),
        st.lists(st.one_of(row, json_values), min_size=1, max_size=4),
        json_values,  # not a list of objects at all
    )


def amounts():
    return st.one_of(
        st.decimals(min_value=0, max_value=10**6, places=2).map(str),
        st.sampled_from(["-1", "1.234", "1e3", "NaN", "Infinity", " 5 ", "9" * 40, "0"]),
    )


def skus():
    known = st.sampled_from([EXISTING, "NEW-1", "NEW-2", " EXIST-1 ", "x" * 300, ""])
    return st.one_of(known, known, st.text(min_size=1, max_size=20))


def stock_fields(catalog) -> dict:
    return {
        "stock_list": st.sampled_from([str(catalog.stock.uuid), str(uuid.uuid4())]),
        "stock": st.one_of(st.integers(0, 10**6).map(str), st.integers(0, 10**6), amounts()),
        "unit_type": st.sampled_from(["qty", "kg", "box"]),
    }


def price_fields(catalog) -> dict:
    return {
        "price_list": st.sampled_from([str(catalog.usd.uuid), str(uuid.uuid4())]),
        "currency_type": st.sampled_from(["USD", "usd", "EUR"]),
        "retail_price": amounts(),
        "price": amounts(),
        "tax_rate": st.sampled_from(["0.08", "0", "1", "8", "-0.1"]),
    }


def row(fields: dict, optional=()):
    valid = st.fixed_dictionaries(fields, optional={name: json_values for name in optional})
    return mutated(valid, [*fields, *optional])


def stock_rows(catalog):
    return rows_of(row({"sku": skus(), **stock_fields(catalog)}, optional=["extra"]))


def price_stock_rows(catalog):
    return rows_of(row({"sku": skus(), **price_fields(catalog), **stock_fields(catalog)}))


def product_rows(catalog):
    product = row(
        {
            "name": st.one_of(st.text(min_size=1, max_size=50), text),
            "base_code": st.sampled_from(["BASE", "NEW"]),
            "sku": skus(),
            "category": st.sampled_from([str(catalog.category.uuid), str(uuid.uuid4())]),
            "attributes": st.fixed_dictionaries(
                {"COLOR": st.sampled_from(["Red", "B", "Green"])},
                optional={"SIZE": json_values},
            ),
            "prices": st.lists(row(price_fields(catalog)), max_size=2),
            "stocks": st.lists(row(stock_fields(catalog)), max_size=2),
        },
        optional=["images", "videos", "product", "restrict_for_others", "description"],
    )
    return rows_of(product)


# --- the world each example starts from -------------------------------------------------


@pytest.fixture
def marketplace(settings, tmp_path):
    """A seller with one product (EXIST-1, priced and stocked) and a client with its token."""
    settings.PAZAR_RATE_LIMITS = None
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "files"},
        },
    }
    membership = SellerMembershipFactory()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {seller_token(membership)[1]}")
    client.seller = membership.seller
    catalog = build_catalog(membership.seller)
    membership.seller.auto_approve = True
    accept(client, PRODUCTS, [product_row(catalog, EXISTING)])
    run_ready_tasks("default")
    return client, catalog


def state(seller) -> dict:
    """Everything a batch may change, comparable before and after."""
    return {
        "batches": BatchRequest.objects.count(),
        "tasks": DBTaskResult.objects.count(),
        "products": {
            p.sku: (p.name, p.base_code, p.category_id, json.dumps(p.attributes, sort_keys=True))
            for p in Product.objects.filter(seller=seller)
        },
        "prices": {
            (p.product.sku, str(p.price_list.uuid)): (p.price, p.retail_price, p.tax_rate)
            for p in ProductPrice.objects.filter(product__seller=seller).select_related(
                "product", "price_list"
            )
        },
        "stocks": {
            (s.product.sku, str(s.stock_list.uuid)): (s.stock, s.unit_type)
            for s in ProductStock.objects.filter(product__seller=seller).select_related(
                "product", "stock_list"
            )
        },
    }


def send_and_check(client, path: str, body) -> None:
    """Post `body` in a savepoint rolled back afterwards, and check the promises above."""
    savepoint = transaction.savepoint()
    try:
        before = state(client.seller)
        raw = json.dumps(body, ensure_ascii=True)
        response = client.generic("POST", path, raw.encode(), content_type="application/json")
        assert response.status_code < 500, response.content
        if response.status_code != 202:
            assert 400 <= response.status_code < 500
            assert response["Content-Type"] == "application/json"
            assert state(client.seller) == before  # nothing stored, nothing queued
            return
        check_batch(client.seller, response.json()["batch_request_id"], body, before)
    finally:
        transaction.savepoint_rollback(savepoint)


def check_batch(seller, batch_id: str, rows: list, before: dict) -> None:
    run_ready_tasks("default")
    batch = BatchRequest.objects.get(pk=batch_id)
    assert batch.status == BatchStatus.COMPLETED, batch.error
    succeeded = files.read_json(batch.success_file)
    failed = files.read_json(batch.error_file)
    assert sorted(r["index"] for r in succeeded + failed) == list(range(len(rows)))
    assert (batch.succeeded, batch.failed) == (len(succeeded), len(failed))
    after = state(seller)
    applied = [rows[r["index"]] for r in succeeded]
    skus = {str(r["sku"]).strip() for r in applied}
    # Only applied rows changed anything ...
    for table in ("products", "prices", "stocks"):
        changed = {
            key
            for key in before[table].keys() | after[table].keys()
            if before[table].get(key) != after[table].get(key)
        }
        touched = {key if table == "products" else key[0] for key in changed}
        assert touched <= skus, (table, touched, skus)
    # ... and each applied row, whole.
    for applied_row in applied:
        sku = str(applied_row["sku"]).strip()
        for stock in applied_row.get("stocks", []) + (
            [applied_row] if "stock" in applied_row else []
        ):
            value, _ = after["stocks"][(sku, str(stock["stock_list"]).strip().lower())]
            assert value == Decimal(str(stock["stock"]).strip())
        for price in applied_row.get("prices", []) + (
            [applied_row] if "price" in applied_row else []
        ):
            value, _, _ = after["prices"][(sku, str(price["price_list"]).strip().lower())]
            assert value == Decimal(str(price["price"]).strip())


# --- the tests -----------------------------------------------------------------------------


def test_prd106_stock_bodies(marketplace):
    client, catalog = marketplace

    @fuzz_settings
    @given(body=stock_rows(catalog))
    def run(body):
        send_and_check(client, STOCKS, body)

    run()


def test_prd104_price_and_stock_bodies(marketplace):
    client, catalog = marketplace

    @fuzz_settings
    @given(body=price_stock_rows(catalog))
    def run(body):
        send_and_check(client, PRICES_AND_STOCKS, body)

    run()


def test_prd101_product_bodies(marketplace):
    client, catalog = marketplace

    @fuzz_settings
    @given(body=product_rows(catalog))
    def run(body):
        send_and_check(client, PRODUCTS, body)

    run()


@pytest.mark.parametrize("path", [PRODUCTS, PRICES_AND_STOCKS, STOCKS])
def test_1001_rows_are_refused_whole(marketplace, path):
    client, catalog = marketplace
    rows = [
        {"sku": f"S-{i}", "stock_list": str(catalog.stock.uuid), "stock": "1"} for i in range(1001)
    ]
    before = state(client.seller)

    response = client.post(path, rows, format="json")

    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": ["Ensure this list has no more than 1000 items; it has 1001."]
    }
    assert state(client.seller) == before


def test_a_rich_1000_row_body_of_several_megabytes_is_accepted(marketplace):
    client, catalog = marketplace
    row = {"sku": EXISTING, "stock_list": str(catalog.stock.uuid), "stock": "1", "name": "x" * 4000}
    body = json.dumps([{**row, "sku": f"S-{i}"} for i in range(1000)])
    assert len(body) > 3_500_000  # past Django's default 2.5 MB

    response = client.generic("POST", PRODUCTS, body.encode(), content_type="application/json")

    assert response.status_code == 202, response.content[:300]


@pytest.mark.parametrize("path", [PRODUCTS, PRICES_AND_STOCKS, STOCKS])
def test_a_10_mb_body_is_refused_whole(marketplace, path):
    """Past PAZAR_MAX_BODY_BYTES (8 MiB by default)."""
    client, catalog = marketplace
    row = {
        "sku": EXISTING,
        "stock_list": str(catalog.stock.uuid),
        "stock": "1",
        "name": "x" * 10_500,
    }
    body = json.dumps([{**row, "sku": f"S-{i}"} for i in range(1000)])
    assert len(body) > 10 * 1024 * 1024
    before = state(client.seller)

    response = client.generic("POST", path, body.encode(), content_type="application/json")

    assert response.status_code == 413
    assert response.json() == {
        "detail": "The request body is larger than 8388608 bytes; send fewer or smaller items.",
        "code": "request_too_large",
    }
    assert state(client.seller) == before


@pytest.mark.parametrize("depth", [33, 1000, 200_000])
def test_deep_json_is_refused_whole(marketplace, depth):
    client, _ = marketplace
    before = state(client.seller)

    body = "[" + '{"sku": "A", "stock": ' + "[" * depth + "]" * depth + "}]"
    response = client.generic("POST", STOCKS, body.encode(), content_type="application/json")

    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"
    assert state(client.seller) == before
