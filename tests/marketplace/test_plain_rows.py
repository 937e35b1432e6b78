"""PRD101 rows checked in one pass (`plain_rows.product_row_plain`) give what the
field-by-field checks give: for random rows, valid and not, a row the one-pass check accepts has
no error in the field-by-field checks and the same fields, prices and stocks (Decimals to their
exponent); any other row is left to the field-by-field checks, which report its errors."""

import json
import uuid

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from pazar.core.errors import FieldErrors, error_codes
from pazar.marketplace.services.context import BatchContext
from pazar.marketplace.services.plain_rows import product_row_plain
from pazar.marketplace.services.products import _nested, _product_fields
from tests.marketplace.helpers import product_row, send

pytestmark = pytest.mark.django_db

PRODUCTS = "/seller-center/api/i2/products/"

UNKNOWN_ID = "0b6f4a1e-5d0c-4c59-9a5e-3f0c6f1f2a77"
ODD = st.sampled_from([None, True, False, 0, 1, 2.5, "", "  ", [], ["x"], {}, {"a": 1}])
TEXT = st.one_of(
    ODD,
    st.text(max_size=6),
    st.sampled_from([" Red tee ", "a" * 255, "a" * 256, " " + "a" * 255 + " ", 12, 1.5]),
)
NUMBER = st.one_of(
    ODD,
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=False, allow_infinity=False, places=3).map(str),
    st.sampled_from(["89.99", " 12 ", "abc", "NaN", "Infinity", "1e400", "-1", "1.005", "0.08"]),
)
CURRENCY = st.one_of(ODD, st.sampled_from(["USD", "usd", " usd ", "EUR", "XXX", "USDD", " "]))
UNIT = st.one_of(ODD, st.sampled_from(["qty", "kg", "QTY", " qty", "lt"]))
URLS = st.one_of(
    ODD,
    st.just("https://cdn.example.com/a.jpg"),
    st.lists(
        st.sampled_from(
            ["https://cdn.example.com/a.jpg", "http://x.example/1.png", "ftp://x/y", "https://", 3]
        ),
        max_size=3,
    ),
    st.just(["https://cdn.example.com/a.jpg"] * 51),
)
ATTRIBUTES = st.one_of(
    ODD,
    st.dictionaries(
        st.sampled_from(["COLOR", "SIZE", "ESTIMATED_SHIPPING_DURATION", "MATERIAL", "FIT"]),
        st.sampled_from(
            [
                "Red",
                "r",
                "Green",
                "S",
                "m",
                "XL",
                1,
                "2",
                2.5,
                2**60,
                None,
                "",
                [],
                ["S"],
                {"a": 1},
                True,
                "Cotton",
            ]
        ),
        max_size=5,
    ),
)


@st.composite
def _mutated(draw, valid: dict, values: dict):
    """`valid` with up to two of its keys left out or given other values (a key it does not
    have may be added)."""
    item = dict(valid)
    for key in draw(st.lists(st.sampled_from(sorted(values)), max_size=2, unique=True)):
        if draw(st.booleans()):
            item.pop(key, None)
        else:
            item[key] = draw(values[key])
    return item


def _ids(*valid):
    return st.one_of(ODD, st.sampled_from([*valid, UNKNOWN_ID, "not-a-uuid", valid[0].upper()]))


@st.composite
def rows(draw, market):
    price = draw(
        _mutated(
            product_row(market)["prices"][0],
            {
                "price_list": _ids(
                    str(market.usd.uuid), str(market.eur.uuid), str(market.closed_prices.uuid)
                ),
                "currency_type": CURRENCY,
                "price": NUMBER,
                "retail_price": NUMBER,
                "tax_rate": NUMBER,
            },
        )
    )
    stock = draw(
        _mutated(
            product_row(market)["stocks"][0],
            {
                "stock_list": _ids(str(market.stock.uuid), str(market.closed_stock.uuid)),
                "stock": NUMBER,
                "unit_type": UNIT,
            },
        )
    )
    eur = {**price, "price_list": str(market.eur.uuid), "currency_type": "EUR"}
    prices = draw(st.sampled_from([[price], [price], [price, eur], [price, price], []]))
    stocks = draw(st.sampled_from([[stock], [stock], [stock, stock], [], [stock, 1]]))
    return draw(
        _mutated(
            {**product_row(market), "prices": prices, "stocks": stocks},
            {
                "name": TEXT,
                "base_code": TEXT,
                "sku": TEXT,
                "category": _ids(str(market.tshirts.uuid), str(market.shoes.uuid)),
                "attributes": ATTRIBUTES,
                "images": URLS,
                "videos": URLS,
                "restrict_for_others": st.one_of(ODD, st.sampled_from(["true", "no"])),
                "product": st.one_of(st.none(), st.just(UNKNOWN_ID), st.just("bad")),
                "prices": st.one_of(ODD, st.just([price])),
                "stocks": st.one_of(ODD, st.just([stock])),
            },
        )
    )


def _field_by_field(row: dict, context: BatchContext):
    errors = FieldErrors()
    fields = _product_fields(row, context, errors)
    prices = _nested(row, "prices", "price_list", context.price, errors)
    stocks = _nested(row, "stocks", "stock_list", context.stock, errors)
    return fields, prices, stocks, errors


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_a_row_checked_in_one_pass_is_what_the_field_by_field_checks_give(
    market, seller_membership, data
):
    # given
    row = data.draw(rows(market))
    context = BatchContext.load(seller=seller_membership.seller, rows=[row], with_catalog=True)
    # when
    plain = product_row_plain(row, context)
    fields, prices, stocks, errors = _field_by_field(row, context)
    # then
    event("one pass" if plain is not None else "field by field")
    if plain is not None:
        assert not errors, error_codes(errors)
        assert repr(plain) == repr((fields, prices, stocks))


def test_the_usual_valid_rows_are_checked_in_one_pass(market, seller_membership):
    rows = [
        product_row(market),
        product_row(market, restrict_for_others=True, product=None),
        product_row(market, prices=[], stocks=None, videos=[], attributes={"COLOR": "r", "SIZE": "m"}),
        {k: v for k, v in product_row(market).items() if k not in ("images", "videos", "stocks")},
    ]  # fmt: skip
    rows[0]["prices"].append({"price_list": str(market.eur.uuid), "currency_type": "eur",
                              "price": 10, "retail_price": None})  # fmt: skip
    context = BatchContext.load(seller=seller_membership.seller, rows=rows, with_catalog=True)
    for row in rows:
        plain = product_row_plain(row, context)
        fields, prices, stocks, errors = _field_by_field(row, context)
        assert not errors
        assert repr(plain) == repr((fields, prices, stocks))


def test_a_batch_of_plain_and_failing_rows_reports_the_same_errors(seller_client, market):
    # given: valid rows (one pass) among rows with errors (field by field)
    rows = [
        product_row(market, sku="A-1"),
        product_row(market, sku="A-2", name=" "),
        product_row(market, sku="A-3", prices=[{"price_list": UNKNOWN_ID, "price": "x"}]),
        product_row(market, sku="A-4", restrict_for_others="true"),
        product_row(market, sku="A-5", stocks=[{"stock_list": str(market.stock.uuid)}]),
    ]
    # when
    batch = send(seller_client, "post", PRODUCTS, rows)
    # then
    assert (batch.status, batch.succeeded, batch.failed) == (3, 2, 3)
    body = seller_client.get(f"{PRODUCTS}batch-requests/{batch.pk}").json()
    files = {
        name: json.loads(
            b"".join(
                seller_client.get(body[name].replace("http://testserver", "")).streaming_content
            )
        )
        for name in ("success_file", "error_file")
    }
    assert [entry["sku"] for entry in files["success_file"]] == ["A-1", "A-4"]
    assert all(uuid.UUID(entry["id"]) for entry in files["success_file"])
    assert {entry["sku"]: entry["codes"] for entry in files["error_file"]} == {
        "A-2": {"name": ["blank"]},
        "A-3": {
            "prices": {
                "0": {
                    "price_list": ["price_list_not_open"],
                    "currency_type": ["required"],
                    "price": ["invalid"],
                }
            }
        },
        "A-5": {"stocks": {"0": {"stock": ["required"]}}},
    }
