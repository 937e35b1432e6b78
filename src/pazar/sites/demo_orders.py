"""`pazar demo`'s orders: a web shop channel selling the demo seller's T-shirts, and a few
orders whose packages stand in each state (preparing, ready to ship, shipped, delivered), so
the seller panel's packages, the admin's orders and the dashboard have something to show.

Every row is written by its owner's services, as the APIs write them; loaded once (an order
already there is left as it is).
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from pazar.catalog.models import Category, Product
from pazar.catalog.services.seller_products import SellerProductChange, seller_products_save
from pazar.channels.models import Channel
from pazar.channels.services import catalog_create, channel_create
from pazar.customers.models import Address, Customer
from pazar.customers.services import address_create, customer_create
from pazar.fulfilment import services as fulfilment
from pazar.fulfilment.models import Package
from pazar.geography.models import City, Country, Township
from pazar.inventory.services import product_stocks_upsert
from pazar.orders.models import CargoCompany, Order

CHANNEL = "Demo web shop"
# SKU, name, color value, size
PRODUCTS = [
    ("DEMO-TEE-RD-M", "Demo T-shirt, red, M", "RD", "M"),
    ("DEMO-TEE-BL-L", "Demo T-shirt, blue, L", "BL", "L"),
    ("DEMO-TEE-BK-S", "Demo T-shirt, black, S", "BK", "S"),
]
# number, customer, city, township, [(SKU, quantity)], what the seller did: the package's state
ORDERS = [
    ("DEMO-1001", ("Ayşe", "Yılmaz"), "İstanbul", "Kadıköy", [("DEMO-TEE-RD-M", 1), ("DEMO-TEE-BL-L", 2)], "preparing"),
    ("DEMO-1002", ("Mehmet", "Kaya"), "Ankara", "Çankaya", [("DEMO-TEE-BK-S", 1)], "ready"),
    ("DEMO-1003", ("Elif", "Demir"), "İzmir", "Konak", [("DEMO-TEE-RD-M", 2)], "shipped"),
    ("DEMO-1004", ("Can", "Şahin"), "İstanbul", "Beşiktaş", [("DEMO-TEE-BL-L", 1)], "delivered"),
]  # fmt: skip
PRICE = Decimal("249.90")


def _channel(price_list, stock_list) -> Channel:
    channel = Channel.objects.filter(name=CHANNEL).first()
    if channel is None:
        catalog = catalog_create(name=CHANNEL, price_list=price_list, stock_list=stock_list)
        channel = channel_create(name=CHANNEL, catalog=catalog)
    return channel


def _products(seller, stock_list) -> dict[str, Product]:
    category = Category.objects.get(code="men-t-shirts")
    stored = {
        p.sku: p for p in Product.objects.filter(seller=seller, sku__in=[p[0] for p in PRODUCTS])
    }
    missing = [row for row in PRODUCTS if row[0] not in stored]
    if missing:
        saved = seller_products_save(
            seller=seller,
            changes=[
                SellerProductChange(
                    sku=sku,
                    fields={
                        "name": name,
                        "base_code": "DEMO-TEE",
                        "category_id": category.pk,
                        "attributes": {"COLOR": color, "SIZE": size},
                    },
                )
                for sku, name, color, size in missing
            ],
            auto_approve=True,
            stored={},
        )
        product_stocks_upsert(
            rows=[
                {"product_id": product.pk, "stock_list_id": stock_list.pk, "stock": 50}
                for product in saved.values()
            ]
        )
        stored.update(
            (product.sku, product)
            for product in Product.objects.filter(pk__in=[p.pk for p in saved.values()])
        )
    return stored


def _address(channel: Channel, country: Country, first: str, last: str, city: str, township: str):
    email = f"{first.lower()}.{last.lower()}@example.com".encode("ascii", "ignore").decode()
    customer = Customer.objects.filter(channel=channel, email=email).first() or customer_create(
        channel=channel, email=email, first_name=first, last_name=last,
        phone_number="+905550000000",
    )  # fmt: skip
    address = Address.objects.filter(customer=customer).first()
    if address is None:
        city_row = City.objects.get(country=country, name=city)
        address = address_create(
            customer=customer, email=email, phone_number=customer.phone_number,
            first_name=first, last_name=last, country=country, city=city_row,
            township=Township.objects.get(city=city_row, name=township),
            line="Demo Sokak No: 1", postcode="34000",
        )  # fmt: skip
    return customer, address


def _move(package: Package, state: str, cargo: CargoCompany, number: str) -> None:
    if state == "preparing":
        return
    package = fulfilment.package_ready(package=package)
    if state == "ready":
        return
    package = fulfilment.package_ship(
        package=package, shipping_company=cargo, tracking_number=f"{number}-TRK",
        tracking_url=f"https://tracking.example.com/{number}-TRK",
    )  # fmt: skip
    if state == "delivered":
        fulfilment.package_deliver(package=package)


def demo_orders_load(
    *, seller, price_list, stock_list, country: Country, cargo: CargoCompany
) -> list[str]:
    """The demo channel and its orders; returns what it holds."""
    channel = _channel(price_list, stock_list)
    products = _products(seller, stock_list)
    now = timezone.now()
    for n, (number, (first, last), city, township, lines, state) in enumerate(ORDERS):
        if Order.objects.filter(channel=channel, number=number).exists():
            continue
        customer, address = _address(channel, country, first, last, city, township)
        order, _ = fulfilment.order_place(
            channel=channel,
            order={
                "number": number, "customer": customer, "shipping_address": address,
                "billing_address": address, "currency": "TRY",
                "amount": PRICE * sum(quantity for _, quantity in lines),
                "date_placed": now - timedelta(hours=len(ORDERS) - n),
            },
            items=[
                {"product": products[sku], "stock_list": stock_list, "quantity": quantity,
                 "price": PRICE, "price_currency": "TRY", "tax_rate": Decimal("20")}
                for sku, quantity in lines
            ],
        )  # fmt: skip
        _move(Package.objects.get(order=order, seller=seller), state, cargo, number)
    return [
        f"channel: {channel.name} id={channel.pk} (orders through "
        f"/omnitron/api/v1/channel/{channel.pk}/create_orders/)",
        "orders: " + ", ".join(f"{number} ({state})" for number, *_, state in ORDERS),
    ]
