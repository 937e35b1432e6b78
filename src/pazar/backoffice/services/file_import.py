"""Sellers' files in the panel: CSV or XLSX files of products, prices or stocks.

A file is read here into rows of the Seller Center's shape (PRD101, PRD105, PRD106) and handed
to the batch engine (`batches.services.batch_import_accept`), which applies it as batches of at
most 1000 rows, exactly as it applies the API's. The rows that fail come back as a file in the
uploaded format, with the same columns and an `errors` column: fixed, it is uploaded again as is
(the `errors` column is ignored on upload).

The header row holds the columns' keys (`sku`, `price_list`, an attribute's key such as `COLOR`),
the same in every language. An empty cell leaves its field out (the API's rules for a field left
out apply). Price and stock lists are named by their code, name or id; categories by their code
or id; several images are separated by spaces or new lines.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from pazar.backoffice import selectors
from pazar.batches import files
from pazar.batches import services as batches
from pazar.batches.models import BatchImport, BatchKind, BatchStatus, FileFormat
from pazar.catalog.models import Category
from pazar.catalog.selectors import category_rules
from pazar.marketplace import selectors as marketplace
from pazar.marketplace.envelope import ROW_KEYS

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_ROWS = 50_000
ERRORS_COLUMN = "errors"
CONTENT_TYPES = {
    FileFormat.CSV: "text/csv; charset=utf-8",
    FileFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

# What a seller uploads, by the panel's name for it.
KINDS = {
    "products": BatchKind.PRODUCT_UPSERT,
    "prices": BatchKind.PRICE_UPSERT,
    "stocks": BatchKind.STOCK_UPSERT,
}
KIND_LABELS = {
    "products": gettext_lazy("Products"),
    "prices": gettext_lazy("Prices"),
    "stocks": gettext_lazy("Stocks"),
}


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    required: bool = False
    help: str = ""


SKU = Column("sku", gettext_lazy("SKU"), True, gettext_lazy("Your product's stock code."))
PRICE_LIST = Column(
    "price_list", gettext_lazy("Price list"), True, gettext_lazy("Its code, name or id.")
)
PRICE = Column(
    "price", gettext_lazy("Price"), True, gettext_lazy("The selling price, e.g. 199.90.")
)
RETAIL_PRICE = Column(
    "retail_price",
    gettext_lazy("Retail price"),
    help=gettext_lazy("The price before discount; empty keeps the stored one."),
)
CURRENCY = Column(
    "currency_type", gettext_lazy("Currency"), True, gettext_lazy("The price list's, e.g. TRY.")
)
TAX_RATE = Column("tax_rate", gettext_lazy("Tax rate"), help=gettext_lazy("e.g. 0.20 for 20%."))
STOCK_LIST = Column(
    "stock_list", gettext_lazy("Stock list"), True, gettext_lazy("Its code, name or id.")
)
STOCK = Column("stock", gettext_lazy("Quantity"), True, gettext_lazy("The stock on hand."))
UNIT = Column("unit_type", gettext_lazy("Unit"), help=gettext_lazy("qty or kg; empty: qty."))

PRODUCT_HEAD = [
    SKU,
    Column("name", gettext_lazy("Name"), True),
    Column("base_code", gettext_lazy("Base code"), True, gettext_lazy("Shared by the variants.")),
    Column("category", gettext_lazy("Category"), True, gettext_lazy("Its code or id.")),
]
# In a products file the price and stock columns are optional together: left empty, the product's
# prices and stocks stay as they are.
PRODUCT_TAIL = [
    Column("images", gettext_lazy("Images"), help=gettext_lazy("Addresses, separated by spaces.")),
    Column("price_list", PRICE_LIST.label, help=PRICE_LIST.help),
    Column("price", PRICE.label, help=PRICE.help),
    RETAIL_PRICE,
    Column("currency_type", CURRENCY.label, help=CURRENCY.help),
    TAX_RATE,
    Column("stock_list", STOCK_LIST.label, help=STOCK_LIST.help),
    Column("stock", STOCK.label, help=STOCK.help),
    UNIT,
]
PRICE_COLUMNS = [SKU, PRICE_LIST, PRICE, RETAIL_PRICE, CURRENCY, TAX_RATE]
STOCK_COLUMNS = [SKU, STOCK_LIST, STOCK, UNIT]
FIXED = {
    "products": PRODUCT_HEAD + PRODUCT_TAIL,
    "prices": PRICE_COLUMNS,
    "stocks": STOCK_COLUMNS,
}
KNOWN_KEYS = {column.key for columns in FIXED.values() for column in columns} | {"errors"}
PRICE_PART = ("price_list", "price", "retail_price", "currency_type", "tax_rate")
STOCK_PART = ("stock_list", "stock", "unit_type")


@dataclass
class Table:
    """A file's cells as read: the header's keys, the rows' texts and each row's number (the
    first row under the header is 1; empty rows are skipped but keep the numbering)."""

    file_format: str
    columns: list[str]
    rows: list[list[str]] = field(default_factory=list)
    numbers: list[int] = field(default_factory=list)
    delimiter: str = ""

    def as_dict(self) -> dict:
        return {"columns": self.columns, "rows": self.rows, "numbers": self.numbers}


# --- reading a file -------------------------------------------------------------------------


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value).strip()


def _read_csv(content: bytes) -> tuple[list[list[str]], str]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationError(
            _("The file is not UTF-8 text. Save it as “CSV UTF-8” and upload it again.")
        ) from exc
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count) if first else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return list(_limited(reader)), delimiter
    except csv.Error as exc:
        raise ValidationError(_("The CSV file cannot be read: %(error)s") % {"error": exc}) from exc


def _read_xlsx(content: bytes) -> list[list[str]]:
    from openpyxl import load_workbook  # reads the XML through defusedxml when installed

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as exc:
        raise ValidationError(_("The file is not a readable XLSX workbook.")) from exc
    try:
        sheet = workbook.worksheets[0]
        return list(_limited(sheet.iter_rows(values_only=True)))
    except (KeyError, ValueError, TypeError) as exc:
        raise ValidationError(_("The file is not a readable XLSX workbook.")) from exc
    finally:
        workbook.close()


def _limited(rows):
    """`(position, texts)` of the rows with a value, refused past MAX_ROWS of them under the
    header; empty rows are skipped (a sheet's formatting may reach far below its last value)."""
    count = -1  # the header is not a row
    for position, row in enumerate(rows):
        texts = [_text(cell) for cell in row]
        if not any(texts):
            continue
        count += 1
        if count > MAX_ROWS:
            raise ValidationError(
                _("The file has more than %(max)s rows; split it into several files.")
                % {"max": f"{MAX_ROWS:,}"}
            )
        yield position, texts


def file_format_of(name: str) -> str:
    suffix = PurePath(name or "").suffix.lower().lstrip(".")
    if suffix not in FileFormat.values:
        raise ValidationError(_("Upload a .csv or .xlsx file."))
    return suffix


def read_table(upload) -> Table:
    """The uploaded file's header and rows, or a ValidationError saying what is wrong with it."""
    file_format = file_format_of(upload.name)
    if upload.size > MAX_FILE_BYTES:
        raise ValidationError(
            _("The file is larger than %(size)s MB.") % {"size": MAX_FILE_BYTES // 1024 // 1024}
        )
    content = upload.read()
    delimiter = ""
    if file_format == FileFormat.CSV:
        cells, delimiter = _read_csv(content)
    else:
        cells = _read_xlsx(content)
    if not cells:
        raise ValidationError(_("The file is empty."))
    start, header = cells[0]
    header = [cell.strip() for cell in header]
    while header and not header[-1]:
        header.pop()
    if "" in header:
        raise ValidationError(
            _("Column %(number)s has no name in the first row.") % {"number": header.index("") + 1}
        )
    columns = [name.lower() if name.lower() in KNOWN_KEYS else name for name in header]
    repeated = sorted({name for name in columns if columns.count(name) > 1})
    if repeated:
        raise ValidationError(
            _("These columns appear twice: %(columns)s.") % {"columns": ", ".join(repeated)}
        )
    table = Table(file_format=file_format, columns=columns, delimiter=delimiter)
    width = len(columns)
    for position, row in cells[1:]:
        number = position - start  # the first row under the header is 1
        if any(row[width:]):
            raise ValidationError(
                _("Row %(number)s has more cells than the first row has column names.")
                % {"number": number}
            )
        table.rows.append((row + [""] * width)[:width])
        table.numbers.append(number)
    if not table.rows:
        raise ValidationError(_("The file has no rows under its header."))
    return table


# --- from cells to the Seller Center's rows --------------------------------------------------


def _lookup(objects, *names) -> dict[str, str]:
    """Code, name (ignoring case) and id of each object → its id, for cells naming them."""
    found = {}
    for item in objects:
        for name in names:
            value = getattr(item, name, None)
            if value:
                found.setdefault(str(value).casefold(), str(item.uuid))
        found[str(item.uuid).casefold()] = str(item.uuid)
    return found


def _resolved(value: str, known: dict[str, str]) -> str:
    return known.get(value.casefold(), value)


def check_columns(kind: str, table: Table) -> None:
    fixed = FIXED[kind]
    keys = {column.key for column in fixed}
    missing = [c.key for c in fixed if c.required and c.key not in table.columns]
    if missing:
        raise ValidationError(
            _("The file misses these columns: %(columns)s. Start from the template.")
            % {"columns": ", ".join(missing)}
        )
    if kind != "products":  # in a products file every other column is an attribute
        unknown = [c for c in table.columns if c not in keys and c != ERRORS_COLUMN]
        if unknown:
            raise ValidationError(
                _("These columns are not part of a %(kind)s file: %(columns)s.")
                % {"kind": KIND_LABELS[kind], "columns": ", ".join(unknown)}
            )


def rows_of(*, seller, kind: str, table: Table) -> list[dict]:
    """The table's rows in the Seller Center's shape; an empty cell leaves its field out."""
    check_columns(kind, table)
    prices = _lookup(marketplace.seller_price_lists(seller=seller), "code", "name")
    stocks = _lookup(marketplace.seller_stock_lists(seller=seller), "code", "name")
    categories = {}
    if kind == "products":
        categories = _lookup(Category.objects.only("uuid", "code"), "code")
    fixed = {column.key for column in FIXED[kind]}
    rows = []
    for cells in table.rows:
        given = {
            key: value
            for key, value in zip(table.columns, cells, strict=True)
            if value != "" and key != ERRORS_COLUMN
        }
        if "price_list" in given:
            given["price_list"] = _resolved(given["price_list"], prices)
        if "stock_list" in given:
            given["stock_list"] = _resolved(given["stock_list"], stocks)
        if kind != "products":
            rows.append(given)
            continue
        row = {key: given[key] for key in ("sku", "name", "base_code") if key in given}
        if "category" in given:
            row["category"] = _resolved(given["category"], categories)
        row["attributes"] = {key: value for key, value in given.items() if key not in fixed}
        if "images" in given:
            row["images"] = given["images"].split()
        price = {key: given[key] for key in PRICE_PART if key in given}
        if price:
            row["prices"] = [price]
        stock = {key: given[key] for key in STOCK_PART if key in given}
        if stock:
            row["stocks"] = [stock]
        rows.append(row)
    return rows


def check_repeats(kind: str, rows: list[dict], numbers: list[int]) -> None:
    """Two rows for the same SKU (and list) are refused, as in the API: which one would win?"""
    names = ROW_KEYS[kind]
    seen: dict[tuple, int] = {}
    repeats = []
    for row, number in zip(rows, numbers, strict=True):
        key = tuple(str(row.get(name, "")).strip() for name in names)
        key = (key[0], *(part.lower() for part in key[1:]))
        if not key[0]:
            continue
        if key in seen:
            repeats.append(
                _("rows %(first)s and %(second)s (%(key)s)")
                % {"first": seen[key], "second": number, "key": key[0]}
            )
        else:
            seen[key] = number
    if repeats:
        shown = "; ".join(repeats[:10]) + ("; …" if len(repeats) > 10 else "")
        raise ValidationError(
            _("Each row must be about another SKU%(lists)s; repeated in %(rows)s.")
            % {"lists": _(" and list") if len(names) > 1 else "", "rows": shown}
        )


def file_import_create(*, seller, kind: str, upload) -> BatchImport:
    """Read the file and queue its rows as batches; a ValidationError if the file cannot be."""
    table = read_table(upload)
    rows = rows_of(seller=seller, kind=kind, table=table)
    check_repeats(KINDS[kind], rows, table.numbers)
    return batches.batch_import_accept(
        seller=seller,
        kind=KINDS[kind],
        file_name=PurePath(upload.name).name,
        file_format=table.file_format,
        delimiter=table.delimiter,
        rows=rows,
        table=table.as_dict(),
        language=get_language() or "",
    )


# --- the rows that failed, as a file ---------------------------------------------------------


@dataclass
class FailedRow:
    number: int  # in the uploaded file, from 1
    cells: list[str]
    shown: list  # selectors.ErrorLine

    @property
    def text(self) -> str:
        return "; ".join(str(line) for line in self.shown)


def failed_rows(file_import: BatchImport) -> list[FailedRow] | None:
    """The file's rows that failed, in its order; None while a batch of it is still open."""
    batches_of = list(file_import.batches.order_by("import_offset"))
    if any(b.status in (BatchStatus.WAITING, BatchStatus.PROCESSING) for b in batches_of):
        return None
    table = files.read_json(file_import.table_file)
    failed = []
    for batch in batches_of:
        offset = batch.import_offset or 0
        if batch.status == BatchStatus.FAILED:
            line = selectors.ErrorLine(
                field="", message=_("This row's batch could not be applied; upload it again.")
            )
            positions = [(offset + i, [line]) for i in range(batch.total)]
        else:
            entries = files.read_json(batch.error_file) if batch.error_file else []
            shown = selectors.error_rows_of(entries)
            positions = [
                (offset + row.index, row.shown) for row in shown if isinstance(row.index, int)
            ]
        for position, lines in positions:
            if 0 <= position < len(table["rows"]):
                cells = table["rows"][position]
                failed.append(FailedRow(table["numbers"][position], cells, lines))
    return failed


def failed_rows_file(file_import: BatchImport, rows: list[FailedRow]) -> bytes:
    """The failed rows with the file's columns and an `errors` column, in the file's format."""
    table = files.read_json(file_import.table_file)
    columns = [c for c in table["columns"] if c != ERRORS_COLUMN]
    keep = [i for i, c in enumerate(table["columns"]) if c != ERRORS_COLUMN]
    body = [[row.cells[i] for i in keep] + [row.text] for row in rows]
    return _write(file_import.file_format, [*columns, ERRORS_COLUMN], body, file_import.delimiter)


def _write(
    file_format: str, header: list[str], rows: list[list[str]], delimiter: str = ""
) -> bytes:
    if file_format == FileFormat.CSV:
        out = io.StringIO()
        writer = csv.writer(out, delimiter=delimiter or ",", lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows(rows)
        return out.getvalue().encode("utf-8-sig")  # the BOM tells spreadsheets it is UTF-8
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)  # streams the rows: a fraction of the time and memory
    sheet = workbook.create_sheet(str(_("Rows"))[:31])
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    cells = []
    for name in header:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = bold
        cells.append(cell)
    sheet.append(cells)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _workbook(header: list[str], rows: list[list[str]], title: str = ""):
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = (title or str(_("Rows")))[:31]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
    sheet.freeze_panes = "A2"
    return workbook


# --- templates -------------------------------------------------------------------------------


@dataclass(frozen=True)
class TemplateColumn:
    key: str
    label: str
    required: bool
    help: str
    values: list[str] = field(default_factory=list)  # the allowed values' labels


def template_columns(*, kind: str, category: Category | None = None) -> list[TemplateColumn]:
    """The columns of a file of `kind` (for products, of one category: its attributes)."""

    def plain(column: Column) -> TemplateColumn:
        return TemplateColumn(column.key, str(column.label), column.required, str(column.help))

    if kind != "products":
        return [plain(column) for column in FIXED[kind]]
    columns = [plain(column) for column in PRODUCT_HEAD]
    if category is not None:
        rules = category_rules([category]).get(category.pk, {})
        names = selectors.attribute_names(rules)
        for key, rule in rules.items():
            columns.append(
                TemplateColumn(
                    key,
                    names.get(key, key),
                    rule.is_required,
                    str(_("An attribute of the category.")),
                    [value.label for value in rule.values],
                )
            )
    return columns + [plain(column) for column in PRODUCT_TAIL]


def template_file(
    *, seller, kind: str, file_format: str, category: Category | None = None
) -> bytes:
    """An empty file of `kind` to fill in: the header row; as XLSX also a sheet saying what each
    column takes, with the allowed values (offered as a list in the cells), and the seller's
    price and stock lists."""
    columns = template_columns(kind=kind, category=category)
    header = [column.key for column in columns]
    if file_format == FileFormat.CSV:
        return _write(FileFormat.CSV, header, [])
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = _workbook(header, [], title=str(KIND_LABELS[kind]))
    sheet = workbook.active
    guide = workbook.create_sheet(str(_("Columns"))[:31])
    guide.append([_("Column"), _("Meaning"), _("Required"), _("Help"), _("Allowed values")])
    for column in columns:
        guide.append(
            [
                column.key,
                column.label,
                _("Yes") if column.required else _("No"),
                column.help,
                ", ".join(column.values),
            ]
        )
    values = workbook.create_sheet(str(_("Allowed values"))[:31])
    listed = 0
    for position, column in enumerate(columns, start=1):
        if not column.values:
            continue
        listed += 1
        letter = get_column_letter(listed)
        values.cell(row=1, column=listed, value=column.key).font = Font(bold=True)
        for row, label in enumerate(column.values, start=2):
            values.cell(row=row, column=listed, value=label)
        quoted = values.title.replace("'", "''")
        check = DataValidation(
            type="list",
            formula1=f"='{quoted}'!${letter}$2:${letter}${len(column.values) + 1}",
            allow_blank=True,
        )
        sheet.add_data_validation(check)
        target = get_column_letter(position)
        check.add(f"{target}2:{target}{MAX_ROWS + 1}")
    lists = workbook.create_sheet(str(_("Lists"))[:31])
    lists.append([_("Kind"), _("Code"), _("Name"), _("ID"), _("Currency")])
    for price_list in marketplace.seller_price_lists(seller=seller).order_by("name"):
        lists.append(
            [_("Price list"), price_list.code or "", price_list.name, str(price_list.uuid),
             price_list.currency]
        )  # fmt: skip
    for stock_list in marketplace.seller_stock_lists(seller=seller).order_by("name"):
        lists.append(
            [_("Stock list"), stock_list.code or "", stock_list.name, str(stock_list.uuid)]
        )
    if category is not None:
        lists.append([_("Category"), category.code, category.name, str(category.uuid)])
    for extra in (guide, values, lists):
        for cell in extra[1]:
            cell.font = Font(bold=True)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def template_name(kind: str, file_format: str, category: Category | None = None) -> str:
    stem = f"{kind}-{category.code}" if category is not None else kind
    return f"pazar-{stem}-template.{file_format}"


def failed_rows_name(file_import: BatchImport) -> str:
    stem = PurePath(file_import.file_name).stem or "file"
    return f"{stem}-failed-rows.{file_import.file_format}"
