"""Races of order intake on real PostgreSQL connections: each thread has its own connection."""

import threading

import pytest
from django.db import connection
from rest_framework.test import APIClient

from pazar.fulfilment.models import Package
from pazar.orders.models import Order, OrderItem
from tests.factories import OperatorFactory, ProductFactory, ProductStockFactory, operator_token
from tests.orders.conftest import make_shop

pytestmark = pytest.mark.postgres_only


def _race(racers: int, work) -> list:
    """Run `work(racer)` in `racers` threads started together; the outcomes, or the errors."""
    start = threading.Barrier(racers)
    outcomes, lock = [], threading.Lock()

    def run(racer: int) -> None:
        try:
            start.wait(timeout=30)
            outcome = work(racer)
        except Exception as error:
            outcome = error
        finally:
            connection.close()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=run, args=(racer,)) for racer in range(racers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


def _client() -> APIClient:
    client = APIClient()
    client.credentials(
        HTTP_AUTHORIZATION=f"Token {operator_token(OperatorFactory(is_superuser=True))}"
    )
    return client


@pytest.mark.parametrize("round_", range(2))
def test_sixteen_imports_of_the_same_order_at_once_store_one(transactional_db, round_):
    shop, client = make_shop(stock=100), _client()
    body = shop.body(number="RACE-1", items=[shop.item(shop.offer), shop.item(shop.other_offer)])

    outcomes = _race(
        16,
        lambda _: client.post(shop.url("create_orders/"), body, format="json").status_code,
    )

    assert sorted(outcomes) == [200] * 15 + [201]
    assert Order.objects.count() == 1
    assert OrderItem.objects.count() == 2
    assert Package.objects.count() == 2
    assert shop.stock(shop.offer) == (99, 1)
    assert shop.stock(shop.other_offer) == (99, 1)


def test_orders_racing_for_the_last_units_take_exactly_them_and_the_rest_are_oversold(
    transactional_db,
):
    shop, client = make_shop(stock=20), _client()
    second = ProductFactory(seller=shop.offer.seller, live=True)
    ProductStockFactory(product=second, stock_list=shop.channel.catalog.stock_list, stock=20)
    orders_each, racers = 4, 16

    def place(racer: int) -> list[int]:
        statuses = []
        for n in range(orders_each):
            # Half the orders name the products in the other order: no deadlock either way.
            pair = [shop.item(shop.offer), shop.item(second)]
            items = pair if (racer + n) % 2 else pair[::-1]
            body = shop.body(number=f"R-{racer}-{n}", items=items)
            statuses.append(
                client.post(shop.url("create_orders/"), body, format="json").status_code
            )
        return statuses

    outcomes = _race(racers, place)

    assert [o for o in outcomes if not isinstance(o, list)] == []
    assert sorted(status for statuses in outcomes for status in statuses) == [201] * 64
    assert Order.objects.count() == racers * orders_each
    for product in (shop.offer, second):
        items = OrderItem.objects.filter(product=product)
        assert items.filter(oversold=False).count() == 20
        assert items.filter(oversold=True).count() == 44
        assert shop.stock(product) == (0, 20)
