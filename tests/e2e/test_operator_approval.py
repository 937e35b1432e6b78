"""An operator works through the approval queue in the browser: reviews a seller's change side
by side and approves it, then rejects a new product with a reason from the list."""

import re

from playwright.sync_api import expect

from pazar.catalog.models import Product, ProductRevision
from tests.e2e.conftest import operator_log_in
from tests.factories import (
    PASSWORD,
    ProductFactory,
    ProductRevisionFactory,
    SellerFactory,
    staff_with_perms,
)


def test_an_operator_approves_a_sellers_change_and_rejects_a_new_product(
    live_server, new_page, shot
):
    # given: a seller's live product with a pending change, and a new product of theirs
    seller = SellerFactory(name="Acme Textiles")
    revision = ProductRevisionFactory(
        product__seller=seller, product__sku="TEE-RED", product__name="Red tee"
    )
    revision.data = {**revision.data, "name": "Organic red tee", "attributes": {"COLOR": "Red"}}
    revision.save()
    ProductFactory(seller=seller, sku="MUG-1", name="Mug")
    staff_with_perms("catalog.view_product", "catalog.change_product", username="reviewer")
    page = new_page()

    # when: the operator opens the queue and reviews the change
    operator_log_in(page, live_server.url, "reviewer", PASSWORD)
    page.get_by_role("link", name=re.compile("Approval queue")).first.click()
    expect(
        page.get_by_role("heading", name=re.compile("Products awaiting approval"))
    ).to_be_visible()
    queue = page.locator("#result_list")
    expect(queue).to_contain_text("TEE-RED")
    expect(queue).to_contain_text("MUG-1")
    expect(queue).to_contain_text("Organic red tee")  # the change, in the list already
    shot(page, "1-approval-queue")

    page.get_by_role("link", name="TEE-RED").click()
    side_by_side = page.locator("#side-by-side")
    changed = side_by_side.locator("tr.is-changed", has_text="Name")
    expect(changed.locator("td.current")).to_have_text("Red tee")
    expect(changed.locator("td.proposed")).to_have_text("Organic red tee")
    shot(page, "2-side-by-side")
    page.get_by_role("button", name="Approve").click()

    # then: the change is live, and the next product in the queue is up for review
    expect(page.get_by_text("Approved 1 product.")).to_be_visible()
    expect(page.locator("#side-by-side")).to_contain_text("Mug")
    shot(page, "3-approved-next-up")
    product = Product.objects.get(sku="TEE-RED")
    assert (product.name, product.approval_status) == ("Organic red tee", "approved")
    assert ProductRevision.objects.get(pk=revision.pk).status == "approved"

    # when: the operator rejects the new product from the list, giving a reason
    page.get_by_role("link", name=re.compile("Back to the approval queue")).click()
    page.locator("#result_list").get_by_role("checkbox").last.check()
    page.locator("select[name=action]").select_option("reject_selected")
    page.get_by_role("button", name="Run").click()
    page.get_by_label("Reason").fill("Photos are missing.")
    shot(page, "4-reject-with-reason")
    page.get_by_role("button", name="Reject").click()

    # then: it is rejected with that reason, and the queue is empty
    expect(page.get_by_text("Rejected 1 product.")).to_be_visible()
    expect(page.locator("#result_list")).to_have_count(0)
    shot(page, "5-queue-empty")
    mug = Product.objects.get(sku="MUG-1")
    assert (mug.approval_status, mug.rejection_reason) == ("rejected", "Photos are missing.")
