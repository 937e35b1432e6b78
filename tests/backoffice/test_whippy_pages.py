"""Whippy Ware's pages in the back office: a SKU's stock by location with what each list's rule
makes of it, and the rule builder (blocks in, Whippy Ware's JSON out, previewed on a SKU)."""

import pytest

from pazar.whippy import services as whippy
from pazar.whippy.models import PendingSku, RuleType, StockListRule
from pazar.whippy.services import pending_drain
from tests.backoffice.conftest import client_for
from tests.factories import OperatorFactory, staff_with_perms

pytestmark = pytest.mark.django_db

STOCK = "/admin/stock-by-location/"
BUILD = "/admin/stock-rules/build/"


@pytest.fixture
def locations():
    """TEE-1 at 110 (10, 2 reserved) and 112 (5) of the central warehouse, 7 in store S1."""
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


def a_list(code: str, rule: dict, rule_type=RuleType.LOCATION_SUM, **kwargs):
    stored = whippy.stock_list_rule_create(name=f"{code} rule", rule_type=rule_type, rule=rule)
    return whippy.stock_list_create(
        name=code, code=code, stock_list_rule=stored, **{"remote": None, **kwargs}
    )


EVERYTHING = {"blocks": [{"providers": "*", "locations": "*"}]}
WAREHOUSE_ONLY = {
    "blocks": [{"providers": ["central_wh"], "locations": "*", "safety_stock_per_location": 1}],
    "global_safety_stock": 2,
}


def block_post(index: int, *, use=True, providers=(), locations=(), safety="0") -> dict:
    data = {f"form-{index}-safety_stock": safety}
    if use:
        data[f"form-{index}-use"] = "on"
    if providers:
        data[f"form-{index}-providers"] = list(providers)
    if locations:
        data[f"form-{index}-locations"] = list(locations)
    return data


def builder_post(*blocks: dict, **fields) -> dict:
    data = {
        "form-TOTAL_FORMS": str(len(blocks)),
        "form-INITIAL_FORMS": "0",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
        "name": "Web stock",
        "is_active": "on",
        "subtract_reservations": "on",
        "global_safety_stock": "0",
        "min": "0",
    }
    for block in blocks:
        data.update(block)
    data.update(fields)
    return data


# --- stock by location ----------------------------------------------------------------------


def test_the_stock_page_shows_what_each_location_adds_to_each_list(superuser_client, locations):
    a_list("all", EVERYTHING)
    a_list("wh", WAREHOUSE_ONLY)
    a_list("sql", {"query": "select 1"}, rule_type=RuleType.SQL)

    response = superuser_client.get(STOCK, {"sku": "TEE-1"})

    found = response.context["found"]
    assert [stock.location.code for stock in found.stocks] == ["110", "112", "S1"]
    figures = {
        item.stock_list.code: (
            [line.counted for line in item.computed.lines],
            item.computed.total,
            item.computed.figure,
        )
        for item in found.lists
    }
    assert figures == {
        "all": ([8, 5, 7], 20, 20),  # the warehouse's reservations are subtracted
        "wh": ([7, 4, None], 11, 9),
    }
    assert [stock_list.code for stock_list in found.other_lists] == ["sql"]
    html = response.content.decode()
    assert 'data-list="wh"><strong>9</strong>' in html


def test_the_stock_page_says_what_the_worker_stored_and_what_it_has_yet_to_do(
    superuser_client, locations
):
    a_list("all", EVERYTHING)

    before = superuser_client.get(STOCK, {"sku": "TEE-1"}).context["found"].lists[0]
    pending_drain()
    after = superuser_client.get(STOCK, {"sku": "TEE-1"}).context["found"].lists[0]

    assert (before.pending, before.stored) == (True, None)
    assert (after.pending, after.stored.stock) == (False, 20)
    assert not PendingSku.objects.exists()


def test_an_unknown_sku_is_said_to_be_nowhere(superuser_client, locations):
    response = superuser_client.get(STOCK, {"sku": "NOPE"})

    assert response.status_code == 200
    assert "No location holds this SKU." in response.content.decode()


def test_the_stock_page_needs_the_view_stock_permission(locations):
    assert client_for(OperatorFactory()).get(STOCK, {"sku": "TEE-1"}).status_code == 403
    reader = client_for(staff_with_perms("whippy.view_stock"))
    assert reader.get(STOCK, {"sku": "TEE-1"}).status_code == 200


# --- the rule builder -----------------------------------------------------------------------


def test_a_preview_computes_the_sku_without_saving_anything(superuser_client, locations):
    response = superuser_client.post(
        BUILD,
        builder_post(
            block_post(0, providers=["central_wh"], safety="1"),
            block_post(1, providers=["stores"]),
            block_post(2, use=False, providers=["stores"], safety="9"),  # a spare, unused
            global_safety_stock="2",
            sku="TEE-1",
            preview="1",
        ),
    )

    assert response.status_code == 200
    preview = response.context["preview"]
    assert [line.counted for line in preview.lines] == [7, 4, 7]
    assert preview.figure == 16
    assert '"safety_stock_per_location": 1' in response.context["rule_json"]
    assert not StockListRule.objects.exists()


def test_saving_writes_whippy_wares_json_and_stays_on_the_new_rule(superuser_client, locations):
    response = superuser_client.post(
        BUILD,
        builder_post(
            block_post(0, providers=["central_wh"], locations=["110"], safety="1"),
            block_post(1),
            min="3",
            sku="TEE-1",
            save="1",
        ),
    )

    assert response.status_code == 302
    rule = StockListRule.objects.get()
    # the rule just saved, not another rule's lists; and it says no stock list uses it yet
    assert response.url == f"/admin/stock-rules/{rule.pk}/build/?sku=TEE-1"
    shown = [str(m) for m in superuser_client.get(response.url).context["messages"]]
    assert any("No stock list uses this rule yet" in message for message in shown)
    assert (rule.name, rule.rule_type, rule.is_active) == ("Web stock", "location_sum", True)
    assert rule.rule == {
        "blocks": [
            {"providers": ["central_wh"], "locations": ["110"], "safety_stock_per_location": 1},
            {"providers": "*", "locations": "*", "safety_stock_per_location": 0},
        ],
        "global_safety_stock": 0,
        "subtract_reservations": True,
        "min": 3,
    }


def test_editing_a_rule_starts_from_its_blocks_and_recomputes_its_lists(
    superuser_client, locations
):
    stock_list = a_list("wh", WAREHOUSE_ONLY)
    pending_drain()
    rule = stock_list.stock_list_rule
    url = f"/admin/stock-rules/{rule.pk}/build/"

    page = superuser_client.get(url)
    saved = superuser_client.post(
        url, builder_post(block_post(0, providers=["central_wh"], safety="0"), save="1")
    )

    blocks = [form.initial for form in page.context["formset"]]
    assert blocks[0] == {
        "use": True,
        "providers": ["central_wh"],
        "locations": [],
        "safety_stock": 1,
    }
    assert [block["use"] for block in blocks] == [True, False, False]  # two spares
    assert page.context["form"].initial["global_safety_stock"] == 2
    assert saved.status_code == 302
    rule.refresh_from_db()
    assert rule.rule["blocks"][0]["safety_stock_per_location"] == 0
    assert PendingSku.objects.filter(stock_list=stock_list, sku="TEE-1").exists()


def test_a_rule_without_any_block_is_refused(superuser_client, locations):
    response = superuser_client.post(BUILD, builder_post(block_post(0, use=False), save="1"))

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "blocks: expected a non-empty list of blocks."
    ]
    assert not StockListRule.objects.exists()


def test_sql_rules_are_not_built_here(superuser_client):
    rule = whippy.stock_list_rule_create(name="q", rule_type=RuleType.SQL, rule={"q": 1})

    assert superuser_client.get(f"/admin/stock-rules/{rule.pk}/build/").status_code == 404


def test_building_needs_the_add_and_editing_the_change_permission(locations):
    rule = whippy.stock_list_rule_create(name="r", rule_type=RuleType.LOCATION_SUM, rule=EVERYTHING)
    adder = client_for(staff_with_perms("whippy.add_stocklistrule"))

    assert client_for(OperatorFactory()).get(BUILD).status_code == 403
    assert adder.get(BUILD).status_code == 200
    assert adder.get(f"/admin/stock-rules/{rule.pk}/build/").status_code == 403


def test_a_location_sum_rule_opens_in_the_builder_from_the_admin(superuser_client):
    from pazar.whippy.models import RuleType, StockListRule

    rule = StockListRule.objects.create(
        name="Sum", rule_type=RuleType.LOCATION_SUM, rule={"blocks": []}
    )
    builder = f"/admin/stock-rules/{rule.pk}/build/"

    listed = superuser_client.get("/admin/whippy/stocklistrule/")
    page = superuser_client.get(f"/admin/whippy/stocklistrule/{rule.pk}/change/")

    assert f'href="{builder}"' in listed.content.decode()
    assert f'href="{builder}"' in page.content.decode()


def test_no_link_leads_to_the_api_hosts_root(superuser_client):
    html = superuser_client.get("/admin/").content.decode()

    assert 'href="/"' not in html


def test_the_omnitron_figure_is_read_from_the_product_the_worker_writes_to(
    superuser_client, locations
):
    from tests.factories import ProductFactory, StockListFactory

    # a seller's product: the one product with that SKU, so the worker fills its stock
    ProductFactory(sku="TEE-1", live=True)
    a_list("all", EVERYTHING, remote=StockListFactory(name="Web"))
    pending_drain()

    found = superuser_client.get(STOCK, {"sku": "TEE-1"}).context["found"].lists[0]

    assert (found.stored.stock, found.omnitron) == (20, 20)


def test_the_sidebar_search_finds_a_product_by_sku(superuser_client):
    from tests.factories import ProductFactory

    ProductFactory(sku="FIND-ME-42", name="Findable")

    found = superuser_client.get("/admin/search/", {"s": "find-me-42", "extended": "1"})

    assert found.status_code == 200
    assert "FIND-ME-42" in found.content.decode()


def test_the_list_search_box_and_its_button_have_labels(superuser_client):
    html = superuser_client.get("/admin/catalog/product/").content.decode()

    assert '<label for="searchbar"' in html
    assert 'id="searchbar-submit" aria-label="Search"' in html
