"""The approval queue's review and a seller's batch page at 1440 px and at 390 px: nothing of
the side-by-side diff or of the failed rows is clipped, and the states read as they are."""

import pytest
from playwright.sync_api import expect

from tests.backoffice.factories import BatchRequestFactory, error_row
from tests.e2e.conftest import operator_log_in, seller_sign_in
from tests.factories import (
    PASSWORD,
    OperatorFactory,
    ProductRevisionFactory,
    SellerMembershipFactory,
    UserFactory,
)

WIDTHS = [1440, 390]

NOT_CLIPPED = """(selector) => {
    const element = document.querySelector(selector);
    const box = element.getBoundingClientRect();
    return box.right <= document.documentElement.clientWidth + 1
        && element.scrollWidth <= element.clientWidth + 1;
}"""


PAGE_FITS = (
    """() => document.documentElement.scrollWidth <= document.documentElement.clientWidth + 1"""
)


@pytest.mark.parametrize("width", WIDTHS)
def test_the_approval_queue_lists_each_change_at_every_width(live_server, browser, shot, width):
    OperatorFactory(username="ops", is_superuser=True)
    revision = ProductRevisionFactory(product__sku="TEE-RED", product__name="Red tee")
    revision.data = {**revision.data, "name": "Organic red tee"}
    revision.save()
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    try:
        operator_log_in(page, live_server.url, "ops", PASSWORD)
        page.goto(f"{live_server.url}/admin/backoffice/pendingproduct/")
        row = page.locator("#result_list tbody tr", has_text="TEE-RED")
        expect(row).to_contain_text("Organic red tee")  # the change, in the list
        # the page does not run off the window; a wide table scrolls inside its own box
        assert page.evaluate(PAGE_FITS)
        shot(page, f"queue-{width}")
        row.get_by_role("link", name="TEE-RED").click()
        expect(page.locator("#side-by-side")).to_be_visible()
    finally:
        context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_the_review_page_shows_the_whole_diff(live_server, browser, shot, width):
    OperatorFactory(username="ops", is_superuser=True)
    revision = ProductRevisionFactory(product__sku="TEE-RED", product__name="Red tee")
    revision.data = {**revision.data, "name": "Organic red tee with a rather long new name"}
    revision.save()
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    try:
        operator_log_in(page, live_server.url, "ops", PASSWORD)
        page.goto(
            f"{live_server.url}/admin/backoffice/pendingproduct/{revision.product.pk}/change/"
        )
        expect(page.locator("#side-by-side")).to_contain_text("Organic red tee")
        assert page.evaluate(NOT_CLIPPED, "#side-by-side")
        shot(page, f"review-{width}")
    finally:
        context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_a_batch_whose_rows_all_failed_reads_so_at_every_width(live_server, browser, shot, width):
    membership = SellerMembershipFactory(user=UserFactory(email="ops@acme.example"))
    rows = [
        error_row(i, f"S-{i}", {"prices": {"0": {"currency_type": ["Bad."]}}}) for i in range(60)
    ]
    batch = BatchRequestFactory(
        seller=membership.seller, completed=True, total=60, succeeded=0, failed=60, error_rows=rows
    )
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    try:
        seller_sign_in(page, live_server.url, "ops@acme.example", PASSWORD)
        page.goto(f"{live_server.url}/seller-center/panel/batch-requests/{batch.pk}/")
        progress = page.locator(f"#batch-progress-{batch.pk}")
        expect(progress).to_have_attribute("data-state", "all_failed")
        expect(progress).to_contain_text("All rows failed")
        expect(progress).to_contain_text("100.0% of the rows failed")
        groups = page.locator("#error-groups tbody tr")
        expect(groups).to_have_count(1)
        expect(groups.first).to_contain_text("60")
        expect(groups.first).to_contain_text("Price 1 › Currency")
        assert page.evaluate(NOT_CLIPPED, "#batch-status")
        shot(page, f"batch-all-failed-{width}")
    finally:
        context.close()
