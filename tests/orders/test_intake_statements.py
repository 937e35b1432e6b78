"""What one order's intake costs in SQL statements: fixed, whatever the number of its lines.

The stock of all lines is taken with one locking read and one UPDATE, each seller's change lock
is taken once, the sellers are read with the products, and savepoints are opened only where a
rollback point is needed (the order's number, the packages' numbers)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pazar.orders.models import OrderItem
from tests.factories import ProductFactory, ProductStockFactory

pytestmark = pytest.mark.django_db

# token (with its user and membership), channel (with its catalog's lists), customer, the
# addresses (both in one read), products (with sellers); the request's savepoint; the order's
# savepoint, insert (a repeated number fails on the unique index: no lookup first), release;
# stock read (locking), stock UPDATE; items, their events; the packages' savepoint, insert,
# release; their items, events, status count, change rows, callbacks; release; the answer.
# PostgreSQL adds the seller's change lock.
STATEMENTS = 23


def _offers(shop, count: int) -> list:
    offers = [shop.offer]
    for _ in range(count - 1):
        offers.append(ProductFactory(seller=shop.offer.seller, live=True))
        ProductStockFactory(product=offers[-1], stock_list=shop.channel.catalog.stock_list)
    return offers


def _place(operator_client, shop, number: str, products) -> list[str]:
    body = shop.body(number=number, items=[shop.item(p, quantity=2) for p in products])
    with CaptureQueriesContext(connection) as captured:
        response = operator_client.post(shop.url("create_orders/"), body, format="json")
    assert response.status_code == 201, response.content
    return [query["sql"] for query in captured.captured_queries]


def test_a_five_item_order_is_a_fixed_few_statements(operator_client, shop):
    offers = _offers(shop, 5)
    _place(operator_client, shop, "WARM", offers[:1])

    statements = _place(operator_client, shop, "MP-5", offers)

    postgres = connection.vendor == "postgresql"
    assert len(statements) <= STATEMENTS + postgres, "\n".join(statements)
    locks = [sql for sql in statements if "pg_advisory_xact_lock" in sql]
    assert len(locks) == postgres  # one seller, locked once
    stock = [sql for sql in statements if '"inventory_productstock"' in sql]
    assert [sql.split()[0] for sql in stock] == ["SELECT", "UPDATE"]
    assert stock[0].endswith(" FOR UPDATE") is postgres  # SQLite: one writer at a time
    # The test's own transaction makes the request's a savepoint too: that one, the order's
    # number and the packages' numbers.
    assert sum(sql.startswith("SAVEPOINT") for sql in statements) == 3
    assert (
        list(OrderItem.objects.filter(order__number="MP-5").values_list("stock_taken"))
        == [(2,)] * 5
    )


def test_an_order_of_one_item_costs_as_many_statements_as_one_of_five(operator_client, shop):
    offers = _offers(shop, 5)
    _place(operator_client, shop, "WARM", offers[:1])

    one = _place(operator_client, shop, "MP-1", offers[:1])
    five = _place(operator_client, shop, "MP-5", offers)

    assert len(five) == len(one), "\n".join(five)
