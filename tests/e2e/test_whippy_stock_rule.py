"""An operator builds a Whippy Ware stock list rule in the browser (no JSON typed), tries it on a
SKU, binds a stock list to it, and sees the stock it computes per location and in all: at once on
the page, then stored by the worker and written to the Omnitron stock list."""

import re
from urllib.parse import urlsplit

from playwright.sync_api import expect

from pazar.inventory.models import ProductStock
from pazar.whippy import services as whippy
from pazar.whippy.models import StockListResult, StockListRule
from tests.batches.helpers import run_ready_tasks
from tests.e2e.conftest import operator_log_in
from tests.factories import PASSWORD, OperatorFactory, ProductFactory, StockListFactory


def stock_at_three_locations():
    """TEE-1: 10 (2 reserved) and 5 at the central warehouse's 110 and 112, 7 in store S1."""
    central = whippy.provider_create(
        name="Central warehouse", code="central_wh", should_add_reservations=True
    )
    stores = whippy.provider_create(name="Stores", code="stores")
    for provider, code in [(central, "110"), (central, "112"), (stores, "S1")]:
        whippy.stock_location_create(name=f"Location {code}", code=code, provider=provider)
    whippy.stocks_upsert(
        rows=[
            {"sku": "TEE-1", "provider": "central_wh", "location": "110", "stock": 10,
             "reserved_stock": 2},
            {"sku": "TEE-1", "provider": "central_wh", "location": "112", "stock": 5},
            {"sku": "TEE-1", "provider": "stores", "location": "S1", "stock": 7},
        ]
    )  # fmt: skip


def test_an_operator_builds_a_rule_and_sees_the_stock_it_computes(live_server, new_page, shot):
    stock_at_three_locations()
    web = StockListFactory(name="Web", code="web")
    ProductFactory(seller=None, sku="TEE-1", live=True)  # the operator's product of that SKU
    OperatorFactory(username="planner", is_superuser=True)
    page = new_page()
    operator_log_in(page, live_server.url, "planner", PASSWORD)

    # when: the operator builds a rule: the warehouse keeps 1 per location, stores count in full,
    # 2 are held back overall; and tries it on TEE-1
    page.get_by_role("link", name="Build a rule").click()
    page.get_by_label("Name").fill("Web stock")
    page.get_by_label("Global safety stock").fill("2")
    first, second = page.locator("#block-0"), page.locator("#block-1")
    first.get_by_label("central_wh · Central warehouse").check()
    first.get_by_label("Safety stock per location").fill("1")
    second.get_by_label("Use this block").check()
    second.get_by_label("stores · Stores").check()
    page.get_by_label("Preview for SKU").fill("TEE-1")
    page.get_by_role("button", name="Preview").click()

    # then: the preview counts 10-2-1, 5-1 and 7, less 2
    expect(page.locator("#preview-figure")).to_have_text("16")
    shot(page, "1-rule-preview")
    page.get_by_role("button", name="Save the rule").click()
    expect(page.get_by_text("The rule “Web stock” was saved.")).to_be_visible()
    rule = StockListRule.objects.get(name="Web stock")
    # the page stays on the rule just saved, and says no stock list uses it yet
    assert urlsplit(page.url).path == f"/admin/stock-rules/{rule.pk}/build/"
    expect(page.get_by_label("Name")).to_have_value("Web stock")
    expect(page.get_by_text(re.compile("No stock list uses this rule yet"))).to_be_visible()
    shot(page, "2-rule-saved")
    assert rule.rule == {
        "blocks": [
            {"providers": ["central_wh"], "locations": "*", "safety_stock_per_location": 1},
            {"providers": ["stores"], "locations": "*", "safety_stock_per_location": 0},
        ],
        "global_safety_stock": 2,
        "subtract_reservations": True,
        "min": 0,
    }

    # when: a Whippy Ware stock list fills the Omnitron list "Web" with this rule
    page.get_by_role("link", name="Whippy stock lists").click()
    page.get_by_role("link", name=re.compile("Add")).first.click()
    page.get_by_label("Name").fill("Web")
    page.get_by_label("Code").fill("web")
    page.get_by_label("Remote").select_option(label="Web")
    page.get_by_label("Stock list rule").select_option(label="Web stock")
    page.get_by_role("button", name="Save", exact=True).click()

    # then: the stock page shows what each location adds and the figure, before the worker ran
    page.get_by_role("link", name="Stock by location").click()
    page.get_by_label("SKU").fill("TEE-1")
    page.get_by_role("button", name="Show").click()
    matrix = page.locator("#stock-matrix")
    added = {
        code: matrix.locator(f"tr[data-location='{code}'] td[data-list='web']")
        for code in ("110", "112", "S1")
    }
    expect(added["110"]).to_have_text("7")
    expect(added["112"]).to_have_text("4")
    expect(added["S1"]).to_have_text("7")
    # locations by their code and name, not the database's ids ("1:110")
    expect(matrix.locator("tr[data-location='110']")).to_contain_text("110 · Location 110")
    expect(matrix).not_to_contain_text(re.compile(r"\b\d+:110\b"))
    expect(page.locator("#computed-figures td[data-list='web']")).to_have_text("16")
    expect(page.locator("#stored-figures td[data-list='web']")).to_contain_text("recomputing")
    shot(page, "3-stock-by-location-before-the-worker")

    # and once the worker has run, the figure is stored and written to Omnitron's list
    run_ready_tasks("default")
    page.reload()
    expect(page.locator("#stored-figures td[data-list='web']")).to_contain_text("16")
    expect(page.locator("#omnitron-figures td[data-list='web']")).to_contain_text("16")
    shot(page, "4-stock-by-location-stored")
    assert StockListResult.objects.get(sku="TEE-1").stock == 16
    assert ProductStock.objects.get(product__sku="TEE-1", stock_list=web).stock == 16
