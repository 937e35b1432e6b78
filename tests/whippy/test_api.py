"""Whippy Ware CRUD, filters, bulk stock writes and reservations (whippy-ware.md §3–§8)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from pazar.whippy.models import Provider, Stock, StockList, StockListRule, StockLocation
from tests.factories import StockListFactory
from tests.whippy.factories import (
    ProviderFactory,
    StockFactory,
    StockListRuleFactory,
    StockLocationFactory,
    WhippyStockListFactory,
)
from tests.whippy.helpers import STOCKS

pytestmark = pytest.mark.django_db

BASE = "/whippy-ware/api/v1/"
PROVIDERS = BASE + "providers/"
LOCATIONS = BASE + "stock-locations/"
RULES = BASE + "stock-list-rules/"
LISTS = BASE + "stock-lists/"
NOT_FOUND = {"detail": "Not found.", "code": "not_found"}


def iso(value) -> str:
    return value.isoformat().replace("+00:00", "Z")


def dates(row) -> dict:
    row.refresh_from_db()
    return {
        "is_active": row.is_active,
        "created_date": iso(row.created_at),
        "modified_date": iso(row.updated_at),
    }


def stock_body(stock: Stock) -> dict:
    stock.refresh_from_db()
    return {
        "id": stock.pk,
        "sku": stock.sku,
        "provider": stock.location.provider.code,
        "location": stock.location.code,
        "stock": stock.stock,
        "reserved_stock": stock.reserved_stock,
        "available_stock": max(0, stock.stock - stock.reserved_stock),
        "unit_type": stock.unit_type,
        "stock_type": stock.stock_type,
        "period": stock.period.isoformat() if stock.period else None,
        **dates(stock),
    }


def results(response, key="id") -> list:
    assert response.status_code == 200, response.content
    return [item[key] for item in response.json()["results"]]


# --- providers ------------------------------------------------------------------------------


def test_a_provider_is_created_and_read_back_as_the_spec_shows(operator_client):
    response = operator_client.post(
        PROVIDERS,
        {"name": "Central Warehouse", "code": "central_wh", "should_add_reservations": True},
        format="json",
    )

    assert response.status_code == 201
    provider = Provider.objects.get()
    body = {
        "id": provider.pk,
        "name": "Central Warehouse",
        "code": "central_wh",
        "should_add_reservations": True,
        **dates(provider),
    }
    assert response.json() == body
    assert operator_client.get(f"{PROVIDERS}{provider.pk}/").json() == body


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({}, {"name": ["This field is required."], "code": ["This field is required."]}),
        (
            {"name": "Again", "code": "taken"},
            {"code": ['A provider with the code "taken" already exists.']},
        ),
    ],
)
def test_a_provider_without_a_name_or_with_a_taken_code_is_a_400(operator_client, body, errors):
    ProviderFactory(code="taken")

    response = operator_client.post(PROVIDERS, body, format="json")

    assert response.status_code == 400
    assert response.json() == errors
    assert Provider.objects.count() == 1


def test_providers_are_paged_and_filtered(operator_client):
    first, second, third = (ProviderFactory(code=f"p{i}") for i in range(3))
    ProviderFactory(code="off", is_active=False)

    page = operator_client.get(PROVIDERS, {"limit": 2, "page": 2})

    assert page.json()["count"] == 4
    assert results(page) == [third.pk, Provider.objects.get(code="off").pk]
    assert page.json()["previous"] == "http://testserver/whippy-ware/api/v1/providers/?limit=2"
    assert results(operator_client.get(PROVIDERS, {"code": "p1"})) == [second.pk]
    assert results(operator_client.get(PROVIDERS, {"is_active": "false"}), "code") == ["off"]
    assert results(operator_client.get(PROVIDERS, {"code__in": "p0,p2"})) == [first.pk, third.pk]


def test_a_provider_is_changed_and_deleted_with_its_locations_and_stocks(operator_client):
    stock = StockFactory()
    provider = stock.location.provider
    url = f"{PROVIDERS}{provider.pk}/"

    changed = operator_client.patch(url, {"should_add_reservations": True}, format="json")
    deleted = operator_client.delete(url)

    assert changed.status_code == 200
    assert changed.json()["should_add_reservations"] is True
    assert deleted.status_code == 204
    assert not StockLocation.objects.exists()
    assert not Stock.objects.exists()
    assert operator_client.get(url).json() == NOT_FOUND


# --- stock locations ------------------------------------------------------------------------


def test_a_location_is_created_under_its_provider(operator_client):
    provider = ProviderFactory()

    response = operator_client.post(
        LOCATIONS, {"name": "110", "code": "110", "provider": provider.pk}, format="json"
    )

    assert response.status_code == 201
    location = StockLocation.objects.get()
    assert response.json() == {
        "id": location.pk,
        "name": "110",
        "code": "110",
        "provider": provider.pk,
        **dates(location),
    }


def test_a_location_code_is_unique_within_its_provider_only(operator_client):
    existing = StockLocationFactory(code="110")
    other = ProviderFactory()

    same_provider = operator_client.post(
        LOCATIONS, {"name": "x", "code": "110", "provider": existing.provider.pk}, format="json"
    )
    other_provider = operator_client.post(
        LOCATIONS, {"name": "x", "code": "110", "provider": other.pk}, format="json"
    )

    assert same_provider.status_code == 400
    assert same_provider.json() == {
        "code": [
            f'The provider "{existing.provider.code}" already has a location with the code "110".'
        ]
    }
    assert other_provider.status_code == 201


def test_locations_filter_by_provider_id_and_code(operator_client):
    a = StockLocationFactory(provider=ProviderFactory(code="a"))
    b = StockLocationFactory(provider=ProviderFactory(code="b"))

    assert results(operator_client.get(LOCATIONS, {"provider": a.provider.pk})) == [a.pk]
    assert results(operator_client.get(LOCATIONS, {"provider__code": "b"})) == [b.pk]
    assert results(operator_client.get(LOCATIONS, {"code": b.code})) == [b.pk]


# --- stock list rules -----------------------------------------------------------------------

SPEC_RULE = {
    "blocks": [
        {"providers": ["central_wh"], "locations": ["110", "112"], "safety_stock": 2},
        {"providers": ["shop_provider"], "locations": "*", "safety_stock_per_location": 1},
    ],
    "global_safety_stock": 0,
    "subtract_reservations": True,
    "min": 0,
}


@pytest.fixture
def spec_world():
    central = ProviderFactory(code="central_wh")
    StockLocationFactory(provider=central, code="110")
    StockLocationFactory(provider=central, code="112")
    StockLocationFactory(provider=ProviderFactory(code="shop_provider"), code="300")


def test_the_specs_example_rule_is_accepted(operator_client, spec_world):
    response = operator_client.post(
        RULES,
        {"name": "Eshop Stock List Rule", "rule_type": "location_sum", "rule": SPEC_RULE},
        format="json",
    )

    assert response.status_code == 201
    rule = StockListRule.objects.get()
    assert response.json() == {
        "id": rule.pk,
        "name": "Eshop Stock List Rule",
        "rule_type": "location_sum",
        "rule": SPEC_RULE,
        **dates(rule),
    }


def test_an_sql_rule_is_stored_as_given(operator_client):
    response = operator_client.post(
        RULES,
        {"name": "Legacy", "rule_type": "sql", "rule": {"query": "select 1"}},
        format="json",
    )

    assert response.status_code == 201
    assert response.json()["rule"] == {"query": "select 1"}


def _invalid(**changes) -> dict:
    rule = {"blocks": [{"providers": ["central_wh"], "locations": ["110"]}]}
    rule.update(changes)
    return rule


@pytest.mark.parametrize(
    ("rule", "messages"),
    [
        ([], ["The rule must be a JSON object."]),
        ({}, ["blocks: expected a non-empty list of blocks."]),
        ({"blocks": []}, ["blocks: expected a non-empty list of blocks."]),
        (_invalid(extra=1), ["extra: unknown key."]),
        (
            _invalid(global_safety_stock=-1),
            ["global_safety_stock: expected a whole number, 0 or more."],
        ),
        (_invalid(min="2"), ["min: expected a whole number, 0 or more."]),
        (_invalid(subtract_reservations="yes"), ["subtract_reservations: expected true or false."]),
        ({"blocks": ["x"]}, ["blocks.0: expected an object."]),
        (
            {"blocks": [{"locations": "*"}]},
            ["blocks.0.providers: this key is required."],
        ),
        (
            {"blocks": [{"providers": [], "locations": "all"}]},
            [
                'blocks.0.providers: expected "*" or a non-empty list of codes.',
                'blocks.0.locations: expected "*" or a non-empty list of codes.',
            ],
        ),
        (
            {"blocks": [{"providers": "*", "locations": "*", "safety_stock": 1.5, "colour": 1}]},
            [
                "blocks.0.colour: unknown key.",
                "blocks.0.safety_stock: expected a whole number, 0 or more.",
            ],
        ),
        (
            {
                "blocks": [
                    {
                        "providers": "*",
                        "locations": "*",
                        "safety_stock": 1,
                        "safety_stock_per_location": 1,
                    }
                ]
            },
            ["blocks.0: give safety_stock_per_location or its short name safety_stock, not both."],
        ),
        (
            {
                "blocks": [
                    {"providers": "*", "locations": "*"},
                    {"providers": ["nope", "central_wh"], "locations": "*"},
                ]
            },
            ['blocks.1.providers: unknown provider "nope".'],
        ),
        (
            {"blocks": [{"providers": ["shop_provider"], "locations": ["110", "300", "999"]}]},
            ['blocks.0.locations: no location "110", "999" belongs to the block\'s providers.'],
        ),
    ],
)
def test_an_invalid_rule_is_a_400_naming_the_problem(operator_client, spec_world, rule, messages):
    response = operator_client.post(
        RULES, {"name": "Bad", "rule_type": "location_sum", "rule": rule}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {"rule": messages}
    assert not StockListRule.objects.exists()


def test_an_unknown_rule_type_is_a_400(operator_client):
    response = operator_client.post(
        RULES, {"name": "Bad", "rule_type": "magic", "rule": {}}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {"rule_type": ['"magic" is not a valid choice.']}


def test_changing_a_rule_is_checked_like_creating_one(operator_client, spec_world):
    rule = StockListRuleFactory()
    url = f"{RULES}{rule.pk}/"

    bad = operator_client.patch(
        url, {"rule": {"blocks": [{"providers": ["x"], "locations": "*"}]}}, format="json"
    )
    to_sql = operator_client.patch(url, {"rule_type": "sql", "rule": {}}, format="json")

    assert bad.status_code == 400
    assert bad.json() == {"rule": ['blocks.0.providers: unknown provider "x".']}
    assert to_sql.status_code == 200
    assert to_sql.json()["rule_type"] == "sql"


def test_a_rule_in_use_cannot_be_deleted(operator_client):
    stock_list = WhippyStockListFactory(code="eshop")
    url = f"{RULES}{stock_list.stock_list_rule.pk}/"

    used = operator_client.delete(url)
    stock_list.delete()
    unused = operator_client.delete(url)

    assert used.status_code == 400
    assert used.json() == {
        "detail": 'The rule is used by the stock lists "eshop".',
        "code": "rule_in_use",
    }
    assert unused.status_code == 204


def test_rules_filter_by_type(operator_client):
    location_sum = StockListRuleFactory()
    sql = StockListRuleFactory(rule_type="sql", rule={})

    assert results(operator_client.get(RULES, {"rule_type": "sql"})) == [sql.pk]
    assert results(operator_client.get(RULES, {"rule_type": "location_sum"})) == [location_sum.pk]


# --- stock lists ----------------------------------------------------------------------------


def test_a_stock_list_binds_an_omnitron_stock_list_to_a_rule(operator_client):
    remote, rule = StockListFactory(), StockListRuleFactory()

    response = operator_client.post(
        LISTS,
        {
            "code": "alpha_stock_list",
            "name": "Alpha Stock List",
            "remote_id": remote.pk,
            "stock_list_rule": rule.pk,
        },
        format="json",
    )

    assert response.status_code == 201
    stock_list = StockList.objects.get()
    assert response.json() == {
        "id": stock_list.pk,
        "name": "Alpha Stock List",
        "code": "alpha_stock_list",
        "remote_id": remote.pk,
        "stock_list_rule": rule.pk,
        **dates(stock_list),
    }
    assert results(operator_client.get(LISTS, {"remote_id": remote.pk})) == [stock_list.pk]


def test_a_stock_list_needs_a_free_omnitron_list_and_a_new_code(operator_client):
    taken = WhippyStockListFactory(code="taken")
    rule = StockListRuleFactory()

    same_remote = operator_client.post(
        LISTS,
        {"code": "new", "name": "N", "remote_id": taken.remote_id, "stock_list_rule": rule.pk},
        format="json",
    )
    same_code = operator_client.post(
        LISTS,
        {
            "code": "taken",
            "name": "N",
            "remote_id": StockListFactory().pk,
            "stock_list_rule": rule.pk,
        },
        format="json",
    )
    unknown = operator_client.post(
        LISTS,
        {"code": "x", "name": "N", "remote_id": 999999, "stock_list_rule": rule.pk},
        format="json",
    )
    missing = operator_client.post(LISTS, {}, format="json")

    assert same_remote.status_code == 400
    assert same_remote.json() == {
        "remote_id": [
            f'The Omnitron stock list {taken.remote_id} is already filled by the stock list "taken".'
        ]
    }
    assert same_code.json() == {"code": ['A stock list with the code "taken" already exists.']}
    assert unknown.json() == {"remote_id": ['Invalid pk "999999" - object does not exist.']}
    assert missing.json() == {
        "name": ["This field is required."],
        "code": ["This field is required."],
        "remote_id": ["This field is required."],
        "stock_list_rule": ["This field is required."],
    }
    assert StockList.objects.count() == 1


# --- stocks: bulk writes --------------------------------------------------------------------


@pytest.fixture
def places():
    shop = ProviderFactory(code="shop_provider")
    StockLocationFactory(provider=shop, code="110")
    StockLocationFactory(provider=shop, code="112")
    ProviderFactory(code="empty")


def test_one_stock_object_is_created_then_updated_by_the_same_triple(operator_client, places):
    row = {
        "sku": "555AB1300",
        "provider": "shop_provider",
        "location": "110",
        "stock": 5,
        "reserved_stock": 1,
    }

    created = operator_client.post(STOCKS, row, format="json")
    updated = operator_client.post(STOCKS, {**row, "stock": 7, "location": 110}, format="json")

    stock = Stock.objects.get()
    assert created.status_code == 201
    assert updated.status_code == 200
    assert updated.json() == stock_body(stock)
    assert created.json()["id"] == updated.json()["id"] == stock.pk
    assert updated.json() | {"modified_date": None} == {
        "id": stock.pk,
        "sku": "555AB1300",
        "provider": "shop_provider",
        "location": "110",
        "stock": 7,
        "reserved_stock": 1,
        "available_stock": 6,
        "unit_type": "qty",
        "stock_type": "standard",
        "period": None,
        "is_active": True,
        "created_date": iso(stock.created_at),
        "modified_date": None,
    }


@pytest.mark.parametrize(
    ("row", "errors"),
    [
        (
            {"sku": "A", "provider": "nope", "location": "110", "stock": 1},
            {"provider": ['Unknown provider "nope".']},
        ),
        (
            {"sku": "A", "provider": "empty", "location": "110", "stock": 1},
            {"location": ['The provider "empty" has no location "110".']},
        ),
        (
            {"sku": "A", "provider": "shop_provider", "location": "110"},
            {"stock": ["This field is required."]},
        ),
        (
            {
                "sku": "A",
                "provider": "shop_provider",
                "location": "110",
                "stock": 1,
                "reserved_stock": -1,
            },
            {"reserved_stock": ["Ensure this value is greater than or equal to 0."]},
        ),
    ],
)
def test_one_bad_stock_object_is_a_400_with_its_errors(operator_client, places, row, errors):
    response = operator_client.post(STOCKS, row, format="json")

    assert response.status_code == 400
    assert response.json() == errors
    assert not Stock.objects.exists()


def test_a_list_of_stocks_stores_the_good_rows_and_reports_each_row(operator_client, places):
    existing = StockFactory(sku="B", location=StockLocation.objects.get(code="112"), stock=1)
    rows = [
        {"sku": "A", "provider": "shop_provider", "location": "110", "stock": 5},
        {"sku": "B", "provider": "shop_provider", "location": "112", "stock": 9},
        {"sku": "C", "provider": "nope", "location": "110", "stock": 1},
        {"sku": "D", "provider": "empty", "location": "1", "stock": 1},
        {"sku": "E", "provider": "shop_provider", "location": "110", "stock": "many"},
        {
            "sku": "A",
            "provider": "shop_provider",
            "location": "110",
            "stock": 6,
            "stock_type": "outlet",
        },
    ]

    response = operator_client.post(STOCKS, rows, format="json")

    a = Stock.objects.get(sku="A")
    assert response.status_code == 201
    assert response.json() == {
        "created": 1,
        "updated": 2,
        "failed": 3,
        "results": [
            {"index": 0, "status": "created", "id": a.pk},
            {"index": 1, "status": "updated", "id": existing.pk},
            {"index": 2, "status": "failed", "errors": {"provider": ['Unknown provider "nope".']}},
            {
                "index": 3,
                "status": "failed",
                "errors": {"location": ['The provider "empty" has no location "1".']},
            },
            {"index": 4, "status": "failed", "errors": {"stock": ["A valid integer is required."]}},
            {"index": 5, "status": "updated", "id": a.pk},
        ],
    }
    assert (a.stock, a.stock_type) == (6, "outlet")
    assert Stock.objects.get(sku="B").stock == 9
    assert sorted(Stock.objects.values_list("sku", flat=True)) == ["A", "B"]


def test_a_list_whose_rows_all_fail_is_a_400(operator_client, places):
    response = operator_client.post(
        STOCKS, [{"sku": "A", "provider": "nope", "location": "1", "stock": 1}], format="json"
    )

    assert response.status_code == 400
    assert response.json()["failed"] == 1


def test_an_update_that_leaves_out_optional_fields_keeps_their_values(operator_client, places):
    location = StockLocation.objects.get(code="110")
    stock = StockFactory(
        sku="A",
        location=location,
        stock=5,
        reserved_stock=2,
        stock_type="outlet",
        unit_type="kg",
        period="2025-01-01",
    )

    operator_client.post(
        STOCKS,
        [{"sku": "A", "provider": "shop_provider", "location": "110", "stock": 8}],
        format="json",
    )

    stock.refresh_from_db()
    assert (
        stock.stock,
        stock.reserved_stock,
        stock.stock_type,
        stock.unit_type,
        str(stock.period),
    ) == (
        8,
        2,
        "outlet",
        "kg",
        "2025-01-01",
    )


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ("text", {"non_field_errors": ['Expected a list of items but got type "str".']}),
        ([], {"non_field_errors": ["This list may not be empty."]}),
        ([1, {}], {"0": ["Expected an object."]}),
    ],
)
def test_a_body_that_is_not_rows_is_a_400(operator_client, body, errors):
    response = operator_client.post(STOCKS, body, format="json")

    assert response.status_code == 400
    assert response.json() == errors


def test_more_than_1000_rows_are_refused_whole(operator_client, places):
    rows = [
        {"sku": f"S{i}", "provider": "shop_provider", "location": "110", "stock": 1}
        for i in range(1001)
    ]

    response = operator_client.post(STOCKS, rows, format="json")

    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": ["Ensure this list has no more than 1000 items; it has 1001."]
    }
    assert not Stock.objects.exists()


def test_1000_rows_are_stored_in_one_request(operator_client, places):
    rows = [
        {"sku": f"S{i}", "provider": "shop_provider", "location": "110", "stock": i}
        for i in range(1000)
    ]

    response = operator_client.post(STOCKS, rows, format="json")

    assert response.status_code == 201
    assert response.json()["created"] == 1000
    assert Stock.objects.count() == 1000


# --- stocks: reading ------------------------------------------------------------------------


def test_stocks_of_a_sku_answer_its_availability_at_every_location(operator_client, places):
    at_110 = StockFactory(
        sku="555AB1300", location=StockLocation.objects.get(code="110"), stock=5, reserved_stock=1
    )
    at_112 = StockFactory(
        sku="555AB1300", location=StockLocation.objects.get(code="112"), stock=1, reserved_stock=3
    )
    StockFactory(sku="OTHER")

    response = operator_client.get(STOCKS, {"sku": "555AB1300"})

    assert response.status_code == 200
    assert response.json() == {
        "count": 2,
        "next": None,
        "previous": None,
        "results": [stock_body(at_110), stock_body(at_112)],
    }
    assert [row["available_stock"] for row in response.json()["results"]] == [4, 0]


def test_stocks_filter_by_sku_list_provider_location_activity_and_modification(operator_client):
    old = StockFactory(sku="A", location__code="110", location__provider__code="p1")
    Stock.objects.filter(pk=old.pk).update(updated_at=timezone.now() - timedelta(days=2))
    new = StockFactory(sku="B", location__code="112", location__provider__code="p2")
    off = StockFactory(sku="C", location=new.location, is_active=False)
    since = iso(timezone.now() - timedelta(days=1))

    assert results(operator_client.get(STOCKS, {"sku__in": "A,C"})) == [old.pk, off.pk]
    assert results(operator_client.get(STOCKS, {"provider": "p2"})) == [new.pk, off.pk]
    assert results(operator_client.get(STOCKS, {"location": "110"})) == [old.pk]
    assert results(operator_client.get(STOCKS, {"location__in": "110,112", "sku": "B"})) == [new.pk]
    assert results(operator_client.get(STOCKS, {"is_active": "false"})) == [off.pk]
    assert results(operator_client.get(STOCKS, {"modified_date__gt": since})) == [new.pk, off.pk]
    assert results(operator_client.get(STOCKS, {"limit": 1, "page": 3})) == [off.pk]


def test_a_stock_is_changed_and_deleted(operator_client):
    stock = StockFactory(stock=5)
    url = f"{STOCKS}{stock.pk}/"

    changed = operator_client.patch(
        url, {"stock": 2, "reserved_stock": 1, "sku": "ignored"}, format="json"
    )
    deleted = operator_client.delete(url)

    assert changed.status_code == 200
    assert (changed.json()["sku"], changed.json()["stock"], changed.json()["available_stock"]) == (
        stock.sku,
        2,
        1,
    )
    assert deleted.status_code == 204
    assert not Stock.objects.exists()


# --- reservations ---------------------------------------------------------------------------


def test_reserving_and_releasing_move_the_reserved_and_available_stock(operator_client):
    stock = StockFactory(stock=3, reserved_stock=1)
    url = f"{STOCKS}{stock.pk}/"

    reserved = operator_client.post(url + "reserve/", {"quantity": 2}, format="json")
    released = operator_client.post(url + "release/", {"quantity": 1}, format="json")

    assert reserved.status_code == 200
    assert (reserved.json()["reserved_stock"], reserved.json()["available_stock"]) == (3, 0)
    assert released.status_code == 200
    assert released.json() == stock_body(stock)
    assert (released.json()["reserved_stock"], released.json()["available_stock"]) == (2, 1)


@pytest.mark.parametrize(
    ("action", "body", "status", "answer"),
    [
        (
            "reserve",
            {"quantity": 3},
            400,
            {
                "detail": 'Only 2 of SKU "R-1" are available at this location; 3 cannot be reserved.',
                "code": "insufficient_stock",
            },
        ),
        (
            "release",
            {"quantity": 2},
            400,
            {
                "detail": 'Only 1 of SKU "R-1" are reserved at this location; 2 cannot be released.',
                "code": "release_exceeds_reserved",
            },
        ),
        (
            "reserve",
            {"quantity": 0},
            400,
            {"quantity": ["Ensure this value is greater than or equal to 1."]},
        ),
        ("release", {}, 400, {"quantity": ["This field is required."]}),
    ],
)
def test_a_reservation_that_cannot_be_made_changes_nothing(
    operator_client, action, body, status, answer
):
    stock = StockFactory(sku="R-1", stock=3, reserved_stock=1)

    response = operator_client.post(f"{STOCKS}{stock.pk}/{action}/", body, format="json")

    assert response.status_code == status
    assert response.json() == answer
    stock.refresh_from_db()
    assert stock.reserved_stock == 1


def test_reserving_at_an_unknown_stock_is_a_404(operator_client):
    response = operator_client.post(f"{STOCKS}999999/reserve/", {"quantity": 1}, format="json")

    assert response.status_code == 404
    assert response.json() == NOT_FOUND
