"""A seller sends 1000 products through the API, watches the batch finish in the panel (the page
follows it without being reloaded) and reads the rows that failed, page by page."""

import threading

import requests
from django.db import connection
from playwright.sync_api import expect

from pazar.batches.models import BatchRequest
from tests.batches.helpers import PRODUCTS, build_catalog, product_row, run_ready_tasks
from tests.e2e.conftest import seller_sign_in
from tests.factories import PASSWORD, SellerMembershipFactory, UserFactory, seller_token

ROWS = 1000
BAD_EVERY = 16  # rows 0, 16, 32, … name a color the category does not offer: 63 rows


def run_worker_in_background() -> threading.Thread:
    """A worker applying the queued batch while the seller watches, as `pazar worker` would."""

    def work():
        try:
            run_ready_tasks("default")
        finally:
            connection.close()

    worker = threading.Thread(target=work, daemon=True)
    worker.start()
    return worker


def test_a_seller_watches_a_1000_row_batch_finish_and_reads_its_error_rows(
    live_server, new_page, shot
):
    # given: a seller whose integration has just sent 1000 products, a few of them invalid
    membership = SellerMembershipFactory(user=UserFactory(email="ops@acme.example"))
    catalog = build_catalog(membership.seller)
    _, key = seller_token(membership)
    rows = [
        product_row(catalog, f"TEE-{n:04d}", color="Purple" if n % BAD_EVERY == 0 else "Red")
        for n in range(ROWS)
    ]
    sent = requests.post(
        f"{live_server.url}{PRODUCTS}",
        json=rows,
        headers={"Authorization": f"Token {key}"},
        timeout=60,
    )
    assert sent.status_code == 202, sent.text
    batch_id = sent.json()["batch_request_id"]

    # when: the seller opens the batch in the panel while it waits for a worker
    page = new_page()
    seller_sign_in(page, live_server.url, "ops@acme.example", PASSWORD)
    page.get_by_role("link", name="Batch requests").click()
    row = page.locator(f"tr[data-batch='{batch_id}']")
    expect(row).to_contain_text("Waiting")
    expect(row).to_contain_text("1000")
    shot(page, "1-batch-waiting")
    row.get_by_role("link").first.click()
    progress = page.locator(f"#batch-progress-{batch_id}")
    expect(progress).to_have_attribute("data-status", "waiting")

    # and a worker applies it
    worker = run_worker_in_background()

    # then: the page follows the batch to its end by itself, and then shows the outcome
    expect(page.locator(f"#batch-progress-{batch_id}")).to_have_attribute(
        "data-status", "completed", timeout=120_000
    )
    worker.join(timeout=120)
    expect(page.locator("#succeeded")).to_have_text(str(ROWS - 63), timeout=10_000)
    expect(page.locator("#failed")).to_have_text("63")
    expect(page.locator(f"#batch-progress-{batch_id}")).to_contain_text(
        "937 succeeded, 63 failed of 1000"
    )
    # not a green "Completed": completed with errors, and the failed-row rate
    expect(page.locator(f"#batch-progress-{batch_id}")).to_have_attribute(
        "data-state", "completed_with_errors"
    )
    expect(page.locator(f"#batch-progress-{batch_id}")).to_contain_text("6.3% of the rows failed")
    shot(page, "2-batch-completed")

    # and the rows that failed are readable in the page, 50 to a page, with their errors
    errors = page.locator("#error-rows-table tbody tr")
    expect(errors).to_have_count(50)
    expect(errors.first).to_contain_text("TEE-0000")
    # the row's number from 1, the attribute's name, and the 63 identical errors counted once
    expect(errors.first.locator("td").first).to_have_text("1")
    expect(errors.first).to_contain_text('"Purple" is not a valid choice.')
    expect(errors.first).not_to_contain_text("attributes.COLOR")
    groups = page.locator("#error-groups tbody tr")
    expect(groups).to_have_count(1)
    expect(groups.first.locator("td").first).to_have_text("63")
    shot(page, "3-error-rows")
    page.get_by_role("link", name="Next →").click()
    expect(errors).to_have_count(13)
    expect(errors.last).to_contain_text("TEE-0992")
    expect(page.get_by_text("Page 2 of 2 (63 rows)")).to_be_visible()
    shot(page, "4-error-rows-page-2")

    # and the error file is there to download, with the same rows
    link = page.locator("a[data-file=error]").get_attribute("href")
    downloaded = requests.get(f"{live_server.url}{link}", timeout=10)
    assert downloaded.status_code == 200
    assert len(downloaded.json()) == 63
    batch = BatchRequest.objects.get(pk=batch_id)
    assert (batch.status, batch.succeeded, batch.failed) == (3, 937, 63)
