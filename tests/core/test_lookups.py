"""Integers no 64-bit column holds match nothing instead of crashing SQLite's driver."""

import pytest

from pazar.catalog.models import Product
from pazar.inventory.models import ProductStock
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db

HUGE = 10**25


@pytest.mark.parametrize(
    ("lookup", "matches"),
    [
        ({"pk__in": [HUGE]}, False),
        ({"pk__in": [HUGE, -HUGE]}, False),
        ({"pk__range": (HUGE, HUGE + 1)}, False),
        ({"pk__range": (-HUGE, HUGE)}, True),
        ({"pk": HUGE}, False),
        ({"pk__gt": -HUGE}, True),
    ],
)
def test_integer_lookups_with_huge_values(lookup, matches):
    product = ProductFactory()

    found = list(Product.objects.filter(**lookup))

    assert found == ([product] if matches else [])


def test_in_keeps_the_values_a_column_can_hold():
    product = ProductFactory()

    assert list(Product.objects.filter(pk__in=[HUGE, product.pk])) == [product]


@pytest.mark.parametrize(
    "lookup",
    [
        {"product": HUGE},
        {"product_id": HUGE},
        {"product__in": [HUGE]},
        {"product_id__in": [-HUGE]},
        {"product__gt": HUGE},
        {"product__lte": -HUGE},
    ],
)
def test_foreign_key_lookups_with_huge_values_match_nothing(lookup):
    assert list(ProductStock.objects.filter(**lookup)) == []
