"""The cancel's queries do not grow with its items: reads, locks and writes go per order,
package and table, never per item or unit (a 5-item cancel costs what a 1-item cancel does);
the services it runs join its transaction without savepoints of their own."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pazar.claims.models import Claim
from pazar.orders.models import OrderItem
from tests.factories import ProductFactory, ProductStockFactory
from tests.fulfilment.conftest import place
from tests.orders.conftest import make_shop

from .factories import CancellationReasonFactory

pytestmark = pytest.mark.django_db


def _cancel_all(operator_client, order, reason) -> list[str]:
    items = list(OrderItem.objects.filter(order=order).order_by("pk"))
    body = {
        "cancel_items": [item.pk for item in items],
        "reasons": {str(item.pk): reason.pk for item in items},
    }
    with CaptureQueriesContext(connection) as queries:
        response = operator_client.post(
            f"/omnitron/api/i1/orders/{order.pk}/cancel/", body, format="json"
        )
    assert response.status_code == 200, response.json()
    assert [claim["status"] for claim in response.json()] == ["completed"] * len(items)
    return [query["sql"] for query in queries.captured_queries]


def test_a_cancel_of_many_items_makes_no_more_queries_than_one_of_a_single_item(
    operator_client,
):
    shop = make_shop(stock=10)
    stock_list = shop.channel.catalog.stock_list
    offers = [shop.offer]
    own = [shop.own_product]
    for _ in range(4):
        offers.append(ProductFactory(seller=shop.offer.seller, live=True))
        ProductStockFactory(product=offers[-1], stock_list=stock_list, stock=10)
    for _ in range(2):
        own.append(ProductFactory(seller=None, live=True))
        ProductStockFactory(product=own[-1], stock_list=stock_list, stock=10)
    reason = CancellationReasonFactory(cancellation_type="cancel")
    small = place(
        operator_client, shop, "MP-Q1", [shop.item(offers[0]), shop.item(own[0])]
    )  # fmt: skip
    large = place(
        operator_client, shop, "MP-Q2",
        [shop.item(product, quantity=2) for product in offers]
        + [shop.item(product) for product in own],
    )  # fmt: skip

    one = _cancel_all(operator_client, small, reason)
    many = _cancel_all(operator_client, large, reason)

    assert Claim.objects.filter(order=large).count() == 8
    assert len(many) <= len(one), (len(one), len(many))
    # the cancel's own savepoint (it runs in the test's transaction), none for what it calls
    assert len([sql for sql in many if sql.startswith("SAVEPOINT")]) == 1, many
    assert [shop.stock(product)[0] for product in offers + own] == [10] * 8
