"""A sales channel ready to take orders: its catalog's lists, a seller's offers with stock, a
customer with an address."""

from dataclasses import dataclass
from decimal import Decimal

import pytest

from pazar.catalog.models import Product
from pazar.channels.models import Channel
from pazar.customers.models import Address, Customer
from tests.channels.factories import ChannelFactory
from tests.customers.factories import AddressFactory
from tests.factories import ProductFactory, ProductStockFactory, SellerFactory


@dataclass
class Shop:
    channel: Channel
    customer: Customer
    address: Address
    offer: Product
    other_offer: Product
    own_product: Product

    def url(self, path: str) -> str:
        return f"/omnitron/api/v1/channel/{self.channel.pk}/{path}"

    def stock(self, product: Product) -> tuple[Decimal, Decimal]:
        row = product.stocks.get(stock_list=self.channel.catalog.stock_list)
        return row.stock, row.sold_quantity_unreported

    def body(self, number: str = "MP-1", items: list[dict] | None = None, **order) -> dict:
        items = items if items is not None else [self.item(self.offer)]
        return {
            "order": {
                "number": number, "status": "400", "channel": self.channel.pk,
                "customer": self.customer.pk, "shipping_address": self.address.pk,
                "billing_address": self.address.pk, "currency": "TRY", "amount": "249.90",
                "shipping_amount": 0, "shipping_tax_rate": None, "extra_field": {"id": number},
                "delivery_type": None, "cargo_company": None, "discount_amount": 0,
                "net_shipping_amount": None, "tracking_number": None,
                "carrier_shipping_code": "", "remote_addr": None, "has_gift_box": False,
                "gift_box_note": "", "client_type": "default", "language_code": "tr-tr",
                "notes": "", "delivery_range": None, "shipping_option_slug": "",
                "date_placed": "2025-01-02 10:00:00+00:00", **order,
            },
            "order_item": items,
        }  # fmt: skip

    def item(self, product: Product, **fields) -> dict:
        return {
            "product": product.pk, "status": "400", "price_currency": "TRY", "price": 249.9,
            "tax_rate": "20", "extra_field": {"id": f"line-{product.pk}"}, "price_list": None,
            "stock_list": None, "tracking_number": None, "carrier_shipping_code": "",
            "discount_amount": None, "retail_price": None, "attributes": {},
            "attributes_kwargs": {}, "parent": None, "delivered_date": None,
            "estimated_delivery_date": None, **fields,
        }  # fmt: skip


def make_shop(stock: int = 10) -> Shop:
    channel = ChannelFactory()
    stock_list = channel.catalog.stock_list
    seller, other_seller = SellerFactory(), SellerFactory()
    offer = ProductFactory(seller=seller, live=True)
    other_offer = ProductFactory(seller=other_seller, live=True)
    own_product = ProductFactory(seller=None, live=True)
    for product in (offer, other_offer, own_product):
        ProductStockFactory(product=product, stock_list=stock_list, stock=stock)
    address = AddressFactory(customer__channel=channel)
    return Shop(channel, address.customer, address, offer, other_offer, own_product)


@pytest.fixture
def shop(db) -> Shop:
    return make_shop()
