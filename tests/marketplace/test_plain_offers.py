"""The offers of a batch checked by plain checks (`products._Offers._check_plain`) against the
full pricing and inventory checks: for random PRD101, PRD104 and PRD105 batches, valid and not,
the same success and error entries (messages and codes), the same products, prices and stocks
written; and the usual batch does take the plain way."""

import json
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from pazar.catalog.models import Product
from pazar.inventory.models import ProductStock
from pazar.marketplace.services import products as handlers
from pazar.pricing.models import ProductPrice
from tests.factories import ProductFactory, ProductPriceFactory, ProductStockFactory
from tests.marketplace.helpers import product_row
from tests.marketplace.test_plain_rows import CURRENCY, NUMBER, UNIT, _ids, _mutated

pytestmark = pytest.mark.django_db

STORED = ["P-0", "P-1"]  # the seller's products; N-… are new
RULE_BREAKING = st.sampled_from(
    ["-1", -0.5, "1.005", "1.00001", "100", 2, "1e25", "2147483648", "0.5", "1.5", "-0", "1E+1"]
)


@pytest.fixture
def offers_world(market, seller_membership):
    """P-0 stocked by weight on the main list with a price in USD; P-1 with neither."""
    seller = seller_membership.seller
    products = {sku: ProductFactory(seller=seller, sku=sku) for sku in STORED}
    ProductStockFactory(product=products["P-0"], stock_list=market.stock, unit_type="kg", stock=3)
    ProductPriceFactory(product=products["P-0"], price_list=market.usd, price=5, retail_price=9)
    return seller


@st.composite
def offer_items(draw, market):
    """A price and a stock item as a row gives them: valid, or with up to two fields left out or
    given other values."""
    valid = product_row(market)
    valid_price = draw(
        st.sampled_from(
            [
                valid["prices"][0],
                {"price_list": str(market.usd.uuid), "currency_type": "usd", "price": 10},
                {"price_list": str(market.eur.uuid), "currency_type": "EUR", "price": "3.50",
                 "retail_price": None, "tax_rate": "0.1800"},
            ]
        )
    )  # fmt: skip
    price = draw(
        st.one_of(
            st.just(valid_price),
            # numbers of the right shape that break a rule: sign, places, digits, price above
            # the retail price, a tax rate above 1
            st.builds(
                lambda name, value: {**valid_price, name: value},
                st.sampled_from(["price", "retail_price", "tax_rate"]),
                RULE_BREAKING,
            ),
            _mutated(
                valid_price,
                {
                    "price_list": _ids(str(market.usd.uuid), str(market.eur.uuid)),
                    "currency_type": CURRENCY,
                    "price": NUMBER,
                    "retail_price": NUMBER,
                    "tax_rate": NUMBER,
                },
            ),
        )
    )
    valid_stock = draw(
        st.sampled_from(
            [
                valid["stocks"][0],
                {"stock_list": str(market.stock.uuid), "stock": 7},
                {"stock_list": str(market.stock.uuid), "stock": "1.250", "unit_type": "kg"},
                {"stock_list": str(market.stock.uuid), "stock": "1.5"},  # P-0's unit decides
            ]
        )
    )
    stock = draw(
        st.one_of(
            st.just(valid_stock),
            st.builds(lambda value: {**valid_stock, "stock": value}, RULE_BREAKING),
            _mutated(
                valid_stock,
                {"stock_list": _ids(str(market.stock.uuid)), "stock": NUMBER, "unit_type": UNIT},
            ),
        )
    )
    return price, stock


@st.composite
def prd101_batches(draw, market):
    skus = draw(st.permutations([*STORED, "N-0", "N-1"]))
    rows = []
    for sku in skus[: draw(st.integers(1, 4))]:
        price, stock = draw(offer_items(market))
        prices = draw(st.sampled_from([[price], [price, price], [], None]))
        stocks = draw(st.sampled_from([[stock], [stock, stock], [], None]))
        row = product_row(market, sku=sku, prices=prices, stocks=stocks)
        if draw(st.booleans()) and draw(st.booleans()):
            row["name"] = " "  # a row failing on its product: its offers are checked all the same
        rows.append({k: v for k, v in row.items() if v is not None})
    return rows


@st.composite
def offer_batches(draw, market):
    """PRD104 rows: a SKU (the same may come twice), a price's and a stock's fields."""
    rows = []
    for _ in range(draw(st.integers(1, 4))):
        price, stock = draw(offer_items(market))
        rows.append({"sku": draw(st.sampled_from([*STORED, "N-0"])), **price, **stock})
    return rows


def applied(handler, seller, rows, *, plain: bool, monkeypatch) -> tuple:
    """What `handler` answers and writes for `rows` (the offers checked the plain way when they
    can be, or always the full way), then rolled back: the success entries without new
    products' ids, the error file's text, the products, prices and stocks."""
    with monkeypatch.context() as patch:
        if not plain:
            patch.setattr(handlers._Offers, "_check_plain", lambda *args: False)
        with transaction.atomic():
            outcome = handler(seller=seller, rows=json.loads(json.dumps(rows)))
            stored = (
                sorted(Product.objects.values_list("sku", "name", "approval_status")),
                sorted(
                    ProductPrice.objects.values_list(
                        "product__sku", "price_list__code", "price", "retail_price", "tax_rate",
                        "currency_type", "price_type", "discount_percentage", "extra_field",
                    )
                ),
                sorted(
                    ProductStock.objects.values_list(
                        "product__sku", "stock_list__code", "stock", "unit_type",
                        "sold_quantity_unreported", "extra_field",
                    )
                ),
            )  # fmt: skip
            transaction.set_rollback(True)
    as_file = dict(ensure_ascii=False, separators=(",", ":"), default=str)  # files.write_json
    succeeded = [
        {k: v for k, v in entry.items() if k != "id" or not entry["sku"].startswith("N-")}
        for entry in outcome.succeeded
    ]
    return succeeded, json.dumps(outcome.failed, **as_file), stored


def _took_plain_way(handler, seller, rows, monkeypatch) -> bool:
    answers = []
    check = handlers._Offers._check_plain

    def watched(self, *args):
        answers.append(check(self, *args))
        return answers[-1]

    with monkeypatch.context() as patch:
        patch.setattr(handlers._Offers, "_check_plain", watched)
        with transaction.atomic():
            handler(seller=seller, rows=json.loads(json.dumps(rows)))
            transaction.set_rollback(True)
    return answers == [True]


SETTINGS = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@SETTINGS
@given(data=st.data())
def test_prd101_offers_checked_the_plain_way_answer_and_write_as_the_full_checks_do(
    market, offers_world, monkeypatch, data
):
    rows = data.draw(prd101_batches(market))
    event(
        "plain"
        if _took_plain_way(handlers.apply_product_rows, offers_world, rows, monkeypatch)
        else "full"
    )
    assert applied(
        handlers.apply_product_rows, offers_world, rows, plain=True, monkeypatch=monkeypatch
    ) == applied(
        handlers.apply_product_rows, offers_world, rows, plain=False, monkeypatch=monkeypatch
    )


@SETTINGS
@given(data=st.data())
def test_prd104_and_prd105_offers_checked_the_plain_way_answer_and_write_as_the_full_checks_do(
    market, offers_world, monkeypatch, data
):
    rows = data.draw(offer_batches(market))
    for handler in (handlers.apply_price_stock_rows, handlers.apply_price_rows):
        assert applied(handler, offers_world, rows, plain=True, monkeypatch=monkeypatch) == (
            applied(handler, offers_world, rows, plain=False, monkeypatch=monkeypatch)
        )


def test_the_usual_batch_takes_the_plain_way_and_writes_normalized_values(
    market, offers_world, monkeypatch
):
    rows = [
        product_row(market, sku="P-0"),
        product_row(market, sku="N-0"),
        product_row(
            market,
            sku="N-1",
            prices=[{"price_list": str(market.eur.uuid), "currency_type": "eur", "price": 3,
                     "retail_price": None}],
            stocks=[{"stock_list": str(market.stock.uuid), "stock": "1.5", "unit_type": "kg"}],
        ),
    ]  # fmt: skip
    assert _took_plain_way(handlers.apply_product_rows, offers_world, rows, monkeypatch)
    plain = applied(
        handlers.apply_product_rows, offers_world, rows, plain=True, monkeypatch=monkeypatch
    )
    assert plain == applied(
        handlers.apply_product_rows, offers_world, rows, plain=False, monkeypatch=monkeypatch
    )
    _, _, (_, prices, stocks) = plain
    assert ("N-1", "eur", Decimal("3.00"), None, Decimal("0.0000"), "EUR", "default", None, {}) in (
        prices
    )
    assert ("P-0", "main", Decimal("90.000"), "qty", Decimal("0.000"), {}) in stocks


@pytest.mark.parametrize(
    "offers",
    [
        {"stocks": [{"stock": "1.5", "unit_type": None}]},  # fractional: P-0's stored unit decides
        {"stocks": [{"stock": "1.5"}]},  # fractional in units
        {"stocks": [{"stock": "-1"}]},
        {"prices": [{"price": "100", "retail_price": "99"}]},  # above the retail price
        {"prices": [{"price": "1.005"}]},
        {"prices": [{"currency_type": "EUR"}]},  # not the list's currency
    ],
)
def test_an_offer_the_plain_checks_cannot_accept_sends_the_offers_the_full_way(
    market, offers_world, monkeypatch, offers
):
    row = product_row(market, sku="P-0")
    for name, [changes] in offers.items():
        item = {**row[name][0], **changes}
        row[name] = [{key: value for key, value in item.items() if value is not None}]
    rows = [product_row(market, sku="N-0"), row]
    assert not _took_plain_way(handlers.apply_product_rows, offers_world, rows, monkeypatch)
    assert applied(
        handlers.apply_product_rows, offers_world, rows, plain=True, monkeypatch=monkeypatch
    ) == applied(
        handlers.apply_product_rows, offers_world, rows, plain=False, monkeypatch=monkeypatch
    )
