"""Fast, DRF-worded parsing of the rows of `POST /api/v1/stocks/`.

A 1000-row body must be parsed in milliseconds; a serializer per row costs half a second. These
plain functions accept and refuse exactly what `serializers.StockRowSerializer` (the documented
shape) does, with its messages (tests/whippy/test_rows.py holds them to it).
"""

from __future__ import annotations

import datetime
import re

from django.utils.dateparse import parse_date

from pazar.whippy.models import UnitType

REQUIRED = "This field is required."
NULL = "This field may not be null."
BLANK = "This field may not be blank."
INTEGER = "A valid integer is required."
INT_MIN, INT_MAX = -2147483648, 2147483647
_DECIMAL_ZEROS = re.compile(r"\.0*\s*$")  # DRF's IntegerField reads "5.0" as 5
_TRUE = {"t", "T", "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON", "1", 1}
_FALSE = {"f", "F", "n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF", "0", 0}  # fmt: skip


def _text(value, max_length: int) -> tuple[str | None, str | None]:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None, "Not a valid string."
    value = str(value).strip()
    if not value:
        return None, BLANK
    if len(value) > max_length:
        return None, f"Ensure this field has no more than {max_length} characters."
    return value, None


def _integer(value, minimum: int) -> tuple[int | None, str | None]:
    if isinstance(value, str) and len(value) > 1000:
        return None, "String value too large."
    try:
        number = int(_DECIMAL_ZEROS.sub("", str(value)))
    except ValueError:
        return None, INTEGER
    if number < minimum:
        return None, f"Ensure this value is greater than or equal to {minimum}."
    if number > INT_MAX:
        return None, f"Ensure this value is less than or equal to {INT_MAX}."
    return number, None


def _date(value) -> tuple[datetime.date | None, str | None]:
    try:
        parsed = parse_date(value)
    except (ValueError, TypeError):
        parsed = None
    if parsed is None:
        return None, "Date has wrong format. Use one of these formats instead: YYYY-MM-DD."
    return parsed, None


def _boolean(value) -> tuple[bool | None, str | None]:
    try:
        if value in _TRUE:
            return True, None
        if value in _FALSE:
            return False, None
    except TypeError:  # unhashable
        pass
    return None, "Must be a valid boolean."


def _choice(value) -> tuple[str | None, str | None]:
    if isinstance(value, str) and value in UnitType.values:
        return value, None
    return None, f'"{value}" is not a valid choice.'


# name → (parse, required, allow null)
FIELDS = {
    "sku": (lambda v: _text(v, 255), True, False),
    "provider": (lambda v: _text(v, 100), True, False),
    "location": (lambda v: _text(v, 100), True, False),
    "stock": (lambda v: _integer(v, INT_MIN), True, False),
    "reserved_stock": (lambda v: _integer(v, 0), False, False),
    "unit_type": (_choice, False, False),
    "stock_type": (lambda v: _text(v, 50), False, False),
    "period": (_date, False, True),
    "is_active": (_boolean, False, False),
}


def parse_stock_row(item: dict) -> tuple[dict, dict]:
    """`(data, errors)`: the row's values by field name, or `{field: [message]}`."""
    data, errors = {}, {}
    for name, (parse, required, allow_null) in FIELDS.items():
        if name not in item:
            if required:
                errors[name] = [REQUIRED]
            continue
        value = item[name]
        if value is None:
            if allow_null:
                data[name] = None
            else:
                errors[name] = [NULL]
            continue
        parsed, error = parse(value)
        if error:
            errors[name] = [error]
        else:
            data[name] = parsed
    return data, errors
