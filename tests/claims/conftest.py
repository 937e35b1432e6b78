"""An order of two sellers' offers and the operator's own product, and reasons to cancel it."""

from dataclasses import dataclass

import pytest

from pazar.claims.models import CancellationReason, CancellationType
from pazar.fulfilment.models import Package
from pazar.orders.models import Order, OrderItem
from tests.factories import ProductFactory, ProductStockFactory
from tests.fulfilment.conftest import place
from tests.orders.conftest import Shop, make_shop

from .factories import CancellationReasonFactory


@dataclass
class Ordered:
    shop: Shop
    order: Order
    package: Package  # the first seller's: `single` and `triple`
    single: OrderItem  # 1 unit of the first seller's offer
    triple: OrderItem  # 3 units of the first seller's second offer
    other: OrderItem  # 1 unit of the second seller's offer
    own: OrderItem  # 1 unit of the operator's own product
    cancel_reason: CancellationReason
    refund_reason: CancellationReason

    def url(self) -> str:
        return f"/omnitron/api/i1/orders/{self.order.pk}/cancel/"

    def stock(self, item: OrderItem):
        return self.shop.stock(item.product)


def make_ordered(operator_client, number: str = "MP-200") -> Ordered:
    shop = make_shop(stock=10)
    second = ProductFactory(seller=shop.offer.seller, live=True)
    ProductStockFactory(product=second, stock_list=shop.channel.catalog.stock_list, stock=10)
    order = place(
        operator_client, shop, number,
        [shop.item(shop.offer, price="100", discount_amount="10"),
         shop.item(second, quantity=3, price="50", discount_amount="15"),
         shop.item(shop.other_offer), shop.item(shop.own_product)],
    )  # fmt: skip
    single, triple, other, own = OrderItem.objects.filter(order=order).order_by("pk")
    return Ordered(
        shop, order, Package.objects.get(order=order, seller=shop.offer.seller),
        single, triple, other, own,
        CancellationReasonFactory(cancellation_type=CancellationType.CANCEL),
        CancellationReasonFactory(cancellation_type=CancellationType.REFUND),
    )  # fmt: skip


@pytest.fixture
def ordered(db, operator_client) -> Ordered:
    return make_ordered(operator_client)
