"""Rule evaluation against hand-computed figures, through the whole path: stock rows → the
worker → the list's figure → Omnitron's product stock (docs/whippy-ware.md)."""

import pytest

from pazar.whippy import services
from pazar.whippy.models import StockListResult
from tests.factories import ProductFactory, StockListFactory
from tests.whippy.factories import ProviderFactory, StockListRuleFactory, StockLocationFactory
from tests.whippy.helpers import location_sum, omnitron_stocks, run_tasks

pytestmark = pytest.mark.django_db

# central holds reservations back (should_add_reservations), shop does not.
#   central/110: 10 (3 reserved)   central/112: 1   central/113: 50
#   shop/110:     7 (4 reserved)   shop/200:    2 (2 reserved)
ROWS = [
    ("central", "110", 10, 3),
    ("central", "112", 1, 0),
    ("central", "113", 50, 0),
    ("shop", "110", 7, 4),
    ("shop", "200", 2, 2),
]


@pytest.fixture
def world():
    central = ProviderFactory(code="central", should_add_reservations=True)
    shop = ProviderFactory(code="shop", should_add_reservations=False)
    for provider, codes in ((central, ["110", "112", "113"]), (shop, ["110", "200"])):
        for code in codes:
            StockLocationFactory(provider=provider, code=code)
    ProductFactory(seller=None, sku="SKU-1")
    services.stocks_upsert(
        rows=[
            {"sku": "SKU-1", "provider": p, "location": loc, "stock": s, "reserved_stock": r}
            for p, loc, s, r in ROWS
        ]
    )
    return StockListFactory()


def figure(remote, rule: dict) -> int:
    """Bind a list with `rule` to `remote`, let the worker run, read Omnitron's stock."""
    services.stock_list_create(
        name="Eshop",
        code="eshop",
        remote=remote,
        stock_list_rule=StockListRuleFactory(rule=rule),
    )
    run_tasks()
    stocks = omnitron_stocks(remote)
    assert StockListResult.objects.get(sku="SKU-1").stock == stocks["SKU-1"]
    return stocks["SKU-1"]


CASES = {
    # 110: 10 − 3 reserved − 2 safety = 5; 112: 1 − 2 → 0 (a row never goes below 0)
    "safety stock per location, reservations held back": (
        location_sum({"providers": ["central"], "locations": ["110", "112"], "safety_stock": 2}),
        5,
    ),
    # the same without reservations: 10 − 2 = 8, 112 still 0
    "reservations not subtracted when the rule says so": (
        location_sum(
            {"providers": ["central"], "locations": ["110", "112"], "safety_stock": 2},
            subtract_reservations=False,
        ),
        8,
    ),
    # shop does not add reservations: 7 + 2, its reserved 4 and 2 are ignored
    "reservations kept when the provider does not add them": (
        location_sum({"providers": ["shop"], "locations": "*"}),
        9,
    ),
    # first block: both 110s with 1 held back → central 10 − 3 − 1 = 6, shop 7 − 1 = 6;
    # second block: central's other rows 1 + 50; central/110 is not counted again → 63
    "overlapping blocks count a row once, in its first block": (
        location_sum(
            {"providers": "*", "locations": ["110"], "safety_stock_per_location": 1},
            {"providers": ["central"], "locations": "*"},
        ),
        63,
    ),
    # everything: central 7 + 1 + 50, shop 7 + 2 = 67, minus 3 held back globally
    "global safety stock": (
        location_sum({"providers": "*", "locations": "*"}, global_safety_stock=3),
        64,
    ),
    # 1 − 5 is floored at 0
    "floored at zero": (
        location_sum({"providers": ["central"], "locations": ["112"]}, global_safety_stock=5),
        0,
    ),
    "a figure below min is 0": (
        location_sum({"providers": ["central"], "locations": ["112"]}, min=2),
        0,
    ),
    "a figure at min stays": (
        location_sum({"providers": ["central"], "locations": ["112"]}, min=1),
        1,
    ),
    # location codes are matched within the block's providers only: shop has no 113
    "locations within the block's providers": (
        location_sum({"providers": ["shop"], "locations": ["110"]}),
        7,
    ),
}


@pytest.mark.parametrize(("rule", "expected"), CASES.values(), ids=CASES.keys())
def test_a_location_sum_rule_gives_the_hand_computed_figure(world, rule, expected):
    assert figure(world, rule) == expected


def test_negative_stock_at_a_location_counts_as_nothing(world):
    services.stocks_upsert(
        rows=[{"sku": "SKU-1", "provider": "central", "location": "113", "stock": -4}]
    )

    # central: 7 + 1 + 0
    assert figure(world, location_sum({"providers": ["central"], "locations": "*"})) == 8


@pytest.mark.parametrize(
    ("switch_off", "expected"),
    [
        # 67 in all (see the global safety stock case) less what is switched off
        ("stock row", 67 - 50),
        ("location", 67 - 50),
        ("provider", 67 - 9),
    ],
)
def test_inactive_rows_locations_and_providers_count_as_nothing(world, switch_off, expected):
    from pazar.whippy.models import Provider, Stock, StockLocation

    if switch_off == "stock row":
        Stock.objects.filter(location__code="113").update(is_active=False)
    elif switch_off == "location":
        StockLocation.objects.filter(code="113").update(is_active=False)
    else:
        Provider.objects.filter(code="shop").update(is_active=False)

    assert figure(world, location_sum({"providers": "*", "locations": "*"})) == expected


def test_a_sum_beyond_what_a_stock_column_holds_is_published_at_its_maximum(world):
    services.stocks_upsert(
        rows=[
            {"sku": "SKU-1", "provider": "central", "location": code, "stock": 2147483647}
            for code in ("110", "112")
        ]
    )

    assert figure(world, location_sum({"providers": ["central"], "locations": "*"})) == 2147483647
