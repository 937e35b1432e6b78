"""An order placed through the channel API with items of two sellers, and each seller's client."""

from dataclasses import dataclass

import pytest
from rest_framework.test import APIClient

from pazar.catalog.models import Product
from pazar.fulfilment.models import Package
from pazar.orders.models import Order
from tests.factories import (
    ProductFactory,
    ProductStockFactory,
    SellerMembershipFactory,
    seller_token,
)
from tests.orders.conftest import Shop, make_shop
from tests.orders.factories import CargoCompanyFactory

API = "/seller-center/api/i2"


def client_of(seller) -> APIClient:
    _, key = seller_token(SellerMembershipFactory(seller=seller))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    client.seller = seller
    return client


@dataclass
class Placed:
    shop: Shop
    order: Order
    package: Package  # the first seller's
    other_package: Package  # the second seller's
    second_offer: Product
    seller: APIClient  # the first seller's client
    other: APIClient  # the second seller's client

    def url(self, path: str = "", package: Package | None = None) -> str:
        return f"{API}/packages/{(package or self.package).number}/{path}"

    def refresh(self) -> Package:
        self.package.refresh_from_db()
        return self.package


def place(operator_client, shop: Shop, number: str, items: list[dict]) -> Order:
    response = operator_client.post(
        shop.url("create_orders/"), shop.body(number=number, items=items), format="json"
    )
    assert response.status_code == 201, response.json()
    return Order.objects.get(pk=response.json()["pk"])


@pytest.fixture
def placed(db, operator_client) -> Placed:
    shop = make_shop(stock=10)
    second = ProductFactory(seller=shop.offer.seller, live=True)
    ProductStockFactory(product=second, stock_list=shop.channel.catalog.stock_list, stock=10)
    order = place(
        operator_client,
        shop,
        "MP-100",
        [
            shop.item(shop.offer),
            shop.item(second, quantity=3),
            shop.item(shop.other_offer),
            shop.item(shop.own_product),
        ],
    )
    package = Package.objects.get(order=order, seller=shop.offer.seller)
    other_package = Package.objects.get(order=order, seller=shop.other_offer.seller)
    return Placed(
        shop, order, package, other_package, second,
        client_of(shop.offer.seller), client_of(shop.other_offer.seller),
    )  # fmt: skip


@pytest.fixture
def cargo(db):
    return CargoCompanyFactory(erp_code="YK", name="Yurtiçi Kargo")
