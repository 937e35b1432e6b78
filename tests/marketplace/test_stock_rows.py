"""PRD106's plain path (`stock_rows`) against the full row-by-row check: on any rows, the same
success and error entries (messages and codes) and the same stocks written."""

import json
import uuid
from decimal import Decimal

import pytest
from django.core.files.storage import default_storage
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pazar.batches import files
from pazar.catalog.models import Product
from pazar.catalog.selectors import seller_product_keys
from pazar.inventory.models import ProductStock
from pazar.marketplace.services import apply_stock_batch, apply_stock_rows
from pazar.marketplace.services.products import apply_stock_rows_full
from pazar.marketplace.services.stock_rows import apply_stock_rows_plain
from tests.factories import ProductFactory, ProductStockFactory, SellerFactory, StockListFactory

pytestmark = pytest.mark.django_db

OPEN_LIST = uuid.UUID("11111111-1111-4111-8111-111111111111")
OPEN_KG_LIST = uuid.UUID("22222222-2222-4222-8222-222222222222")
CLOSED_LIST = uuid.UUID("33333333-3333-4333-8333-333333333333")


@pytest.fixture
def stock_world(seller_membership):
    """The seller's products A-1…A-4 (A-2 stocked by weight on the first list, A-3 in units),
    another seller's B-1, two lists open to the seller and one that is not."""
    seller = seller_membership.seller
    open_list = StockListFactory(uuid=OPEN_LIST, sellers=[seller])
    StockListFactory(uuid=OPEN_KG_LIST, sellers=[seller])
    StockListFactory(uuid=CLOSED_LIST)
    products = {sku: ProductFactory(seller=seller, sku=sku) for sku in ["A-1", "A-2", "A-3", "A-4"]}
    ProductFactory(seller=SellerFactory(), sku="B-1")
    ProductStockFactory(product=products["A-2"], stock_list=open_list, unit_type="kg", stock=3)
    ProductStockFactory(product=products["A-3"], stock_list=open_list, unit_type="qty", stock=4)
    return seller


MISSING = object()
skus = st.sampled_from(
    ["A-1", "A-2", "A-3", "A-4", " A-1 ", "A-2\t", "B-1", "NONE", "", "  ", None, 5, True,
     ["A-1"], {"sku": "A-1"}, "x" * 300, MISSING]
)  # fmt: skip
lists = st.sampled_from(
    [str(OPEN_LIST), str(OPEN_LIST).upper(), OPEN_LIST.hex, str(OPEN_KG_LIST), str(CLOSED_LIST),
     str(uuid.UUID(int=7)), "nope", "", None, 3, [str(OPEN_LIST)], MISSING]
)  # fmt: skip
unit_types = st.sampled_from(["qty", "kg", "QTY", "lb", "", None, 1, ["kg"], MISSING])
stocks = st.one_of(
    st.sampled_from(
        ["5", "0", " 12 ", "5.0", "5.5", "5.0005", "1.250", "-1", "2147483647", "2147483648",
         "1e3", "1E-2", "abc", "", "NaN", "Infinity", "-0", 7, 0, -3, 7.0, 7.25, 1e20, 0.1 + 0.2,
         None, True, False, [1], {"a": 1}, MISSING]
    ),
    st.integers(min_value=-5, max_value=3_000_000_000),
    st.decimals(min_value=-10, max_value=10**10, places=4, allow_nan=False).map(str),
)  # fmt: skip


@st.composite
def stock_row(draw):
    row = {}
    for name, values in (("sku", skus), ("stock_list", lists), ("unit_type", unit_types),
                         ("stock", stocks)):  # fmt: skip
        value = draw(values)
        if value is not MISSING:
            row[name] = value
    if draw(st.booleans()) and draw(st.booleans()):
        row["price"] = "1.00"  # a key PRD106 does not read
    return row


# Most batches are all valid: draw those as often as any other.
valid_row = st.fixed_dictionaries(
    {
        "sku": st.sampled_from(["A-1", "A-2", "A-3", "A-4", " A-4 "]),
        "stock_list": st.sampled_from([str(OPEN_LIST), str(OPEN_KG_LIST)]),
        "stock": st.one_of(st.integers(0, 10**6), st.integers(0, 99).map(str)),
    },
    optional={"unit_type": st.sampled_from(["qty", "kg"])},
)
batches = st.one_of(
    st.lists(valid_row, min_size=1, max_size=6),
    st.lists(st.one_of(valid_row, stock_row()), min_size=1, max_size=6),
)


def stocks_stored() -> list[tuple]:
    """Every stock row as the tests compare them, in order."""
    return sorted(
        ProductStock.objects.values_list(
            "product__sku", "stock_list__uuid", "stock", "unit_type", "sold_quantity_unreported"
        )
    )


def applied(handler, seller, rows) -> tuple[str, str, list]:
    """What `handler` answers and writes for `rows`, then rolled back: the success and error
    files' text, and the stocks."""
    with transaction.atomic():
        outcome = handler(seller=seller, rows=json.loads(json.dumps(rows)))
        stored = stocks_stored()
        transaction.set_rollback(True)
    as_file = dict(ensure_ascii=False, separators=(",", ":"), default=str)  # files.write_json
    return json.dumps(outcome.succeeded, **as_file), json.dumps(outcome.failed, **as_file), stored


@settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=batches)
def test_the_plain_path_answers_and_writes_as_the_full_check_does(stock_world, rows):
    assert applied(apply_stock_rows, stock_world, rows) == applied(
        apply_stock_rows_full, stock_world, rows
    )


def test_a_valid_batch_takes_the_plain_path_and_writes_normalized_stocks(stock_world):
    rows = [
        {"sku": " A-1 ", "stock_list": str(OPEN_LIST), "stock": "5.0"},
        {"sku": "A-2", "stock_list": str(OPEN_LIST), "stock": 2, "unit_type": "kg"},
        {"sku": "A-2", "stock_list": str(OPEN_KG_LIST), "stock": "1.250", "unit_type": "kg"},
    ]
    with transaction.atomic():
        succeeded = apply_stock_rows_plain(seller=stock_world, rows=rows)
        transaction.set_rollback(True)
    ids = dict(Product.objects.values_list("sku", "uuid"))
    assert succeeded == [
        {"index": 0, "sku": "A-1", "id": str(ids["A-1"])},
        {"index": 1, "sku": "A-2", "id": str(ids["A-2"])},
        {"index": 2, "sku": "A-2", "id": str(ids["A-2"])},
    ]
    assert applied(apply_stock_rows, stock_world, rows) == applied(
        apply_stock_rows_full, stock_world, rows
    )
    stored = applied(apply_stock_rows, stock_world, rows)[2]
    assert ("A-2", OPEN_KG_LIST, Decimal("1.250"), "kg", Decimal("0")) in stored


@pytest.mark.parametrize(
    "row",
    [
        {"sku": "A-2", "stock_list": str(OPEN_LIST), "stock": "1.5"},  # the stored unit decides
        {"sku": "A-1", "stock_list": str(OPEN_LIST), "stock": "1.5", "unit_type": "qty"},
        {"sku": "NONE", "stock_list": str(OPEN_LIST), "stock": "1"},
        {"sku": "A-1", "stock_list": str(CLOSED_LIST), "stock": "1"},
        {"sku": "A-1", "stock_list": str(OPEN_LIST), "stock": "-1"},
        {"sku": "A-1", "stock_list": str(OPEN_LIST)},
    ],
)
def test_a_row_the_plain_checks_cannot_accept_sends_the_batch_the_full_way(stock_world, row):
    valid = {"sku": "A-3", "stock_list": str(OPEN_LIST), "stock": "1"}
    with transaction.atomic():
        assert apply_stock_rows_plain(seller=stock_world, rows=[valid, row]) is None
        assert not ProductStock.objects.filter(product__sku="A-3", stock=1).exists()
        transaction.set_rollback(True)


def test_the_same_stock_twice_in_a_batch_is_left_to_the_full_check(stock_world):
    row = {"sku": "A-1", "stock_list": str(OPEN_LIST), "stock": "1"}
    with transaction.atomic():
        assert apply_stock_rows_plain(seller=stock_world, rows=[row, dict(row)]) is None
        transaction.set_rollback(True)
    _, failed, _ = applied(apply_stock_rows, stock_world, [row, dict(row)])
    assert [entry["codes"] for entry in json.loads(failed)] == [
        {"non_field_errors": ["duplicate_row"]}
    ]


# The batch engine's PRD106 handler: its success entries come as the success file's text.
ODD_SKUS = [
    'Şık "1"',
    "back\\slash",
    "ü\u2028x/<&>",
    "tab\there",
    "😀-1",
    "100%s %% %(x)s",
    "unit\x1fseparator,comma",
]


@pytest.fixture
def odd_world(stock_world):
    """`stock_world`, with products whose SKUs JSON escapes or keeps as non-ASCII."""
    for sku in ODD_SKUS:
        ProductFactory(seller=stock_world, sku=sku)
    return stock_world


def files_written(handler, seller, rows) -> tuple[bytes, bytes, list]:
    """The success and error files `files.write_json` writes for what `handler` answers, read
    back as bytes, and the stocks written; then rolled back."""
    with transaction.atomic():
        outcome = handler(seller=seller, rows=json.loads(json.dumps(rows)))
        stored = stocks_stored()
        transaction.set_rollback(True)
    batch_id, texts = uuid.uuid4(), []
    for kind, data in (("success", outcome.succeeded), ("error", outcome.failed)):
        name = files.write_json(batch_id, kind, data)
        with default_storage.open(name, "rb") as handle:
            texts.append(handle.read())
        default_storage.delete(name)
        assert len(data) == len(json.loads(texts[-1]))
    return texts[0], texts[1], stored


odd_row = st.fixed_dictionaries(
    {
        "sku": st.sampled_from([*ODD_SKUS, "A-1", " A-3 "]),
        "stock_list": st.sampled_from([str(OPEN_LIST), str(OPEN_KG_LIST)]),
        "stock": st.one_of(st.integers(0, 10**6), st.integers(0, 99).map(str)),
    },
    optional={"unit_type": st.sampled_from(["qty", "kg"])},
)


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=st.one_of(batches, st.lists(odd_row, min_size=1, max_size=8)))
def test_the_batch_handler_writes_the_files_and_stocks_of_the_full_check(odd_world, rows):
    assert files_written(apply_stock_batch, odd_world, rows) == files_written(
        apply_stock_rows_full, odd_world, rows
    )


def test_the_batch_handler_gives_the_plain_path_its_success_file_as_text(odd_world):
    rows = [
        {"sku": sku, "stock_list": str(OPEN_LIST), "stock": str(index)}
        for index, sku in enumerate(ODD_SKUS)
    ]
    with transaction.atomic():
        outcome = apply_stock_batch(seller=odd_world, rows=rows)
        transaction.set_rollback(True)
    assert type(outcome.succeeded) is files.JsonText
    assert len(outcome.succeeded) == len(ODD_SKUS)
    ids = dict(Product.objects.values_list("sku", "uuid"))
    assert json.loads(outcome.succeeded.text) == [
        {"index": index, "sku": sku, "id": str(ids[sku])} for index, sku in enumerate(ODD_SKUS)
    ]
    assert files_written(apply_stock_batch, odd_world, rows) == files_written(
        apply_stock_rows_full, odd_world, rows
    )


@pytest.mark.parametrize("chosen", [["A-1", "A-4", "B-1", "NONE"], [*ODD_SKUS, "A-2"], []])
def test_the_seller_s_product_keys_are_its_products_pks_and_ids_by_sku(odd_world, chosen):
    expected = {
        sku: (pk, str(product_uuid))
        for sku, pk, product_uuid in Product.objects.filter(
            seller=odd_world, sku__in=chosen
        ).values_list("sku", "pk", "uuid")
    }
    assert seller_product_keys(seller=odd_world, skus=chosen) == expected


@pytest.mark.parametrize("first, then", [(0.0, -0.0), (-0.0, 0.0), (1, True), (True, 1.0)])
def test_stock_figures_equal_as_keys_are_each_judged_as_the_full_check_does(
    stock_world, first, then
):
    for stock in (first, then):
        rows = [{"sku": "A-1", "stock_list": str(OPEN_LIST), "stock": stock}]
        assert files_written(apply_stock_batch, stock_world, rows) == files_written(
            apply_stock_rows_full, stock_world, rows
        )
