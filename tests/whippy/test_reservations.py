"""Reservations never drive a location's available stock below zero, also when they race."""

import threading

import pytest
from django.db import connection

from pazar.core.errors import ApplicationError
from pazar.whippy import selectors, services
from pazar.whippy.models import Stock
from tests.whippy.factories import StockFactory


@pytest.mark.django_db
def test_order_flows_reserve_and_release_by_sku_provider_and_location():
    stock = StockFactory(sku="A", location__code="110", location__provider__code="wh", stock=2)
    stock_id = selectors.stock_id_for(sku="A", provider="wh", location="110")

    services.stock_reserve(stock_id=stock_id, quantity=2)
    with pytest.raises(ApplicationError) as refused:
        services.stock_reserve(stock_id=stock_id, quantity=1)
    services.stock_release(stock_id=stock_id, quantity=1)

    stock.refresh_from_db()
    assert refused.value.get_codes() == "insufficient_stock"
    assert (stock.reserved_stock, stock.available_stock) == (1, 1)
    assert selectors.stock_id_for(sku="A", provider="wh", location="999") is None


@pytest.mark.parametrize("round_", range(3))
def test_two_connections_reserving_the_last_unit_at_once_one_succeeds(transactional_db, round_):
    stock = StockFactory(stock=3, reserved_stock=2)
    racers = 2
    start = threading.Barrier(racers)
    outcomes: dict[int, str] = {}

    def reserve(racer: int) -> None:
        try:
            start.wait(timeout=10)
            services.stock_reserve(stock_id=stock.pk, quantity=1)
            outcomes[racer] = "reserved"
        except ApplicationError as error:
            outcomes[racer] = error.get_codes()
        finally:
            connection.close()

    threads = [threading.Thread(target=reserve, args=(racer,)) for racer in range(racers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(outcomes.values()) == ["insufficient_stock", "reserved"]
    stock.refresh_from_db()
    assert (stock.stock, stock.reserved_stock, stock.available_stock) == (3, 3, 0)


def test_many_connections_racing_reserve_exactly_the_available_units(transactional_db):
    stock = StockFactory(stock=5)
    racers = 8
    start = threading.Barrier(racers)
    outcomes: list[str] = []
    lock = threading.Lock()

    def reserve() -> None:
        try:
            start.wait(timeout=10)
            services.stock_reserve(stock_id=stock.pk, quantity=1)
            outcome = "reserved"
        except ApplicationError as error:
            outcome = error.get_codes()
        finally:
            connection.close()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=reserve) for _ in range(racers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(outcomes) == ["insufficient_stock"] * 3 + ["reserved"] * 5
    assert Stock.objects.get(pk=stock.pk).reserved_stock == 5
