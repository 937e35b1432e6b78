"""`pazar demo`: a small marketplace to try the APIs against, loaded idempotently."""

from django.db import transaction

from pazar.accounts.models import SellerMembership
from pazar.accounts.services import seller_create, user_login_reset
from pazar.catalog.models import DataType
from pazar.catalog.services import attribute_upsert, category_attribute_set, category_upsert
from pazar.geography.models import City, Country, Township
from pazar.geography.services import place_create
from pazar.inventory.services import stock_list_sellers_set, stock_list_upsert
from pazar.languages.services import language_upsert
from pazar.orders.services import cargo_company_upsert
from pazar.pricing.services import price_list_sellers_set, price_list_upsert
from pazar.sites.demo_orders import demo_orders_load

DEMO_SELLER = {
    "name": "demo-seller",
    "username": "demo",
    "password": "demo",
    "email": "demo@example.com",
}

CATEGORIES = [
    # code, name, Turkish name, parent code
    ("marketplace", "Marketplace", "Pazaryeri", None),
    ("men", "Men", "Erkek", "marketplace"),
    ("men-t-shirts", "T-Shirts", "Tişörtler", "men"),
    ("men-shoes", "Shoes", "Ayakkabılar", "men"),
    ("women", "Women", "Kadın", "marketplace"),
    ("women-dresses", "Dresses", "Elbiseler", "women"),
]
COLORS = [
    ("Red", "RD", "Kırmızı"),
    ("Blue", "BL", "Mavi"),
    ("Black", "BK", "Siyah"),
    ("White", "WH", "Beyaz"),
]
SIZES = ["XS", "S", "M", "L", "XL"]
# Where demo orders ship to: cities and some of their townships.
PLACES = {
    "İstanbul": ["Kadıköy", "Beşiktaş", "Üsküdar"],
    "Ankara": ["Çankaya", "Keçiören"],
    "İzmir": ["Konak", "Karşıyaka"],
}
CARGO_COMPANIES = [("YK", "Yurtiçi Kargo", "yurtici"), ("ARAS", "Aras Kargo", "aras")]


def _tr(name: str, field: str = "name") -> dict:
    return {"tr-tr": {field: name}}


@transaction.atomic
def demo_load() -> list[str]:
    """Create (or bring back to its demo state) the demo marketplace; returns what it holds."""
    language_upsert(code="en-us", name="English", is_default=True)
    language_upsert(code="tr-tr", name="Türkçe")

    categories = {}
    for code, name, turkish, parent in CATEGORIES:
        categories[code] = category_upsert(
            code=code, name=name, parent=categories.get(parent), translations=_tr(turkish)
        )
    color = attribute_upsert(
        key="COLOR",
        name="Color",
        data_type=DataType.DROPDOWN,
        translations=_tr("Renk"),
        values=[
            {"label": label, "value": value, "translations": _tr(turkish, "label")}
            for label, value, turkish in COLORS
        ],
    )
    size = attribute_upsert(
        key="SIZE",
        name="Size",
        data_type=DataType.DROPDOWN,
        translations=_tr("Beden"),
        values=[{"label": size, "value": size} for size in SIZES],
    )
    shipping = attribute_upsert(
        key="ESTIMATED_SHIPPING_DURATION",
        name="Estimated shipping duration (days)",
        data_type=DataType.NUMBER,
        translations=_tr("Tahmini kargo süresi (gün)"),
    )
    leaves = [category for category in categories.values() if not category.children.exists()]
    for category in leaves:
        category_attribute_set(
            category=category, attribute=color, is_required=True, is_variant=True, order=0
        )
        category_attribute_set(
            category=category, attribute=size, is_required=True, is_variant=True, order=1
        )
        category_attribute_set(category=category, attribute=shipping, is_offer=True, order=2)

    country = _demo_places()
    cargo_companies = [
        cargo_company_upsert(erp_code=code, name=name, shipping_company=slug)
        for code, name, slug in CARGO_COMPANIES
    ]

    price_list = price_list_upsert(code="usd", name="USD Price List", currency="USD")
    stock_list = stock_list_upsert(code="main", name="Main Stock List")

    membership = SellerMembership.objects.filter(user__username=DEMO_SELLER["username"]).first()
    if membership is None:
        membership = seller_create(**DEMO_SELLER, validate=False)
    else:
        user_login_reset(
            user=membership.user, password=DEMO_SELLER["password"], email=DEMO_SELLER["email"]
        )

    price_list_sellers_set(
        price_list=price_list, sellers=[*price_list.sellers.all(), membership.seller]
    )
    stock_list_sellers_set(
        stock_list=stock_list, sellers=[*stock_list.sellers.all(), membership.seller]
    )

    orders = demo_orders_load(
        seller=membership.seller, price_list=price_list, stock_list=stock_list,
        country=country, cargo=cargo_companies[0],
    )  # fmt: skip

    return [
        "languages: en-us (default), tr-tr",
        f"categories: {', '.join(c.name for c in categories.values())}"
        f" (leaves: {', '.join(str(c.uuid) + ' ' + c.name for c in leaves)})",
        "attributes: COLOR, SIZE (dropdown, variant, required), ESTIMATED_SHIPPING_DURATION (number, offer)",
        f"price list: {price_list.name} id={price_list.uuid} currency={price_list.currency}",
        f"stock list: {stock_list.name} id={stock_list.uuid}",
        f"country: {country.name} ({country.code}), cities: {', '.join(PLACES)}",
        f"cargo companies: {', '.join(f'{c.name} erp_code={c.erp_code}' for c in cargo_companies)}",
        f"seller: {membership.seller.name} id={membership.seller.id}",
        f"seller user: username={DEMO_SELLER['username']} password={DEMO_SELLER['password']}"
        f" email={DEMO_SELLER['email']}",
        *orders,
    ]


def _demo_places() -> Country:
    country = Country.objects.filter(code="TR").first() or place_create(
        model=Country, data={"name": "Türkiye", "code": "TR"}
    )
    for city_name, townships in PLACES.items():
        city = City.objects.filter(country=country, name=city_name).first() or place_create(
            model=City, data={"name": city_name, "country": country}
        )
        for township_name in townships:
            if not Township.objects.filter(city=city, name=township_name).exists():
                place_create(
                    model=Township, data={"name": township_name, "country": country, "city": city}
                )
    return country
