"""`ProductSerializer` writes its output directly (the channel feeds' pages): it stays exactly
what DRF's own fields make of the same product, whatever its values."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.db.models import Prefetch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pazar.catalog import selectors
from pazar.catalog.api.product_serializers import ProductSerializer
from pazar.catalog.models import Product
from tests.factories import AttributeSetFactory, CategoryFactory, ProductFactory, SellerFactory

pytestmark = pytest.mark.django_db

# What the API stores: no NUL character, no unpaired surrogate (`pazar.api.parsers`).
texts = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=20
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | texts,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(texts, inner, max_size=3),
    max_leaves=6,
)
json_objects = st.dictionaries(texts, json_values, max_size=3)
products = st.fixed_dictionaries(
    {
        "name": texts,
        "listing_code": texts,
        "brand": texts,
        "description": texts,
        "product_type": st.sampled_from(["0", "1", "2", "3", "4"]),
        "is_active": st.booleans(),
        "attributes": json_objects,
        "attributes_kwargs": json_objects,
        "localized_attributes": json_objects,
        "localized_attributes_kwargs": json_objects,
        "extra_attributes": json_objects,
        "erp_categories": st.lists(st.none() | texts | st.integers(), max_size=3),
        "tax_rate": st.none() | st.decimals(min_value=0, max_value=999, places=2),
        "weight": st.none() | st.decimals(min_value=0, max_value=99999, places=3),
        "productization_date": st.none()
        | st.datetimes(
            min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
        ),
        "seller": st.booleans(),
        "related": st.booleans(),
        "group": st.integers(min_value=0, max_value=3),
    }
)


def _both(product: Product):
    """The plain output and DRF's own of the same fields (group products in id order)."""
    serializer = ProductSerializer()
    reference = super(ProductSerializer, serializer).to_representation(product)
    reference["group_products"] = sorted(reference["group_products"])
    plain = serializer.to_representation(product)
    assert list(plain) == list(reference)  # the same keys in the same order
    return plain, reference


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(values=products)
def test_the_plain_output_is_drf_output(values):
    seller = SellerFactory() if values.pop("seller") else None
    related = values.pop("related")
    group = values.pop("group")
    product = ProductFactory(seller=seller, approved=True, approval_status="approved", **values)
    if related:
        product.category = CategoryFactory()
        product.attribute_set = AttributeSetFactory()
        product.custom_attribute_set = AttributeSetFactory()
        product.parent = ProductFactory(seller=None, approved=True, product_type="1")
        product.save()
    if group:
        product.group_products.set([ProductFactory(seller=None) for _ in range(group)])
    # As the API reads it: from the database (saved values, the database's types), prefetched
    # the way the feeds do, and as a plain query with no prefetch.
    fresh = Product.objects.get(pk=product.pk)
    plain, reference = _both(fresh)
    assert plain == reference
    listed = selectors.product_list().filter(pk=product.pk)
    listed = listed.prefetch_related(None).prefetch_related(
        Prefetch(
            "group_products",
            queryset=Product.objects.only("pk").order_by(),
            to_attr=selectors.GROUP_PRODUCT_LIST,
        )
    )
    for each in listed:
        plain, reference = _both(each)
        assert plain == reference
    # And the instance a write answers with (not read back).
    plain, reference = _both(product)
    assert plain == reference


def test_an_unsaved_product_has_no_group_products():
    product = Product(sku="X", base_code="X", name="X", tax_rate=Decimal("18.00"))
    plain, reference = _both(product)
    assert plain == reference
