"""axe-core (the `axe-playwright-python` package's copy) over the main pages of both panels, at
1440 px and at 390 px: no serious or critical violation of WCAG 2.1 A and AA, which covers the
contrast of text and badges, and a name for every control, link and image.

Each page is also saved as a screenshot in tests/e2e/screenshots/test_accessibility/ (the
"main pages" of the back office, refreshed on every run)."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.backoffice.factories import BatchRequestFactory, error_row
from tests.batches.helpers import build_catalog, run_ready_tasks
from tests.e2e.conftest import operator_log_in, seller_sign_in
from tests.factories import (
    PASSWORD,
    OperatorFactory,
    ProductFactory,
    ProductRevisionFactory,
    SellerMembershipFactory,
    UserFactory,
)

WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
SERIOUS = {"serious", "critical"}


def serious_violations(page) -> list[str]:
    """What axe finds serious on the page: rule, impact, and the first few elements it names."""
    results = Axe().run(
        page, options={"runOnly": {"type": "tag", "values": WCAG}, "resultTypes": ["violations"]}
    )
    found = []
    for violation in results.response["violations"]:
        if violation["impact"] in SERIOUS:
            targets = [" ".join(map(str, node["target"])) for node in violation["nodes"][:3]]
            found.append(f"{violation['id']} ({violation['impact']}): {targets}")
    return found


@pytest.fixture
def back_office(transactional_db):
    """A marketplace with something on every main page: a product change waiting for review,
    batches (one with failed rows), a seller's uploaded file with a failed row."""
    OperatorFactory(username="ops", is_superuser=True)
    membership = SellerMembershipFactory(
        user=UserFactory(email="seller@acme.example"), seller__name="Acme", is_admin=True
    )
    build_catalog(membership.seller)
    revision = ProductRevisionFactory(product__seller=membership.seller, product__sku="TEE-RED")
    revision.data = {**revision.data, "name": "Organic red tee"}
    revision.save()
    ProductFactory(seller=membership.seller, sku="MUG-1", name="Mug")
    batch = BatchRequestFactory(
        seller=membership.seller,
        completed=True,
        total=3,
        succeeded=1,
        failed=2,
        error_rows=[
            error_row(0, "A", {"prices": {"0": {"currency_type": ["Bad."]}}}),
            error_row(1, "B", {"sku": ["Unknown."]}),
        ],
    )
    return {"revision": revision, "batch": batch, "seller": membership.seller}


def upload_a_file(page, base: str) -> None:
    page.goto(f"{base}/seller-center/panel/uploads/")
    page.get_by_label("Stocks", exact=True).check()
    page.get_by_label("File", exact=True).set_input_files(
        files=[
            {
                "name": "stocks.csv",
                "mimeType": "text/csv",
                "buffer": b"sku,stock_list,stock\nMUG-1,main,3\nNOPE,main,1\n",
            }
        ]
    )
    page.get_by_role("button", name="Upload", exact=True).click()
    page.wait_for_url("**/seller-center/panel/uploads/*-*/")
    run_ready_tasks("default")
    page.reload()
    expect(page.locator("#upload-status")).to_have_attribute("data-state", "completed_with_errors")


@pytest.mark.parametrize("width", [1440, 390])
def test_the_main_pages_have_no_serious_accessibility_violation(
    live_server, browser, back_office, shot, width
):
    base = live_server.url
    found = {}
    context = browser.new_context(viewport={"width": width, "height": 900})
    context.set_default_timeout(20_000)
    page = context.new_page()

    def check(name: str, url: str | None = None) -> None:
        if url:
            page.goto(f"{base}{url}")
        page.wait_for_load_state("networkidle")
        if problems := serious_violations(page):
            found[name] = problems
        shot(page, f"{name}-{width}")

    try:
        check("admin-login", "/admin/login/")
        operator_log_in(page, base, "ops", PASSWORD)
        check("admin-home")
        check("admin-dashboard", "/admin/dashboard/")
        check("admin-approval-queue", "/admin/backoffice/pendingproduct/")
        product = back_office["revision"].product
        check("admin-review", f"/admin/backoffice/pendingproduct/{product.pk}/change/")
        check("admin-products", "/admin/catalog/product/")
        check("admin-batches", "/admin/batches/batchrequest/")
        check("admin-batch", f"/admin/batches/batchrequest/{back_office['batch'].pk}/change/")
        check("admin-stock-by-location", "/admin/stock-by-location/")
        check("admin-rule-builder", "/admin/stock-rules/build/")

        seller = context.new_page()
        page.close()
        page = seller
        check("panel-sign-in", "/seller-center/panel/sign-in/")
        seller_sign_in(page, base, "seller@acme.example", PASSWORD)
        check("panel-products")
        check("panel-product", f"/seller-center/panel/products/{product.uuid}/")
        check("panel-batches", "/seller-center/panel/batch-requests/")
        check("panel-batch", f"/seller-center/panel/batch-requests/{back_office['batch'].pk}/")
        check("panel-tokens", "/seller-center/panel/access-tokens/")
        check("panel-uploads", "/seller-center/panel/uploads/")
        upload_a_file(page, base)
        check("panel-upload")
    finally:
        context.close()

    assert found == {}, "\n".join(f"{name}: {problems}" for name, problems in found.items())
