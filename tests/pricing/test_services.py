"""`product_prices_upsert`: the one bulk write of product prices."""

from decimal import Decimal

import pytest

from pazar.core.errors import RowsInvalid, error_codes
from pazar.pricing.models import ProductPrice
from pazar.pricing.services import product_prices_check, product_prices_upsert
from tests.factories import PriceListFactory, ProductFactory, ProductPriceFactory

pytestmark = pytest.mark.django_db


def test_a_new_price_takes_the_lists_currency_and_the_defaults():
    price_list = PriceListFactory(currency="EUR")
    product = ProductFactory()

    [pk] = product_prices_upsert(
        rows=[{"product_id": product.pk, "price_list_id": price_list.pk, "price": Decimal("5")}]
    )

    price = ProductPrice.objects.get(pk=pk)
    assert (price.currency_type, price.tax_rate, price.retail_price, price.price_type) == (
        "EUR",
        Decimal(0),
        None,
        "default",
    )
    assert (price.discount_percentage, price.extra_field) == (None, {})


def test_an_update_overwrites_only_the_fields_given():
    price = ProductPriceFactory(tax_rate=Decimal("0.18"), extra_field={"a": 1})

    product_prices_upsert(
        rows=[
            {
                "product_id": price.product_id,
                "price_list_id": price.price_list_id,
                "price": Decimal(1),
                "discount_percentage": Decimal(5),
            }
        ]
    )

    price.refresh_from_db()
    assert (price.price, price.retail_price, price.tax_rate) == (
        Decimal(1),
        Decimal("99.99"),
        Decimal("0.18"),
    )
    assert (price.discount_percentage, price.extra_field) == (Decimal(5), {"a": 1})


def test_create_only_refuses_pairs_that_have_a_price_and_writes_nothing():
    taken = ProductPriceFactory()
    free = ProductFactory()
    rows = [
        {"product_id": free.pk, "price_list_id": taken.price_list_id, "price": Decimal(1)},
        {"product_id": taken.product_id, "price_list_id": taken.price_list_id, "price": Decimal(1)},
    ]

    with pytest.raises(RowsInvalid) as raised:
        product_prices_upsert(rows=rows, create_only=True)

    assert raised.value.detail == {
        "1": {"non_field_errors": ["The fields product, price_list must make a unique set."]}
    }
    assert ProductPrice.objects.count() == 1


def test_a_currency_other_than_the_lists_is_refused():
    price_list = PriceListFactory(currency="USD")

    with pytest.raises(RowsInvalid) as raised:
        product_prices_upsert(
            rows=[
                {
                    "product_id": ProductFactory().pk,
                    "price_list_id": price_list.pk,
                    "price": Decimal(1),
                    "currency_type": "TRY",
                }
            ]
        )

    assert raised.value.detail == {
        "0": {"currency_type": ["Must be the currency of the price list (usd)."]}
    }


def test_products_and_list_currencies_the_caller_knows_are_not_looked_up_again(
    django_assert_num_queries,
):
    price_list = PriceListFactory(currency="USD")
    product = ProductFactory()
    rows = [
        {"product_id": product.pk, "price_list_id": price_list.pk, "price": Decimal("1.50")},
        {"product_id": product.pk + 1000, "price_list_id": price_list.pk, "price": Decimal(2)},
        {"product_id": product.pk, "price_list_id": price_list.pk + 1000, "price": Decimal(3)},
    ]

    with django_assert_num_queries(1):  # the product not known
        checked = product_prices_check(
            rows=rows, known_products={product.pk}, list_currencies={price_list.pk: "USD"}
        )

    assert error_codes(checked.errors.as_dict()) == {
        "1": {"product": ["does_not_exist"]},
        "2": {"price_list": ["does_not_exist"]},
    }
    assert checked.rows[0]["currency_type"] == "USD"
