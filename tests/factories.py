"""factory_boy factories shared by every test package."""

from datetime import timedelta
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.utils import timezone
from rest_framework.authtoken.models import Token

from pazar.accounts import tokens
from pazar.accounts.models import Seller, SellerAccessToken, SellerMembership
from pazar.catalog.models import (
    Attribute,
    AttributeConfig,
    AttributeSet,
    AttributeValue,
    Category,
    CategoryAttribute,
    DataType,
    Product,
    ProductRevision,
)
from pazar.inventory.models import ProductStock, StockList
from pazar.languages.models import Language
from pazar.pricing.models import PriceList, ProductPrice

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(self, create, extracted, **kwargs):
        if create:
            self.save()


class OperatorFactory(UserFactory):
    is_staff = True


class SellerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Seller

    name = factory.Sequence(lambda n: f"seller-{n}")


class SellerMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SellerMembership

    user = factory.SubFactory(UserFactory)
    seller = factory.SubFactory(SellerFactory)
    is_admin = True


class LanguageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Language
        django_get_or_create = ["code"]

    code = "en-us"
    name = "English"


def operator_token(user) -> str:
    return Token.objects.get_or_create(user=user)[0].key


def seller_token(
    membership, *, valid_for=timedelta(days=30), note="test"
) -> tuple[SellerAccessToken, str]:
    key = tokens.new_key()
    token = SellerAccessToken.objects.create(
        seller=membership.seller,
        user=membership.user,
        note=note,
        key_prefix=key[:8],
        key_digest=tokens.digest(key),
        valid_until=timezone.now() + valid_for,
    )
    return token, key


# --- Omnitron operator API: catalog, price and stock lists, approval queue -----------------


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    name = factory.Sequence(lambda n: f"Category {n}")
    code = factory.Sequence(lambda n: f"category-{n}")


class AttributeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attribute

    key = factory.Sequence(lambda n: f"ATTRIBUTE_{n}")
    name = factory.Sequence(lambda n: f"Attribute {n}")
    data_type = DataType.TEXT


class AttributeValueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AttributeValue

    attribute = factory.SubFactory(AttributeFactory, data_type=DataType.DROPDOWN)
    label = factory.Sequence(lambda n: f"Value {n}")
    value = factory.Sequence(lambda n: f"V{n}")


class CategoryAttributeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CategoryAttribute

    category = factory.SubFactory(CategoryFactory)
    attribute = factory.SubFactory(AttributeFactory)


class AttributeSetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AttributeSet

    name = factory.Sequence(lambda n: f"Attribute set {n}")


class AttributeConfigFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AttributeConfig

    attribute_set = factory.SubFactory(AttributeSetFactory)
    attribute = factory.SubFactory(AttributeFactory)


class PriceListFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PriceList
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Price list {n}")
    code = factory.Sequence(lambda n: f"price-list-{n}")
    currency = "USD"

    @factory.post_generation
    def sellers(self, create, extracted, **kwargs):
        if create and extracted:
            self.sellers.set(extracted)


class StockListFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StockList
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Stock list {n}")
    code = factory.Sequence(lambda n: f"stock-list-{n}")

    @factory.post_generation
    def sellers(self, create, extracted, **kwargs):
        if create and extracted:
            self.sellers.set(extracted)


class ProductFactory(factory.django.DjangoModelFactory):
    """A seller's product waiting for approval (a pre-product)."""

    class Meta:
        model = Product

    seller = factory.SubFactory(SellerFactory)
    sku = factory.Sequence(lambda n: f"SKU-{n}")
    base_code = factory.LazyAttribute(lambda product: product.sku.rsplit("-", 1)[0])
    name = factory.Sequence(lambda n: f"Product {n}")
    category = factory.SubFactory(CategoryFactory)

    class Params:
        live = factory.Trait(approved=True, approval_status="approved")


class ProductRevisionFactory(factory.django.DjangoModelFactory):
    """A pending change to a live product; `data` starts as the product's own data."""

    class Meta:
        model = ProductRevision

    product = factory.SubFactory(ProductFactory, live=True, approval_status="pending")
    data = factory.LazyAttribute(
        lambda revision: {
            "name": revision.product.name,
            "base_code": revision.product.base_code,
            "category": revision.product.category_id,
            "attributes": revision.product.attributes,
            "images": revision.product.images,
            "videos": revision.product.videos,
            "restrict_for_others": revision.product.restrict_for_others,
            "catalog_product": revision.product.catalog_product_id,
        }
    )


class ProductPriceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProductPrice

    product = factory.SubFactory(ProductFactory)
    price_list = factory.SubFactory(PriceListFactory)
    price = Decimal("89.99")
    retail_price = Decimal("99.99")
    currency_type = factory.LazyAttribute(lambda price: price.price_list.currency)


class ProductStockFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProductStock

    product = factory.SubFactory(ProductFactory)
    stock_list = factory.SubFactory(StockListFactory)
    stock = Decimal("90")


def staff_with_perms(*codenames: str, **kwargs):
    """A staff operator (not a superuser) holding these `app_label.codename` permissions."""
    user = OperatorFactory(**kwargs)
    for name in codenames:
        app_label, codename = name.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    return user
