"""`product_stocks_upsert`: the one bulk write of product stocks (Omnitron's API, Whippy Ware)."""

from decimal import Decimal

import pytest

from pazar.core import bulk
from pazar.core.errors import RowsInvalid, error_codes
from pazar.inventory.models import ProductStock
from pazar.inventory.services import product_stocks_check, product_stocks_upsert
from tests.factories import ProductFactory, ProductStockFactory, StockListFactory

pytestmark = pytest.mark.django_db


def test_rows_are_created_with_defaults_and_their_pks_returned_in_row_order():
    stock_list = StockListFactory()
    products = ProductFactory.create_batch(3)

    pks = product_stocks_upsert(
        rows=[
            {"product_id": p.pk, "stock_list_id": stock_list.pk, "stock": n}
            for n, p in reversed(list(enumerate(products)))
        ]
    )

    stocks = ProductStock.objects.in_bulk(pks)
    assert [stocks[pk].product_id for pk in pks] == [p.pk for p in reversed(products)]
    assert [stocks[pk].stock for pk in pks] == [Decimal(2), Decimal(1), Decimal(0)]
    assert {(s.unit_type, s.sold_quantity_unreported) for s in stocks.values()} == {
        ("qty", Decimal(0))
    }
    assert all(s.extra_field == {} for s in stocks.values())


def test_fields_a_row_leaves_out_keep_their_stored_values():
    kept = ProductStockFactory(
        unit_type="kg", sold_quantity_unreported=Decimal("1.5"), extra_field={"bin": "A"}
    )
    reset = ProductStockFactory(sold_quantity_unreported=Decimal(4))

    product_stocks_upsert(
        rows=[
            {"product_id": kept.product_id, "stock_list_id": kept.stock_list_id, "stock": "2.25"},
            {
                "product_id": reset.product_id,
                "stock_list_id": reset.stock_list_id,
                "stock": 10,
                "sold_quantity_unreported": 0,
                "extra_field": {},
            },
        ]
    )

    kept.refresh_from_db()
    reset.refresh_from_db()
    assert (kept.stock, kept.unit_type, kept.sold_quantity_unreported, kept.extra_field) == (
        Decimal("2.25"),
        "kg",
        Decimal("1.5"),
        {"bin": "A"},
    )
    assert (reset.stock, reset.sold_quantity_unreported) == (Decimal(10), Decimal(0))


def test_a_bad_row_refuses_the_call_whole_with_errors_by_row_index():
    stock_list = StockListFactory()
    product = ProductFactory()
    ProductStockFactory(product=product, stock_list=StockListFactory())

    with pytest.raises(RowsInvalid) as raised:
        product_stocks_upsert(
            rows=[
                {"product_id": product.pk, "stock_list_id": stock_list.pk, "stock": 1},
                {"product_id": product.pk, "stock_list_id": 999999, "stock": Decimal("0.5")},
                {"product_id": product.pk, "stock_list_id": stock_list.pk, "stock": 2},
            ]
        )

    assert raised.value.detail == {
        "1": {
            "stock_list": ['Invalid pk "999999" - object does not exist.'],
            "stock": ["A quantity counted in units (qty) must be a whole number."],
        },
        "2": {"non_field_errors": ["This product has another row for the same stock list in this request."]},
    }  # fmt: skip
    assert ProductStock.objects.count() == 1


def test_lookups_are_split_into_chunks(monkeypatch):
    monkeypatch.setattr(bulk, "IN_CHUNK", 2)
    stock_list = StockListFactory()
    products = ProductFactory.create_batch(5)
    ProductStockFactory(product=products[4], stock_list=stock_list, unit_type="kg")

    pks = product_stocks_upsert(
        rows=[
            {"product_id": p.pk, "stock_list_id": stock_list.pk, "stock": "1.5" if i == 4 else 1}
            for i, p in enumerate(products)
        ]
    )

    assert len(set(pks)) == 5
    assert ProductStock.objects.get(product=products[4]).stock == Decimal("1.5")


def test_the_stored_unit_type_decides_only_for_a_fractional_quantity(django_assert_num_queries):
    counted = ProductStockFactory(unit_type="qty")
    weighed = ProductStockFactory(unit_type="kg")

    def rows(stock):
        return [
            {"product_id": s.product_id, "stock_list_id": s.stock_list_id, "stock": stock}
            for s in (counted, weighed)
        ]

    # A whole number is judged the same counted or weighed: the stored pairs are not read.
    with django_assert_num_queries(2):  # products, lists
        checked = product_stocks_check(rows=rows("3"))
    assert not checked.errors
    assert [row["stock"] for row in checked.rows] == [Decimal(3), Decimal(3)]

    with django_assert_num_queries(3):  # products, lists, stored pairs
        checked = product_stocks_check(rows=rows("1.5"))
    assert error_codes(checked.errors.as_dict()) == {"0": {"stock": ["fractional_quantity"]}}
    assert checked.rows[1]["stock"] == Decimal("1.5")


def test_products_and_lists_the_caller_knows_are_not_looked_up_again(
    django_assert_num_queries,
):
    stock_list = StockListFactory()
    product = ProductFactory()
    rows = [
        {"product_id": product.pk, "stock_list_id": stock_list.pk, "stock": 1},
        {"product_id": product.pk + 1000, "stock_list_id": stock_list.pk, "stock": 2},
    ]

    with django_assert_num_queries(1):  # the product not known
        checked = product_stocks_check(
            rows=rows, known_products={product.pk}, known_lists={stock_list.pk}
        )

    assert error_codes(checked.errors.as_dict()) == {"1": {"product": ["does_not_exist"]}}
