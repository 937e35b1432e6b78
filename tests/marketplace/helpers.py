"""A small marketplace for the Seller Center tests, built with the services operators use."""

from dataclasses import dataclass

from pazar.batches.models import BatchRequest
from pazar.batches.services import batch_run
from pazar.catalog.models import Category, DataType
from pazar.catalog.services import attribute_upsert, category_attribute_set, category_upsert
from pazar.inventory.models import StockList
from pazar.inventory.services import stock_list_upsert
from pazar.languages.services import language_upsert
from pazar.pricing.models import PriceList
from pazar.pricing.services import price_list_upsert


@dataclass
class Marketplace:
    root: Category
    tshirts: Category
    shoes: Category
    usd: PriceList
    eur: PriceList
    stock: StockList
    closed_prices: PriceList
    closed_stock: StockList


def build_marketplace(seller) -> Marketplace:
    language_upsert(code="en-us", name="English", is_default=True)
    language_upsert(code="tr-tr", name="Türkçe")
    root = category_upsert(
        code="root", name="Marketplace", translations={"tr-tr": {"name": "Pazaryeri"}}
    )
    men = category_upsert(
        code="men", name="Men", parent=root, translations={"tr-tr": {"name": "Erkek"}}
    )
    tshirts = category_upsert(
        code="tshirts", name="T-Shirts", parent=men, translations={"tr-tr": {"name": "Tişörtler"}}
    )
    shoes = category_upsert(code="shoes", name="Shoes", parent=men)
    color = attribute_upsert(
        key="COLOR",
        name="Color",
        data_type=DataType.DROPDOWN,
        translations={"tr-tr": {"name": "Renk"}},
        values=[
            {"label": "Red", "value": "R", "translations": {"tr-tr": {"label": "Kırmızı"}}},
            {"label": "Blue", "value": "B"},
        ],
    )
    size = attribute_upsert(
        key="SIZE",
        name="Size",
        data_type=DataType.DROPDOWN,
        values=[{"label": s, "value": s} for s in ["S", "M", "L"]],
    )
    shipping = attribute_upsert(
        key="ESTIMATED_SHIPPING_DURATION", name="Shipping days", data_type=DataType.NUMBER
    )
    material = attribute_upsert(key="MATERIAL", name="Material", data_type=DataType.TEXT)
    # COLOR is set on the parent: children inherit it.
    category_attribute_set(
        category=men, attribute=color, is_required=True, is_variant=True, order=0
    )
    category_attribute_set(
        category=tshirts, attribute=size, is_required=True, is_variant=True, order=1
    )
    category_attribute_set(category=tshirts, attribute=shipping, is_offer=True, order=2)
    category_attribute_set(category=tshirts, attribute=material, order=3)
    usd = price_list_upsert(code="usd", name="USD", currency="USD")
    eur = price_list_upsert(code="eur", name="EUR", currency="EUR")
    closed_prices = price_list_upsert(code="vip", name="VIP", currency="USD")
    stock = stock_list_upsert(code="main", name="Main")
    closed_stock = stock_list_upsert(code="other", name="Other")
    for price_list in (usd, eur):
        price_list.sellers.add(seller)
    stock.sellers.add(seller)
    return Marketplace(root, tshirts, shoes, usd, eur, stock, closed_prices, closed_stock)


def product_row(market: Marketplace, sku: str = "AKN-TSHRT", **overrides) -> dict:
    """The PRD101 example of seed 002, with real ids."""
    row = {
        "name": "Akinon Red T-shirt",
        "base_code": "AKN-TSHRT",
        "sku": sku,
        "category": str(market.tshirts.uuid),
        "attributes": {"COLOR": "Red", "SIZE": "S", "ESTIMATED_SHIPPING_DURATION": 1},
        "images": ["https://placehold.co/1920x1080?text=Akinon%20Red%20T-shirt"],
        "videos": ["https://placehold.co/1920x1080.mp4?text=Akinon%20Red%20T-shirt"],
        "prices": [
            {
                "price_list": str(market.usd.uuid),
                "currency_type": "USD",
                "retail_price": "99.99",
                "price": "89.99",
                "tax_rate": "0.08",
            }
        ],
        "stocks": [{"stock_list": str(market.stock.uuid), "stock": "90", "unit_type": "qty"}],
        "restrict_for_others": None,
    }
    row.update(overrides)
    return row


def send(client, method: str, url: str, rows) -> BatchRequest:
    """Send a bulk body, expect 202, run the worker's job, return the finished batch."""
    response = getattr(client, method)(url, rows, format="json")
    assert response.status_code == 202, response.content
    batch_id = response.json()["batch_request_id"]
    batch_run(batch_id=batch_id)
    return BatchRequest.objects.get(pk=batch_id)
