"""A seller's file round trip in the panel, at 1440 px and at 390 px: upload a file with bad
rows, watch its batches finish, download the failed rows, fix them, upload that file again, and
every row is applied."""

import csv
import io

import pytest
from openpyxl import Workbook, load_workbook
from playwright.sync_api import expect

from pazar.batches.models import BatchImport
from pazar.catalog.models import Product
from tests.batches.helpers import build_catalog
from tests.e2e.conftest import seller_sign_in
from tests.e2e.test_back_office_widths import NOT_CLIPPED
from tests.e2e.test_seller_batches import run_worker_in_background
from tests.factories import PASSWORD, ProductFactory, SellerMembershipFactory, UserFactory

HEADER = ["sku", "name", "base_code", "category", "COLOR", "price_list", "price",
          "currency_type", "stock_list", "stock"]  # fmt: skip


def products_xlsx(rows: list[list]) -> bytes:
    workbook = Workbook()
    workbook.active.append(HEADER)
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def upload_and_wait(page, base: str, name: str, content: bytes, kind: str) -> None:
    page.goto(f"{base}/seller-center/panel/uploads/")
    page.get_by_label(kind, exact=True).check()
    page.get_by_label("File", exact=True).set_input_files(
        files=[{"name": name, "mimeType": "application/octet-stream", "buffer": content}]
    )
    page.get_by_role("button", name="Upload", exact=True).click()
    page.wait_for_url("**/seller-center/panel/uploads/*-*/")
    worker = run_worker_in_background()
    # the page follows its batches and reloads once they have ended
    expect(page.locator("#upload-status")).not_to_have_attribute(
        "data-state", "waiting", timeout=60_000
    )
    expect(page.locator("#upload-status")).not_to_have_attribute(
        "data-state", "processing", timeout=60_000
    )
    worker.join(timeout=60)


@pytest.mark.parametrize("width", [1440, 390])
def test_a_product_file_with_bad_rows_is_fixed_and_uploaded_again(
    live_server, browser, shot, tmp_path, width
):
    membership = SellerMembershipFactory(user=UserFactory(email="ops@acme.example"))
    build_catalog(membership.seller)
    rows = [
        [f"TEE-{n}", f"Tee {n}", "TEE", "tshirts", "Red", "usd", "15", "USD", "main", "3"]
        for n in range(1, 9)
    ]
    rows[2][4] = "Purple"  # not a colour of the category
    rows[5][6] = "cheap"  # not a price
    context = browser.new_context(viewport={"width": width, "height": 900}, accept_downloads=True)
    context.set_default_timeout(20_000)
    page = context.new_page()
    try:
        seller_sign_in(page, live_server.url, "ops@acme.example", PASSWORD)
        page.get_by_role("link", name="Upload a file").click()
        expect(page.get_by_role("heading", name="Upload a file", exact=True)).to_be_visible()
        assert page.evaluate(NOT_CLIPPED, "#upload-form")
        shot(page, f"upload-{width}")

        # when: the seller uploads the file and a worker applies it
        upload_and_wait(page, live_server.url, "tees.xlsx", products_xlsx(rows), "Products")

        # then: six rows applied, two failed, each error with its field's label and row number
        status = page.locator("#upload-status")
        expect(status).to_have_attribute("data-state", "completed_with_errors")
        expect(page.locator("#upload-succeeded")).to_have_text("6")
        expect(page.locator("#upload-failed")).to_have_text("2")
        groups = page.locator("#upload-error-groups tbody tr")
        expect(groups).to_have_count(2)
        expect(page.locator("#upload-error-groups")).to_contain_text("Color")
        expect(page.locator("#upload-error-groups")).to_contain_text("Price 1 › Price")
        assert page.evaluate(NOT_CLIPPED, "#upload-status")
        shot(page, f"upload-with-errors-{width}")

        # and the seller's batch page says which rows of the file it holds
        page.locator("#upload-batches a").first.click()
        expect(page.locator("#batch-file")).to_contain_text("Rows 1–8 of the file tees.xlsx")
        expect(page.locator("#error-groups tbody tr")).to_have_count(2)
        assert page.evaluate(NOT_CLIPPED, "#batch-status")
        shot(page, f"batch-of-a-file-{width}")
        page.go_back()

        # when: the seller downloads the failed rows
        with page.expect_download() as download_info:
            page.locator("#failed-rows-file").click()
        download = download_info.value
        assert download.suggested_filename == "tees-failed-rows.xlsx"
        path = tmp_path / download.suggested_filename
        download.save_as(path)
        workbook = load_workbook(path)
        sheet = workbook.worksheets[0]
        assert [cell.value for cell in sheet[1]] == [*HEADER, "errors"]
        assert [sheet.cell(row=r, column=1).value for r in (2, 3)] == ["TEE-3", "TEE-6"]
        assert sheet.cell(row=2, column=11).value.startswith("Color: ")
        assert sheet.cell(row=3, column=11).value.startswith("Price 1 › Price: ")

        # and fixes them, and uploads that file again as it is
        sheet.cell(row=2, column=5).value = "Blue"
        sheet.cell(row=3, column=7).value = "16.50"
        fixed = io.BytesIO()
        workbook.save(fixed)
        upload_and_wait(page, live_server.url, "tees-fixed.xlsx", fixed.getvalue(), "Products")

        # then: every row is applied
        expect(page.locator("#upload-status")).to_have_attribute("data-state", "completed")
        expect(page.locator("#all-applied")).to_be_visible()
        shot(page, f"upload-all-applied-{width}")
        assert Product.objects.filter(seller=membership.seller).count() == 8
        assert BatchImport.objects.filter(seller=membership.seller).count() == 2
    finally:
        context.close()


def test_a_stock_file_in_csv_round_trips_at_390_px(live_server, browser, shot, tmp_path):
    membership = SellerMembershipFactory(user=UserFactory(email="ops@acme.example"))
    build_catalog(membership.seller)
    for sku in ("S-1", "S-2"):
        ProductFactory(seller=membership.seller, sku=sku)
    content = b"sku;stock_list;stock\r\nS-1;main;4\r\nS-2;nowhere;5\r\n"
    context = browser.new_context(viewport={"width": 390, "height": 900}, accept_downloads=True)
    context.set_default_timeout(20_000)
    page = context.new_page()
    try:
        seller_sign_in(page, live_server.url, "ops@acme.example", PASSWORD)
        upload_and_wait(page, live_server.url, "stocks.csv", content, "Stocks")
        expect(page.locator("#upload-failed")).to_have_text("1")
        expect(page.locator("#upload-error-groups")).to_contain_text("There is no such stock list")
        with page.expect_download() as download_info:
            page.locator("#failed-rows-file").click()
        path = tmp_path / "failed.csv"
        download_info.value.save_as(path)
        rows = list(csv.reader(io.StringIO(path.read_text("utf-8-sig")), delimiter=";"))
        assert rows == [
            ["sku", "stock_list", "stock", "errors"],
            ["S-2", "nowhere", "5", rows[1][3]],
        ]
        assert rows[1][3].startswith("Stock list: There is no such stock list")
        rows[1][1] = "Main"
        out = io.StringIO()
        csv.writer(out, delimiter=";").writerows(rows)
        upload_and_wait(page, live_server.url, "failed.csv", out.getvalue().encode(), "Stocks")
        expect(page.locator("#upload-status")).to_have_attribute("data-state", "completed")
        shot(page, "stocks-all-applied-390")
    finally:
        context.close()
