"""A seller's file upload in the panel: CSV or XLSX of products, prices or stocks, applied by the
batch engine in batches of at most 1000 rows; the rows that fail come back in the same format
with an `errors` column, and that file, fixed, uploads again as it is."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import Workbook, load_workbook

from pazar.batches.models import BatchImport, BatchRequest, BatchStatus
from pazar.catalog.models import Product
from pazar.inventory.models import ProductStock
from pazar.pricing.models import ProductPrice
from tests.backoffice.test_seller_panel import sign_in
from tests.batches.helpers import build_catalog, run_ready_tasks
from tests.factories import ProductFactory, SellerMembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

UPLOADS = "/seller-center/panel/uploads/"
TEMPLATE = f"{UPLOADS}template/"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def seller_panel():
    member = SellerMembershipFactory(user=UserFactory(email="owner@acme.example"))
    client = Client()
    assert sign_in(client, "owner@acme.example").status_code == 302
    client.seller = member.seller
    client.catalog = build_catalog(member.seller)
    return client


def csv_file(rows: list[list[str]], name: str = "stocks.csv", delimiter: str = ",") -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter).writerows(rows)
    return out.getvalue().encode()


def xlsx_file(rows: list[list]) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def upload(client, kind: str, name: str, content: bytes):
    return client.post(
        UPLOADS,
        {"kind": kind, "file": SimpleUploadedFile(name, content)},
        HTTP_ACCEPT_LANGUAGE="en",
    )


def read_csv(content: bytes) -> list[list[str]]:
    text = content.decode("utf-8-sig")
    delimiter = ";" if text.split("\n", 1)[0].count(";") else ","
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


def read_xlsx(content: bytes) -> list[list[str]]:
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    return [
        ["" if cell is None else str(cell) for cell in row]
        for row in sheet.iter_rows(values_only=True)
    ]


def test_a_stock_file_with_bad_rows_comes_back_as_the_failed_rows_fixed_and_uploaded_again(
    seller_panel,
):
    # given: three products, and a CSV of their stocks in which two rows are wrong
    for sku in ("A-1", "A-2", "A-3"):
        ProductFactory(seller=seller_panel.seller, sku=sku)
    content = csv_file(
        [
            ["sku", "stock_list", "stock"],
            ["A-1", "main", "5"],
            ["A-2", "main", "lots"],  # not a number
            ["A-3", "Main", "7"],  # the list by its name, in another case
            ["NOPE", "main", "1"],  # not a SKU of the seller's
        ]
    )

    # when: the seller uploads it and a worker applies it
    response = upload(seller_panel, "stocks", "stocks.csv", content)
    assert response.status_code == 302, response.content.decode()
    file_import = BatchImport.objects.get()
    assert response["Location"] == f"{UPLOADS}{file_import.pk}/"
    assert (file_import.kind, file_import.file_format, file_import.total) == (
        "stock_upsert",
        "csv",
        4,
    )
    run_ready_tasks("default")

    # then: the page shows two applied, two failed, each error with its field's label
    page = seller_panel.get(response["Location"]).content.decode()
    assert 'data-state="completed_with_errors"' in page
    assert '<strong id="upload-succeeded">2</strong>' in page
    assert '<strong id="upload-failed">2</strong>' in page
    assert "None of your products has this SKU." in page

    # and the failed rows download as a CSV with the same columns and an errors column
    failed = seller_panel.get(f"{UPLOADS}{file_import.pk}/failed-rows/")
    assert failed.status_code == 200
    assert failed["Content-Type"].startswith("text/csv")
    assert 'filename="stocks-failed-rows.csv"' in failed["Content-Disposition"]
    rows = read_csv(failed.content)
    assert rows[0] == ["sku", "stock_list", "stock", "errors"]
    assert [row[:3] for row in rows[1:]] == [["A-2", "main", "lots"], ["NOPE", "main", "1"]]
    assert rows[1][3] == "Quantity: A valid number is required."
    assert rows[2][3] == "SKU: None of your products has this SKU."

    # when: the seller fixes them and uploads the file back as it is, errors column and all
    ProductFactory(seller=seller_panel.seller, sku="NOPE")
    rows[1][2] = "9"
    again = upload(seller_panel, "stocks", "stocks-failed-rows.csv", csv_file(rows))
    assert again.status_code == 302, again.content.decode()
    run_ready_tasks("default")

    # then: every row is applied
    second = BatchImport.objects.exclude(pk=file_import.pk).get()
    assert "Every row was applied." in seller_panel.get(again["Location"]).content.decode()
    stocks = dict(
        ProductStock.objects.filter(product__seller=seller_panel.seller).values_list(
            "product__sku", "stock"
        )
    )
    assert {sku: int(stock) for sku, stock in stocks.items()} == {
        "A-1": 5,
        "A-2": 9,
        "A-3": 7,
        "NOPE": 1,
    }
    assert seller_panel.get(f"{UPLOADS}{second.pk}/failed-rows/").status_code == 200


def test_a_product_file_in_xlsx_round_trips_with_the_categorys_attributes(seller_panel):
    catalog = seller_panel.catalog
    header = ["sku", "name", "base_code", "category", "COLOR", "price_list", "price",
              "currency_type", "stock_list", "stock"]  # fmt: skip
    content = xlsx_file(
        [
            header,
            ["TEE-1", "Tee one", "TEE", "tshirts", "Red", "usd", 15, "USD", "main", 4],
            ["TEE-2", "Tee two", "TEE", "tshirts", "Purple", "usd", 15.5, "USD", "main", 4],
            [None] * len(header),  # an empty row is skipped, and keeps the numbering
            ["TEE-3", "Tee three", "TEE", "no-such", "Blue", "eur", "", "USD", "main", 1],
        ]
    )
    response = upload(seller_panel, "products", "tees.xlsx", content)
    assert response.status_code == 302, response.content.decode()
    run_ready_tasks("default")
    file_import = BatchImport.objects.get()
    page = seller_panel.get(response["Location"]).content.decode()
    assert 'data-state="completed_with_errors"' in page
    assert "There is no such category: give its code or id." in page
    assert Product.objects.filter(seller=seller_panel.seller).count() == 1

    failed = seller_panel.get(f"{UPLOADS}{file_import.pk}/failed-rows/")
    assert failed["Content-Type"] == XLSX
    rows = read_xlsx(failed.content)
    assert rows[0] == [*header, "errors"]
    assert [row[0] for row in rows[1:]] == ["TEE-2", "TEE-3"]
    assert rows[1][6] == "15.5"
    assert rows[1][-1].startswith("Color: ")  # the attribute's name, not its key
    assert "Category: There is no such category" in rows[2][-1]
    assert "Price 1 › Price list: There is no such price list" in rows[2][-1]

    rows[1][4] = "Blue"
    rows[2][3], rows[2][5], rows[2][6] = str(catalog.category.uuid), "USD", "12"
    again = upload(seller_panel, "products", "tees-failed-rows.xlsx", xlsx_file(rows))
    assert again.status_code == 302, again.content.decode()
    run_ready_tasks("default")
    assert "Every row was applied." in seller_panel.get(again["Location"]).content.decode()
    assert sorted(
        Product.objects.filter(seller=seller_panel.seller).values_list("sku", flat=True)
    ) == ["TEE-1", "TEE-2", "TEE-3"]
    assert ProductPrice.objects.filter(product__sku="TEE-3", price=12).exists()


def test_a_long_file_becomes_batches_of_at_most_1000_rows_in_the_files_order(seller_panel):
    rows = [["sku", "price_list", "price", "currency_type"]]
    rows += [[f"SKU-{n:05d}", "usd", "10", "USD"] for n in range(2345)]
    response = upload(seller_panel, "prices", "prices.csv", csv_file(rows))
    assert response.status_code == 302, response.content.decode()
    file_import = BatchImport.objects.get()
    batches = list(BatchRequest.objects.filter(file_import=file_import).order_by("import_offset"))
    assert [(b.import_offset, b.total, b.kind) for b in batches] == [
        (0, 1000, "price_upsert"),
        (1000, 1000, "price_upsert"),
        (2000, 345, "price_upsert"),
    ]
    assert all(b.status == BatchStatus.WAITING for b in batches)
    page = seller_panel.get(response["Location"]).content.decode()
    assert 'data-state="waiting"' in page
    assert page.count("hx-get=") == 3  # each batch's progress follows itself
    assert "1001–2000" in page
    # the page of a batch says which rows of the file it holds
    batch_page = seller_panel.get(f"/seller-center/panel/batch-requests/{batches[1].pk}/")
    assert "Rows 1001–2000 of the file" in batch_page.content.decode()
    # while batches are open there is no failed rows file yet
    assert seller_panel.get(f"{UPLOADS}{file_import.pk}/failed-rows/").status_code == 404


def test_a_semicolon_csv_comes_back_with_semicolons(seller_panel):
    ProductFactory(seller=seller_panel.seller, sku="B-1")
    content = csv_file(
        [["sku", "price_list", "price", "currency_type"], ["B-1", "usd", "x", "USD"]],
        delimiter=";",
    )
    assert upload(seller_panel, "prices", "p.csv", content).status_code == 302
    run_ready_tasks("default")
    failed = seller_panel.get(f"{UPLOADS}{BatchImport.objects.get().pk}/failed-rows/")
    first_line = failed.content.decode("utf-8-sig").split("\r\n")[0]
    assert first_line == "sku;price_list;price;currency_type;errors"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("prices.txt", b"sku\n", "Upload a .csv or .xlsx file."),
        (
            "prices.csv",
            b"sku,price\nA,1\n",
            "The file misses these columns: price_list, currency_type.",
        ),
        ("prices.csv", b"", "The submitted file is empty."),
        (
            "prices.csv",
            b"sku,price_list,price,currency_type\n",
            "The file has no rows under its header.",
        ),
        (
            "prices.csv",
            "sku,price_list,price,currency_type\nĞ,usd,1,TRY\n".encode("cp1254"),
            "not UTF-8",
        ),
        ("prices.xlsx", b"PK\x03\x04 not really", "not a readable XLSX workbook"),
        ("prices.csv", b"sku,price_list,price,currency_type,colour\nA,usd,1,TRY,red\n", "colour"),
        (
            "prices.csv",
            b"sku,sku,price_list,price,currency_type\nA,A,usd,1,TRY\n",
            "appear twice: sku",
        ),
        (
            "prices.csv",
            b"sku,price_list,price,currency_type\nA,usd,1,TRY\nB,usd,1,TRY\nA,USD,2,TRY\n",
            "repeated in rows 1 and 3 (A)",
        ),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_whole_and_says_why(
    seller_panel, name, content, message
):
    response = upload(seller_panel, "prices", name, content)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not BatchImport.objects.exists()
    assert not BatchRequest.objects.exists()


def test_the_product_template_of_a_category_has_its_attributes_and_allowed_values(seller_panel):
    category = seller_panel.catalog.category
    response = seller_panel.get(
        TEMPLATE, {"kind": "products", "category": str(category.uuid), "format": "xlsx"}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert 'filename="pazar-products-tshirts-template.xlsx"' in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    rows = workbook.worksheets[0]
    header = [cell.value for cell in rows[1]]
    assert header[:5] == ["sku", "name", "base_code", "category", "COLOR"]
    assert rows.max_row == 1  # nothing to delete before filling it in
    guide = {row[0]: row for row in workbook.worksheets[1].iter_rows(min_row=2, values_only=True)}
    assert guide["COLOR"][1:] == ("Color", "Yes", "An attribute of the category.", "Red, Blue")
    values = workbook.worksheets[2]
    assert [values.cell(row=r, column=1).value for r in (1, 2, 3)] == ["COLOR", "Red", "Blue"]
    check = rows.data_validations.dataValidation[0]
    assert check.type == "list" and str(check.sqref).startswith("E2:")
    lists = [row[:3] for row in workbook.worksheets[3].iter_rows(min_row=2, values_only=True)]
    assert ("Price list", "usd", "USD") in lists and ("Stock list", "main", "Main") in lists

    as_csv = seller_panel.get(TEMPLATE, {"kind": "stocks", "format": "csv"})
    assert as_csv.content.decode("utf-8-sig") == "sku,stock_list,stock,unit_type\r\n"


def test_another_sellers_file_is_not_found(seller_panel):
    other = SellerMembershipFactory()
    file_import = BatchImport.objects.create(
        seller=other.seller, kind="stock_upsert", file_name="x.csv", file_format="csv", total=1
    )
    assert seller_panel.get(f"{UPLOADS}{file_import.pk}/").status_code == 404
    assert seller_panel.get(f"{UPLOADS}{file_import.pk}/failed-rows/").status_code == 404


def test_the_failed_rows_speak_turkish_in_a_turkish_panel(seller_panel):
    ProductFactory(seller=seller_panel.seller, sku="C-1")
    content = csv_file([["sku", "stock_list", "stock"], ["C-1", "yok", "1"]])
    assert upload(seller_panel, "stocks", "s.csv", content).status_code == 302
    run_ready_tasks("default")
    pk = BatchImport.objects.get().pk
    failed = seller_panel.get(f"{UPLOADS}{pk}/failed-rows/", HTTP_ACCEPT_LANGUAGE="tr")
    rows = read_csv(failed.content)
    assert rows[0][-1] == "errors"  # the columns' keys are the same in every language
    assert rows[1][-1].startswith("Stok listesi: ")
    page = seller_panel.get(f"{UPLOADS}{pk}/", HTTP_ACCEPT_LANGUAGE="tr").content.decode()
    assert "Düzeltmek için 1 hatalı satırı indirin" in page


def test_a_file_over_the_size_or_row_limit_is_refused(seller_panel, monkeypatch):
    from pazar.backoffice.services import file_import

    rows = [["sku", "price_list", "price", "currency_type"]]
    rows += [[f"S-{n}", "usd", "1", "USD"] for n in range(4)]
    monkeypatch.setattr(file_import, "MAX_ROWS", 3)
    response = upload(seller_panel, "prices", "p.csv", csv_file(rows))
    assert response.status_code == 400
    assert (
        "The file has more than 3 rows; split it into several files." in response.content.decode()
    )
    monkeypatch.setattr(file_import, "MAX_FILE_BYTES", 10)
    response = upload(seller_panel, "prices", "p.csv", csv_file(rows[:2]))
    assert response.status_code == 400
    assert "The file is larger than" in response.content.decode()
    assert not BatchImport.objects.exists()
