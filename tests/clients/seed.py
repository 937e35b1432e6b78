"""What an operator sets up before a connector runs, done through Pazar's own services.

Run by tests/clients with the server's interpreter and environment, against the live server's
database: `python tests/clients/seed.py <step> '<json arguments>'`; prints the step's result
as JSON on its last line.
"""

import io
import json
import os
import sys
from decimal import Decimal


def operator(username: str, password: str) -> dict:
    from django.core.management import call_command

    os.environ.update(
        DJANGO_SUPERUSER_USERNAME=username,
        DJANGO_SUPERUSER_PASSWORD=password,
        DJANGO_SUPERUSER_EMAIL=f"{username}@example.com",
    )
    call_command("createsuperuser", interactive=False, verbosity=0)
    return {"username": username}


def png(colour: tuple[int, int, int]):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 40), colour).save(buffer, format="PNG")
    return SimpleUploadedFile("image.png", buffer.getvalue(), content_type="image/png")


def channel(name: str, products: int) -> dict:
    """A sales channel selling a catalog of `products` products, each with a price, a stock
    and an image; and the catalog attribute COLOR the products carry."""
    from pazar.catalog.models import Attribute
    from pazar.catalog.services import attribute_create, product_create
    from pazar.channels.services import catalog_create, catalog_items_add, channel_create
    from pazar.images.services import product_image_create
    from pazar.inventory.services import product_stocks_upsert, stock_list_create
    from pazar.pricing.services import price_list_create, product_prices_upsert

    if not Attribute.objects.filter(key="COLOR").exists():
        attribute_create(key="color", name="Color")
    price_list = price_list_create(name=f"{name} prices", currency="TRY")
    stock_list = stock_list_create(name=f"{name} stocks")
    catalog = catalog_create(name=f"{name} catalog", price_list=price_list, stock_list=stock_list)
    made = [
        product_create(
            sku=f"{name}-{index}", name=f"{name} product {index}", attributes={"COLOR": "Red"}
        )
        for index in range(products)
    ]
    catalog_items_add(rows=[{"catalog_id": catalog.pk, "product_id": p.pk} for p in made])
    product_prices_upsert(
        rows=[
            {"product_id": p.pk, "price_list_id": price_list.pk, "price": Decimal("100.00")}
            for p in made
        ]
    )
    product_stocks_upsert(
        rows=[{"product_id": p.pk, "stock_list_id": stock_list.pk, "stock": 10} for p in made]
    )
    for p in made:
        product_image_create(product=p, image=png((200, 0, 0)))
    sales_channel = channel_create(name=name, catalog=catalog, channel_type="sales_channel")
    return {
        "channel": sales_channel.pk,
        "catalog": catalog.pk,
        "price_list": price_list.pk,
        "stock_list": stock_list.pk,
        "products": [p.pk for p in made],
        "skus": [p.sku for p in made],
    }


def place(channel: int) -> dict:
    """The operator's mapping after the connector's setup: each product in a leaf node of the
    channel's tree (the one of remote id `shirts`), and each marketplace attribute read from
    the catalog attribute of its name in capitals (Color from COLOR)."""
    from pazar.catalog.models import Category
    from pazar.catalog.services import product_update
    from pazar.channels.models import Channel
    from pazar.channels.selectors import channel_products
    from pazar.channels.services.sales import marketplace_object_update

    sales_channel = Channel.objects.get(pk=channel)
    leaf = sales_channel.integration_actions.get(
        content_type__model="categorynode", remote_id="shirts"
    ).object_id
    products = list(channel_products(channel=sales_channel))
    for product in products:
        product_update(product=product, data={"category": Category.objects.get(pk=leaf)})
    # The schema channel_app made for each attribute names the catalog attribute to read.
    for attribute_set in sales_channel.attribute_sets.all():
        for config in attribute_set.attribute_configs.select_related("attribute"):
            name = config.attribute.name
            schema = sales_channel.attribute_schemas.get(name=f"{channel} {name} Schema")
            marketplace_object_update(instance=schema, data={"schema": {"attribute": name.upper()}})
            marketplace_object_update(instance=config, data={"locale_attribute_schema": schema})
    return {"node": leaf, "products": [p.pk for p in products]}


def change(channel: int) -> dict:
    """The catalog changes: the first product's name, price, stock and image order."""
    from pazar.catalog.services import product_update
    from pazar.channels.models import Channel
    from pazar.channels.selectors import channel_products
    from pazar.images.models import ProductImage
    from pazar.images.services import product_image_create
    from pazar.inventory.models import ProductStock
    from pazar.inventory.services import product_stock_update
    from pazar.pricing.models import ProductPrice
    from pazar.pricing.services import product_price_update

    sales_channel = Channel.objects.get(pk=channel)
    catalog = sales_channel.catalog
    product = sorted(channel_products(channel=sales_channel), key=lambda p: p.pk)[0]
    product_update(product=product, data={"name": f"{product.name} (new)"})
    product_price_update(
        product_price=ProductPrice.objects.get(product=product, price_list=catalog.price_list),
        data={"price": Decimal("90.00")},
    )
    product_stock_update(
        product_stock=ProductStock.objects.get(product=product, stock_list=catalog.stock_list),
        data={"stock": 7},
    )
    image = product_image_create(product=product, image=png((0, 0, 200)))
    return {
        "product": product.pk,
        "image": image.pk,
        "images": list(ProductImage.objects.filter(product=product).values_list("pk", flat=True)),
    }


def expire(channel: int) -> dict:
    """The housekeeping of batches left open (PAZAR_WORKER_PERIODIC), as if they had been idle
    long enough."""
    from datetime import timedelta

    from pazar.channels.models import Channel
    from pazar.channels.services.integration import batch_requests_expire

    sales_channel = Channel.objects.get(pk=channel)
    return {"failed": batch_requests_expire(idle=timedelta(0), channel=sales_channel)}


def order_places() -> dict:
    """What order import needs besides products: Türkiye with İstanbul and Kadıköy, and the
    cargo company `aras` (channel_app matches places by code or name, cargos by ERP code)."""
    from pazar.geography.models import City, Country, Township
    from pazar.geography.services import place_create
    from pazar.orders.services import cargo_company_upsert

    country = Country.objects.filter(code="TR").first() or place_create(
        model=Country, data={"name": "Türkiye", "code": "TR"}
    )
    city = City.objects.filter(country=country, name="İstanbul").first() or place_create(
        model=City, data={"name": "İstanbul", "country": country}
    )
    township = Township.objects.filter(city=city, name="Kadıköy").first() or place_create(
        model=Township, data={"name": "Kadıköy", "country": country, "city": city}
    )
    cargo = cargo_company_upsert(erp_code="aras", name="Aras Kargo", shipping_company="aras")
    return {"country": country.pk, "city": city.pk, "township": township.pk, "cargo": cargo.pk}


def orders(channel: int) -> dict:
    """The channel's orders as Pazar has them: number → items, customer and address."""
    from pazar.orders.models import Order

    found = {}
    for order in Order.objects.filter(channel_id=channel).select_related(
        "customer", "shipping_address__city", "cargo_company"
    ):
        found[order.number] = {
            "pk": order.pk,
            "customer": order.customer.email,
            "city": order.shipping_address.city.name,
            "cargo": order.cargo_company.erp_code if order.cargo_company else None,
            "items": [
                {
                    "pk": item.pk,
                    "product": item.product_id,
                    "status": item.status,
                    "tracking_number": item.tracking_number,
                    "events": item.events.count(),
                }
                for item in order.items.order_by("pk")
            ],
        }
    return found


def cancellation_reason(channel: int, remote_code: str) -> dict:
    """A cancellation reason, and the channel's `reason_mapping` from the marketplace's reason
    code to it (channel_app reads the mapping from the channel's `conf`)."""
    from pazar.channels.models import Channel
    from pazar.channels.services import channel_update
    from pazar.claims.services import cancellation_reason_create

    reason = cancellation_reason_create(cancellation_type="cancel", subject="Customer's mind")
    sales_channel = Channel.objects.get(pk=channel)
    conf = {**sales_channel.conf, "reason_mapping": {remote_code: reason.pk}}
    channel_update(channel=sales_channel, data={"conf": conf})
    return {"reason": reason.pk}


def requests(channel: int) -> dict:
    """The channel's cancellation requests: remote id → what Pazar keeps of each."""
    from pazar.claims.models import Claim

    return {
        claim.remote_id: {
            "pk": claim.pk,
            "order_item": claim.source_item_id,
            "reason": claim.reason_id,
            "type": claim.type,
            "status": claim.status,
            "item_status": claim.source_item.status,
            "description": claim.description,
        }
        for claim in Claim.objects.filter(order__channel_id=channel)
        .select_related("source_item")
        .order_by("pk")
    }


def approve(channel: int, remote_id: str) -> dict:
    """The operator approves the channel's request of that remote id."""
    from pazar.claims.models import Claim
    from pazar.claims.services import claim_approve

    claim = claim_approve(claim=Claim.objects.get(order__channel_id=channel, remote_id=remote_id))
    return {"pk": claim.pk, "status": claim.status}


STEPS = {
    "cancellation_reason": cancellation_reason,
    "requests": requests,
    "approve": approve,
    "operator": operator,
    "channel": channel,
    "place": place,
    "change": change,
    "expire": expire,
    "order_places": order_places,
    "orders": orders,
}

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pazar.settings")
    import django

    django.setup()
    step, arguments = sys.argv[1], json.loads(sys.argv[2] if len(sys.argv) > 2 else "{}")
    print(json.dumps(STEPS[step](**arguments)))
