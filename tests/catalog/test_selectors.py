import pytest

from pazar.catalog.selectors import omnitron_products_by_sku
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db


def test_operator_product_wins_over_seller_products_with_the_same_sku():
    ProductFactory(sku="SHARED")
    operator_product = ProductFactory(sku="SHARED", seller=None)
    ProductFactory(sku="SHARED")

    found, ambiguous = omnitron_products_by_sku(["SHARED"])

    assert found == {"SHARED": operator_product}
    assert ambiguous == set()


def test_a_sku_only_one_seller_uses_resolves_to_that_product():
    product = ProductFactory(sku="ONLY")

    found, ambiguous = omnitron_products_by_sku(["ONLY", "MISSING", 42])

    assert found == {"ONLY": product}
    assert ambiguous == set()


def test_a_sku_several_sellers_use_without_an_operator_product_is_ambiguous():
    ProductFactory(sku="TWICE")
    ProductFactory(sku="TWICE")
    single = ProductFactory(sku="ONCE")

    found, ambiguous = omnitron_products_by_sku({"TWICE", "ONCE"})

    assert found == {"ONCE": single}
    assert ambiguous == {"TWICE"}
