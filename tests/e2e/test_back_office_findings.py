"""The back office's findings of issue 17, each shown fixed in Chromium (docs/backoffice.md maps
every numbered finding to its browser test; the ones not here are in the other modules of
tests/e2e/)."""

import re
from datetime import timedelta
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from pazar.catalog.models import Product, ProductRevision
from pazar.whippy.models import RuleType, StockListRule
from tests.backoffice.factories import BatchRequestFactory, error_row
from tests.e2e.conftest import operator_log_in, seller_sign_in
from tests.factories import (
    PASSWORD,
    AttributeFactory,
    OperatorFactory,
    ProductFactory,
    ProductRevisionFactory,
    ProductStockFactory,
    SellerFactory,
    SellerMembershipFactory,
    StockListFactory,
    UserFactory,
)

QUEUE = "/admin/backoffice/pendingproduct/"
MONTH_NAMED_DATE = r"\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.? \d{1,2}, \d{4}"


@pytest.fixture
def operator(transactional_db):
    return OperatorFactory(username="ops", is_superuser=True)


@pytest.fixture
def admin_page(live_server, new_page, operator):
    page = new_page()
    operator_log_in(page, live_server.url, "ops", PASSWORD)
    return page


def review_url(product) -> str:
    return f"{QUEUE}{product.pk}/change/"


# 1 ------------------------------------------------------------------------------------------


def test_1_the_login_boxes_are_drawn_and_signing_in_lands_on_the_admin(
    live_server, new_page, operator, shot
):
    page = new_page()
    page.goto(f"{live_server.url}/admin/login/")  # no `next`
    for box in ("#id_username", "#id_password"):
        border = page.eval_on_selector(
            box,
            """(el) => { const s = getComputedStyle(el);
                return {width: parseFloat(s.borderTopWidth), color: s.borderTopColor,
                        background: getComputedStyle(el.parentElement).backgroundColor}; }""",
        )
        # a visible border before the box is clicked: a width, and a colour unlike the form's
        assert border["width"] >= 1, (box, border)
        assert border["color"] not in ("rgba(0, 0, 0, 0)", border["background"]), (box, border)
    shot(page, "1-login")
    page.get_by_label("Username").fill("ops")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()
    assert urlsplit(page.url).path == "/admin/"
    expect(page.get_by_role("link", name=re.compile("Approval queue")).first).to_be_visible()


# 2 ------------------------------------------------------------------------------------------


def test_2_a_batch_whose_rows_all_failed_is_not_a_green_completed_in_the_admin(
    live_server, admin_page, shot
):
    rows = [error_row(i, f"S-{i}", {"sku": ["Unknown."]}) for i in range(60)]
    batch = BatchRequestFactory(completed=True, total=60, succeeded=0, failed=60, error_rows=rows)
    page = admin_page
    page.goto(f"{live_server.url}/admin/batches/batchrequest/")
    progress = page.locator(f"#batch-progress-{batch.pk}")
    expect(progress).to_have_attribute("data-state", "all_failed")
    expect(progress).to_contain_text("All rows failed")
    expect(progress).to_contain_text("100.0% of the rows failed")
    expect(progress).not_to_contain_text(re.compile(r"^\s*Completed\b"))
    shot(page, "2-batches-all-failed")

    # the dashboard counts it among the failed, not the completed
    page.goto(f"{live_server.url}/admin/dashboard/")
    table = page.locator("#batches-per-hour table")
    header = [text.strip() for text in table.locator("tr").first.locator("th").all_inner_texts()]
    totals = [0] * len(header)
    for row in table.locator("tr").all()[1:]:
        for n, cell in enumerate(row.locator("td").all_inner_texts(), start=1):
            totals[n] += int(cell)
    by_series = dict(zip(header, totals, strict=True))
    assert by_series["Completed"] == 0
    assert by_series["Failed or all rows failed"] == 1


# 3 ------------------------------------------------------------------------------------------


def test_3_stock_outs_are_drawn_as_their_share_of_approved_products(live_server, admin_page, shot):
    main = StockListFactory(name="Main")
    ProductStockFactory(stock_list=main, stock=Decimal(0), product__live=True)
    for _ in range(19):
        ProductStockFactory(stock_list=main, stock=Decimal(4), product__live=True)
    for _ in range(5):  # never approved: not for sale, so not counted
        ProductStockFactory(stock_list=main, stock=Decimal(0))
    page = admin_page
    page.goto(f"{live_server.url}/admin/dashboard/")
    row = page.locator("#stock-outs li", has_text="Main")
    expect(row).to_contain_text("1 of 20 (5%)")
    bar = row.locator(".po-row-bar").bounding_box()
    track = row.locator(".po-row-track").bounding_box()
    assert bar["width"] / track["width"] == pytest.approx(0.05, abs=0.01)
    shot(page, "3-stock-outs")


# 4 ------------------------------------------------------------------------------------------


def test_4_being_live_and_the_last_review_are_two_things_in_both_panels(
    live_server, new_page, admin_page, shot
):
    membership = SellerMembershipFactory(user=UserFactory(email="ops@acme.example"))
    seller = membership.seller
    ProductFactory(seller=seller, sku="LIVE-NO", live=True, approval_status="rejected")
    ProductFactory(seller=seller, sku="LIVE-1", live=True)
    ProductFactory(seller=seller, sku="NO-1", approval_status="rejected")

    panel = new_page()
    seller_sign_in(panel, live_server.url, "ops@acme.example", PASSWORD)
    panel.goto(f"{live_server.url}/seller-center/panel/products/?review=rejected")
    rows = panel.locator("#products tbody tr")
    expect(rows).to_have_count(2)
    live_no = panel.locator("tr[data-sku='LIVE-NO']")
    expect(live_no).to_contain_text("Live")  # in the catalog
    expect(live_no).to_contain_text("Rejected")  # its last change
    expect(panel.locator("tr[data-sku='NO-1']")).to_contain_text("Not live")
    shot(panel, "4-panel-rejected-changes")
    panel.goto(f"{live_server.url}/seller-center/panel/products/?live=yes")
    expect(rows).to_have_count(2)  # every live product, whatever its last review
    expect(panel.locator("tr[data-sku='LIVE-NO']")).to_be_visible()

    admin_page.goto(f"{live_server.url}/admin/catalog/product/?q=LIVE-NO")
    table = admin_page.locator("#result_list")
    headers = [h.strip().lower() for h in table.locator("thead th").all_inner_texts()]
    assert "in the catalog" in headers and "last change" in headers
    expect(table.locator("tbody tr")).to_have_count(1)
    expect(table.locator("tbody tr")).to_contain_text("Rejected")
    expect(table).not_to_contain_text("Approved")
    shot(admin_page, "4-admin-products")


# 5 ------------------------------------------------------------------------------------------


def test_5_the_queue_and_next_go_longest_waiting_first_and_keep_the_filter(
    live_server, admin_page, shot
):
    now = timezone.now()
    changes = {}
    for sku, days in (("CHANGE-OLD", 3), ("CHANGE-NEW", 1)):
        changes[sku] = ProductRevisionFactory(product__sku=sku)
        ProductRevision.objects.filter(pk=changes[sku].pk).update(
            created_at=now - timedelta(days=days)
        )
    new_product = ProductFactory(sku="NEW-1")
    Product.objects.filter(pk=new_product.pk).update(created_at=now - timedelta(days=2))
    page = admin_page

    page.goto(f"{live_server.url}{QUEUE}")
    skus = page.locator("#result_list tbody tr th a, #result_list tbody tr td a").all_inner_texts()
    listed = [sku for sku in skus if sku in ("CHANGE-OLD", "NEW-1", "CHANGE-NEW")]
    assert listed == ["CHANGE-OLD", "NEW-1", "CHANGE-NEW"]

    page.goto(f"{live_server.url}{QUEUE}?request=change")
    expect(page.locator("#result_list")).not_to_contain_text("NEW-1")
    page.get_by_role("link", name="CHANGE-OLD").click()
    page.get_by_role("button", name="Approve").click()
    expect(page.get_by_text("Approved 1 product.")).to_be_visible()
    # the next change (not the new product that waits longer), still under the filter
    url = urlsplit(page.url)
    assert url.path == review_url(changes["CHANGE-NEW"].product)
    assert parse_qs(url.query)["_changelist_filters"] == ["request=change"]
    shot(page, "5-next-in-the-filter")
    page.get_by_role("button", name="Approve").click()
    url = urlsplit(page.url)
    assert (url.path, url.query) == (QUEUE, "request=change")


# 6 ------------------------------------------------------------------------------------------


def test_6_no_raw_json_in_front_of_people(live_server, admin_page, shot):
    page = admin_page
    # no "View site" to the API host's root
    assert page.locator("a[href='/']").count() == 0
    for path in ("/admin/", "/admin/catalog/product/", "/admin/dashboard/"):
        page.goto(f"{live_server.url}{path}")
        assert page.locator("a[href='/']").count() == 0, path

    # a batch's files download instead of opening as JSON text
    batch = BatchRequestFactory(completed=True, error_rows=[error_row(0, "A", {"sku": ["x"]})])
    page.goto(f"{live_server.url}/admin/batches/batchrequest/{batch.pk}/change/")
    with page.expect_download() as download:
        page.locator("a[data-file=error]").click()
    assert download.value.suggested_filename.endswith(".json")
    assert urlsplit(page.url).path == f"/admin/batches/batchrequest/{batch.pk}/change/"

    # a location-sum rule opens in the builder, not as a JSON box
    rule = StockListRule.objects.create(
        name="Web", rule_type=RuleType.LOCATION_SUM, rule={"blocks": []}
    )
    page.goto(f"{live_server.url}/admin/whippy/stocklistrule/{rule.pk}/change/")
    page.locator("#rule-builder-link").get_by_role("link", name="Open in the builder").click()
    assert urlsplit(page.url).path == f"/admin/stock-rules/{rule.pk}/build/"
    expect(page.get_by_label("Name")).to_have_value("Web")
    shot(page, "6-rule-in-the-builder")


# 7 ------------------------------------------------------------------------------------------


def test_7_error_rows_are_written_for_people(live_server, admin_page, shot):
    AttributeFactory(key="COLOR", name="Colour")
    bad_color = {"attributes": {"COLOR": ['"Purple" is not a valid choice.']}}
    closed = {
        **error_row(60, "S-60", {"prices": {"0": {"price_list": ['Object with id="x" does not exist.']}}}),
        "codes": {"prices": {"0": {"price_list": ["price_list_not_open"]}}},
    }  # fmt: skip
    rows = [error_row(i, f"S-{i}", bad_color) for i in range(60)] + [closed]
    batch = BatchRequestFactory(completed=True, total=61, succeeded=0, failed=61, error_rows=rows)
    page = admin_page
    page.goto(f"{live_server.url}/admin/batches/batchrequest/{batch.pk}/change/")
    groups = page.locator("#error-groups tbody tr")
    expect(groups).to_have_count(2)  # 60 identical errors counted once
    first, second = groups.first.locator("td"), groups.nth(1).locator("td")
    expect(first).to_contain_text(["60", "Colour", '"Purple" is not a valid choice.', "1"])
    expect(second).to_contain_text(
        [
            "1",
            "Price 1 › Price list",
            "You may not use this price list: it does not exist or is not open to you.",
            "61",
        ]
    )
    table = page.locator("#error-rows-table")
    expect(table.locator("tbody tr").first.locator("td").first).to_have_text("1")  # from 1
    for developer_words in ("prices.0", "attributes.COLOR", "does not exist."):
        expect(page.locator("#error-groups")).not_to_contain_text(developer_words)
    shot(page, "7-error-rows")


# 8 ------------------------------------------------------------------------------------------


def test_8_the_batch_pages_speak_turkish(live_server, browser, operator, shot):
    batch = BatchRequestFactory(
        completed=True, total=10, succeeded=0, failed=10,
        error_rows=[error_row(i, f"S-{i}", {"sku": ["x"]}) for i in range(10)],
    )  # fmt: skip
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="tr-TR")
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/admin/login/")
        page.locator("#id_username").fill("ops")
        page.locator("#id_password").fill(PASSWORD)
        page.locator("button[type=submit]").click()
        page.wait_for_url(f"{live_server.url}/admin/")
        page.goto(f"{live_server.url}/admin/batches/batchrequest/")
        expect(page.locator("h1, #content").first).to_contain_text("Toplu istek")
        expect(page.locator(f"#batch-progress-{batch.pk}")).to_contain_text(
            "Tüm satırlar başarısız"
        )
        page.goto(f"{live_server.url}/admin/batches/batchrequest/{batch.pk}/change/")
        breadcrumbs = page.locator("#header-inner, nav").first.inner_text()
        body = page.locator("body").inner_text()
        for english in ("Batch request", "batch request", "Completed", "completed", "Delete"):
            assert english not in body, english
        assert "Toplu istek" in breadcrumbs or "Toplu istek" in body
        assert "Sil batch" not in body
        shot(page, "8-batch-in-turkish")
    finally:
        context.close()


# 9 ------------------------------------------------------------------------------------------


def test_9_the_queue_and_review_read_as_sentences(live_server, admin_page, shot):
    AttributeFactory(key="COLOR", name="Colour")
    revision = ProductRevisionFactory(product__sku="TEE-RED", product__name="Red tee")
    revision.data = {**revision.data, "attributes": {"COLOR": "Red"}}
    revision.save()
    page = admin_page
    page.goto(f"{live_server.url}{QUEUE}")
    body = page.locator("body").inner_text()
    assert not re.search(r"\d+ approval queue", body, re.IGNORECASE)
    assert "Select product awaiting approval to change" not in body
    headers = page.locator("#result_list thead th").all_inner_texts()
    assert "SKU" in [h.strip() for h in headers] and "Sku" not in [h.strip() for h in headers]
    page.get_by_role("link", name="TEE-RED").click()
    expect(page).to_have_title(re.compile("^Review TEE-RED"))
    side = page.locator("#side-by-side")
    expect(side).to_contain_text("Colour")  # the attribute's name, not its key
    expect(side).not_to_contain_text("COLOR")
    shot(page, "9-review")
    # one date format: the theme's dates (and Django's "Dec. 5, 2026") all read 2026-12-05
    BatchRequestFactory(completed=True)
    for url in (QUEUE, "/admin/batches/batchrequest/", "/admin/catalog/product/"):
        page.goto(f"{live_server.url}{url}")
        body = page.locator("#content").inner_text()
        assert re.search(r"\b\d{4}-\d{2}-\d{2}\b", body), url
        assert not re.search(MONTH_NAMED_DATE, body), url


# 10 -----------------------------------------------------------------------------------------
# in test_whippy_stock_rule.py


# 11 -----------------------------------------------------------------------------------------


def test_11_a_batch_page_shows_what_people_follow_not_the_workers_internals(
    live_server, admin_page, shot
):
    batch = BatchRequestFactory(
        completed=True, error_rows=[error_row(0, "A", {"sku": ["x"]})], leased_by="worker-7:123"
    )
    page = admin_page
    page.goto(f"{live_server.url}/admin/batches/batchrequest/{batch.pk}/change/")
    body = page.locator("body").inner_text()
    for internal in ("worker-7:123", "Leased", "lease", batch.error_file, batch.request_file):
        assert internal not in body, internal
    expect(page.get_by_role("link", name=re.compile("Delete"))).to_have_count(0)
    expect(page.get_by_role("button", name=re.compile("Delete"))).to_have_count(0)
    shot(page, "11-batch")


# 13 -----------------------------------------------------------------------------------------


def test_13_icons_are_silent_and_the_search_box_has_a_name(live_server, admin_page, shot):
    page = admin_page
    page.goto(f"{live_server.url}/admin/catalog/product/")
    page.wait_for_load_state("networkidle")
    spoken = page.locator(
        ".material-symbols-outlined:not([aria-hidden=true]), "
        ".material-symbols-rounded:not([aria-hidden=true])"
    )
    assert page.locator(".material-symbols-outlined").count() > 0
    expect(spoken).to_have_count(0)
    expect(page.locator("#searchbar")).to_have_accessible_name("Search")
    expect(page.locator("#searchbar-submit")).to_have_accessible_name("Search")
    # the names of icons are not read as text in the page's accessibility tree
    snapshot = page.locator("body").aria_snapshot()
    for icon_name in ("chevron_right", "manage_search", "expand_more"):
        assert icon_name not in snapshot, icon_name


# 14 -----------------------------------------------------------------------------------------


def test_14_the_sidebar_search_finds_a_product_by_sku(live_server, admin_page, shot):
    ProductFactory(sku="FIND-ME-42", name="Findable tee", seller=SellerFactory(name="Acme"))
    page = admin_page
    page.get_by_text("Search apps and models...").first.click()
    box = page.locator("#search-input-command")
    expect(box).to_have_accessible_name("Search")
    box.press_sequentially("find-me-42")
    results = page.locator("#command-results")
    expect(results).to_contain_text("FIND-ME-42", timeout=10_000)
    shot(page, "14-sidebar-search")


# 16 -----------------------------------------------------------------------------------------


def test_16_the_seller_center_api_docs_describe_the_product_operations(live_server, new_page, shot):
    page = new_page()
    page.goto(f"{live_server.url}/seller-center/api/docs/")
    descriptions = []
    for code in ("PRD101", "PRD104", "PRD105", "PRD106"):
        block = page.locator(f".opblock:has(a[href*='/{code}_'])")
        expect(block).to_have_count(1, timeout=20_000)
        # a summary on the closed operation
        assert block.locator(".opblock-summary-description").inner_text().strip(), code
        block.locator(".opblock-summary-control").click()
        body = block.locator(".opblock-description-wrapper").first
        expect(body).to_be_visible()
        descriptions.append(body.inner_text().strip())
        # and a request example to start from
        expect(block.locator(".opblock-section-request-body")).to_contain_text('"sku"')
    assert len(set(descriptions)) == 4  # each its own description
    shot(page, "16-api-docs")
