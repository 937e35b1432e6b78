"""Figures follow every change that can move them, in the worker, for the touched SKUs only;
the rebuild command agrees with them exactly."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django_tasks_db.models import DBTaskResult
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pazar.core.errors import ApplicationError
from pazar.core.heartbeat import Heartbeat
from pazar.inventory.models import ProductStock
from pazar.whippy import services
from pazar.whippy.models import PendingSku, Provider, Stock, StockListResult, StockLocation
from tests.factories import ProductFactory, StockListFactory
from tests.whippy.factories import (
    ProviderFactory,
    StockListRuleFactory,
    StockLocationFactory,
    WhippyStockListFactory,
)
from tests.whippy.helpers import RECOMPUTE, STOCKS, location_sum, omnitron_stocks, run_tasks

pytestmark = pytest.mark.django_db

RULES = "/whippy-ware/api/v1/stock-list-rules/"
LISTS = "/whippy-ware/api/v1/stock-lists/"


@pytest.fixture
def eshop():
    """Provider `wh` (adds reservations) at 110 and 112, a list of everything, SKU-1..3 products."""
    wh = ProviderFactory(code="wh", should_add_reservations=True)
    StockLocationFactory(provider=wh, code="110")
    StockLocationFactory(provider=wh, code="112")
    for sku in ("SKU-1", "SKU-2", "SKU-3"):
        ProductFactory(seller=None, sku=sku)
    stock_list = WhippyStockListFactory(code="eshop")
    services.pending_mark_stock_lists()
    run_tasks()
    return stock_list


def post(client, *rows):
    response = client.post(STOCKS, list(rows), format="json")
    assert response.status_code == 201, response.content
    return response


def row(sku, location, stock, **extra):
    return {"sku": sku, "provider": "wh", "location": location, "stock": stock, **extra}


def recompute_tasks() -> int:
    return DBTaskResult.objects.ready().filter(task_path=RECOMPUTE).count()


def test_a_stock_write_is_recomputed_by_the_worker_for_its_skus_only(operator_client, eshop):
    post(operator_client, row("SKU-2", "110", 4))
    run_tasks()
    untouched = StockListResult.objects.get(sku="SKU-2").computed_at

    post(operator_client, row("SKU-1", "110", 5), row("SKU-1", "112", 3))

    # queued with the write, not yet applied
    assert recompute_tasks() == 1
    assert set(PendingSku.objects.values_list("stock_list__code", "sku")) == {("eshop", "SKU-1")}
    assert omnitron_stocks(eshop.remote) == {"SKU-2": 4}
    run_tasks()
    assert omnitron_stocks(eshop.remote) == {"SKU-1": 8, "SKU-2": 4}
    assert not PendingSku.objects.exists()
    assert StockListResult.objects.get(sku="SKU-2").computed_at == untouched


def test_a_write_that_stores_nothing_queues_nothing(operator_client, eshop):
    operator_client.post(STOCKS, [row("SKU-1", "999", 1)], format="json")
    services.pending_mark_skus(skus=[])

    assert recompute_tasks() == 0
    assert not PendingSku.objects.exists()


def test_a_write_rolled_back_leaves_nothing_for_the_worker(eshop):
    with pytest.raises(RuntimeError), transaction.atomic():
        services.stocks_upsert(rows=[row("SKU-1", "110", 5)])
        raise RuntimeError

    assert recompute_tasks() == 0
    assert not PendingSku.objects.exists()


def test_reservations_move_the_figure_of_a_provider_that_adds_them(operator_client, eshop):
    stock_id = post(operator_client, row("SKU-1", "110", 5)).json()["results"][0]["id"]
    run_tasks()

    operator_client.post(f"{STOCKS}{stock_id}/reserve/", {"quantity": 2}, format="json")
    run_tasks()
    reserved = omnitron_stocks(eshop.remote)["SKU-1"]
    operator_client.post(f"{STOCKS}{stock_id}/release/", {"quantity": 1}, format="json")
    run_tasks()

    assert reserved == 3
    assert omnitron_stocks(eshop.remote)["SKU-1"] == 4


def test_the_provider_switching_reservations_off_recomputes_every_list(operator_client, eshop):
    post(operator_client, row("SKU-1", "110", 5, reserved_stock=2))
    run_tasks()
    provider = Provider.objects.get(code="wh")

    operator_client.patch(
        f"/whippy-ware/api/v1/providers/{provider.pk}/",
        {"should_add_reservations": False},
        format="json",
    )
    run_tasks()

    assert omnitron_stocks(eshop.remote) == {"SKU-1": 5}


def test_a_rule_change_recomputes_the_lists_using_it(operator_client, eshop):
    post(operator_client, row("SKU-1", "110", 5), row("SKU-2", "112", 1))
    run_tasks()

    response = operator_client.patch(
        f"{RULES}{eshop.stock_list_rule_id}/",
        {"rule": location_sum({"providers": "*", "locations": ["110"]}, global_safety_stock=1)},
        format="json",
    )
    run_tasks()

    assert response.status_code == 200
    assert omnitron_stocks(eshop.remote) == {"SKU-1": 4, "SKU-2": 0}


def test_binding_a_list_to_another_omnitron_list_fills_that_one(operator_client, eshop):
    post(operator_client, row("SKU-1", "110", 5))
    run_tasks()
    old, new = eshop.remote, StockListFactory()

    operator_client.patch(f"{LISTS}{eshop.pk}/", {"remote_id": new.pk}, format="json")
    post(operator_client, row("SKU-1", "110", 7))
    run_tasks()

    assert omnitron_stocks(new) == {"SKU-1": 7}
    assert omnitron_stocks(old) == {"SKU-1": 5}  # kept as last written


def test_an_inactive_list_is_left_alone_until_it_is_active_again(operator_client, eshop):
    post(operator_client, row("SKU-1", "110", 5))
    run_tasks()
    url = f"{LISTS}{eshop.pk}/"

    operator_client.patch(url, {"is_active": False}, format="json")
    post(operator_client, row("SKU-1", "110", 9))
    run_tasks()
    while_inactive = omnitron_stocks(eshop.remote)
    operator_client.patch(url, {"is_active": True}, format="json")
    run_tasks()

    assert while_inactive == {"SKU-1": 5}
    assert omnitron_stocks(eshop.remote) == {"SKU-1": 9}


def test_a_list_with_an_sql_rule_computes_nothing(operator_client, eshop):
    post(operator_client, row("SKU-1", "110", 5))
    run_tasks()

    operator_client.patch(
        f"{RULES}{eshop.stock_list_rule_id}/", {"rule_type": "sql", "rule": {}}, format="json"
    )
    post(operator_client, row("SKU-1", "110", 9))
    run_tasks()
    output = io.StringIO()
    call_command("whippy", "rebuild", stdout=output)

    assert omnitron_stocks(eshop.remote) == {"SKU-1": 5}
    assert "eshop: skipped" in output.getvalue()


def test_deleting_stocks_and_locations_brings_figures_down(operator_client, eshop):
    created = post(
        operator_client, row("SKU-1", "110", 5), row("SKU-1", "112", 2), row("SKU-2", "112", 1)
    )
    run_tasks()

    operator_client.delete(f"{STOCKS}{created.json()['results'][0]['id']}/")
    run_tasks()
    after_stock = omnitron_stocks(eshop.remote)
    location = StockLocation.objects.get(code="112")
    operator_client.delete(f"/whippy-ware/api/v1/stock-locations/{location.pk}/")
    run_tasks()

    assert after_stock == {"SKU-1": 2, "SKU-2": 1}
    assert omnitron_stocks(eshop.remote) == {"SKU-1": 0, "SKU-2": 0}


def test_a_sku_without_a_product_is_kept_and_written_by_the_rebuild_once_it_exists(
    operator_client, eshop
):
    post(operator_client, row("NEW-1", "110", 6))
    run_tasks()
    before = omnitron_stocks(eshop.remote)
    ProductFactory(seller=None, sku="NEW-1")

    output = io.StringIO()
    call_command("whippy", "rebuild", "--stock-list", "eshop", stdout=output)

    assert before == {}
    assert StockListResult.objects.get(sku="NEW-1").stock == 6
    assert omnitron_stocks(eshop.remote) == {"NEW-1": 6}
    assert output.getvalue().startswith(
        "eshop: 1 SKUs computed, 1 product stocks written, 0 SKUs without an Omnitron product"
    )


def test_the_rebuild_of_an_unknown_list_is_an_error():
    with pytest.raises(CommandError) as error:
        call_command("whippy", "rebuild", "--stock-list", "nope")

    assert str(error.value) == 'No Whippy Ware stock list has the code "nope".'


def test_the_rebuild_repairs_figures_changed_behind_its_back(operator_client, eshop):
    post(operator_client, row("SKU-1", "110", 5), row("SKU-2", "112", 3))
    run_tasks()
    ProductStock.objects.filter(stock_list=eshop.remote).update(stock=99)
    StockListResult.objects.update(stock=99)

    call_command("whippy", "rebuild", stdout=io.StringIO())

    assert omnitron_stocks(eshop.remote) == {"SKU-1": 5, "SKU-2": 3}
    assert dict(StockListResult.objects.values_list("sku", "stock")) == {"SKU-1": 5, "SKU-2": 3}


def test_draining_twice_is_draining_once(operator_client, eshop):
    post(operator_client, row("SKU-1", "110", 5))

    first = services.pending_drain()
    second = services.pending_drain()

    assert (first.skus, first.written, second.skus) == (1, 1, 0)
    assert omnitron_stocks(eshop.remote) == {"SKU-1": 5}


def test_every_worker_drains_pending_figures_periodically_even_without_a_task(eshop):
    services.stocks_upsert(rows=[row("SKU-1", "110", 5)])
    DBTaskResult.objects.all().delete()  # the task was lost

    Heartbeat("test-worker").periodic()

    assert omnitron_stocks(eshop.remote) == {"SKU-1": 5}


# --- incremental = rebuild = the rule, on random data ---------------------------------------

PROVIDER_CODES = ["p1", "p2", "p3"]
LOCATION_CODES = ["110", "112", "200"]
SKUS = ["S1", "S2", "S3", "S4"]  # S4 has no Omnitron product


def codes(values):
    return st.one_of(
        st.just("*"), st.lists(st.sampled_from(values), min_size=1, max_size=3, unique=True)
    )


blocks = st.fixed_dictionaries(
    {"providers": codes(PROVIDER_CODES), "locations": codes(LOCATION_CODES)},
    optional={"safety_stock_per_location": st.integers(0, 3)},
)
random_rules = st.fixed_dictionaries(
    {"blocks": st.lists(blocks, min_size=1, max_size=3)},
    optional={
        "global_safety_stock": st.integers(0, 4),
        "subtract_reservations": st.booleans(),
        "min": st.integers(0, 3),
    },
)
place = st.tuples(
    st.sampled_from(SKUS), st.sampled_from(PROVIDER_CODES), st.sampled_from(LOCATION_CODES)
)
operations = st.lists(
    st.one_of(
        st.tuples(
            st.just("stock"),
            place,
            st.integers(-2, 12),
            st.none() | st.integers(0, 6),
            st.booleans(),
        ),
        st.tuples(st.just("reserve"), place, st.integers(1, 4)),
        st.tuples(st.just("release"), place, st.integers(1, 4)),
        st.tuples(st.just("delete"), place),
        st.tuples(st.just("reservations"), st.sampled_from(PROVIDER_CODES), st.booleans()),
        st.tuples(
            st.just("location"),
            st.sampled_from(PROVIDER_CODES),
            st.sampled_from(LOCATION_CODES),
            st.booleans(),
        ),
        st.tuples(st.just("rule"), st.integers(0, 1), random_rules),
        st.tuples(st.just("drain")),
    ),
    max_size=14,
)


def expected_figures(rule: dict, skus) -> dict[str, int]:
    """The rule as docs/whippy-ware.md states it, read straight off the rows."""
    rows = Stock.objects.select_related("location__provider")
    figures = dict.fromkeys(skus, 0)
    totals = dict.fromkeys(skus, 0)
    for stock in rows:
        location, provider = stock.location, stock.location.provider
        if not (stock.is_active and location.is_active and provider.is_active):
            continue
        block = next(
            (
                b
                for b in rule["blocks"]
                if (b["providers"] == "*" or provider.code in b["providers"])
                and (b["locations"] == "*" or location.code in b["locations"])
            ),
            None,
        )
        if block is None:
            continue
        held = (
            stock.reserved_stock
            if rule.get("subtract_reservations", True) and provider.should_add_reservations
            else 0
        )
        totals[stock.sku] += max(0, stock.stock - held - block.get("safety_stock_per_location", 0))
    for sku, total in totals.items():
        figure = max(0, total - rule.get("global_safety_stock", 0))
        figures[sku] = 0 if figure < rule.get("min", 0) else figure
    return figures


def apply(operation) -> None:
    kind, *args = operation
    try:
        if kind == "stock":
            (sku, provider, code), stock, reserved, active = args
            values = {"stock": stock, "is_active": active}
            if reserved is not None:
                values["reserved_stock"] = reserved
            services.stocks_upsert(
                rows=[{"sku": sku, "provider": provider, "location": code, **values}]
            )
        elif kind in ("reserve", "release", "delete"):
            (sku, provider, code), *quantity = args
            stock = Stock.objects.filter(
                sku=sku, location__provider__code=provider, location__code=code
            ).first()
            if stock is None:
                return
            if kind == "delete":
                services.stock_delete(stock=stock)
            else:
                change = services.stock_reserve if kind == "reserve" else services.stock_release
                change(stock_id=stock.pk, quantity=quantity[0])
        elif kind == "reservations":
            provider = Provider.objects.get(code=args[0])
            services.provider_update(provider=provider, data={"should_add_reservations": args[1]})
        elif kind == "location":
            location = StockLocation.objects.get(provider__code=args[0], code=args[1])
            services.stock_location_update(location=location, data={"is_active": args[2]})
        elif kind == "rule":
            from pazar.whippy.models import StockList

            stock_list = StockList.objects.order_by("pk")[args[0]]
            services.stock_list_rule_update(
                stock_list_rule=stock_list.stock_list_rule, data={"rule": args[1]}
            )
        else:
            services.pending_drain()
    except ApplicationError:
        pass  # a reservation or release that does not fit: refused whole


def snapshot(stock_lists) -> list:
    return [
        (
            dict(StockListResult.objects.filter(stock_list=stock_list).values_list("sku", "stock")),
            omnitron_stocks(stock_list.remote),
        )
        for stock_list in stock_lists
    ]


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(first_rule=random_rules, second_rule=random_rules, operations=operations)
def test_incremental_figures_equal_the_rule_and_the_rebuild(
    db, first_rule, second_rule, operations
):
    with transaction.atomic():
        for provider_code in PROVIDER_CODES:
            provider = ProviderFactory(
                code=provider_code, should_add_reservations=provider_code != "p2"
            )
            for code in LOCATION_CODES:
                StockLocationFactory(provider=provider, code=code)
        for sku in SKUS[:3]:
            ProductFactory(seller=None, sku=sku)
        stock_lists = [
            services.stock_list_create(
                name=f"List {index}",
                code=f"list-{index}",
                remote=StockListFactory(),
                stock_list_rule=StockListRuleFactory(rule=rule),
            )
            for index, rule in enumerate([first_rule, second_rule])
        ]

        for operation in operations:
            apply(operation)
        services.pending_drain()
        incremental = snapshot(stock_lists)
        for stock_list in stock_lists:
            services.stock_list_rebuild(stock_list=stock_list)
        rebuilt = snapshot(stock_lists)

        assert not PendingSku.objects.exists()
        assert rebuilt == incremental
        for stock_list, (figures, in_omnitron) in zip(stock_lists, incremental, strict=True):
            stock_list.stock_list_rule.refresh_from_db()
            expected = expected_figures(stock_list.stock_list_rule.rule, figures)
            assert figures == expected
            assert set(figures) >= set(Stock.objects.values_list("sku", flat=True))
            assert in_omnitron == {sku: n for sku, n in expected.items() if sku != "S4"}
        transaction.set_rollback(True)
