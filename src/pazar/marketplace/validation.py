"""Fast, DRF-worded validation of batch rows.

A 1000-row batch must be checked in a few milliseconds, so rows are validated by plain
functions instead of a serializer per row; the messages are DRF's, so clients see the same
error shapes as everywhere else: `{"field": ["message"]}`, nested for lists and objects.
"""

from __future__ import annotations

import functools
import re
import uuid
from decimal import Decimal, InvalidOperation

from pazar.catalog.validation import attribute_value
from pazar.core.errors import FieldErrors

REQUIRED = "This field is required."
NULL = "This field may not be null."
BLANK = "This field may not be blank."
URL_RE = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)
MAX_MEDIA = 50


def text(
    row: dict, name: str, errors: FieldErrors, *, max_length: int = 255, required: bool = True
) -> str | None:
    value = row.get(name)
    if value is None:
        if required:
            errors.add(name, REQUIRED if name not in row else NULL)
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        errors.add(name, "Not a valid string.")
        return None
    value = str(value).strip()
    if not value and required:
        errors.add(name, BLANK)
        return None
    if len(value) > max_length:
        errors.add(name, f"Ensure this field has no more than {max_length} characters.")
        return None
    return value


@functools.lru_cache(maxsize=4096)
def parse_uuid(text: str) -> uuid.UUID | None:
    """Rows repeat the same category and list ids; parse each text once."""
    try:
        return uuid.UUID(text)
    except ValueError:
        return None


def uuid_value(
    row: dict, name: str, errors: FieldErrors, *, required: bool = True
) -> uuid.UUID | None:
    value = row.get(name)
    if value is None:
        if required:
            errors.add(name, REQUIRED if name not in row else NULL)
        return None
    parsed = parse_uuid(value) if isinstance(value, str) else None
    if parsed is None:
        errors.add(name, "Must be a valid UUID.")
    return parsed


def decimal_value(
    row: dict, name: str, errors: FieldErrors, *, places: int, required: bool = True, minimum: Decimal | None = Decimal(0),
    maximum: Decimal | None = None, digits: int = 20,
) -> Decimal | None:  # fmt: skip
    value = row.get(name)
    if value is None or value == "":
        if required:
            errors.add(name, REQUIRED if name not in row else NULL)
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        errors.add(name, "A valid number is required.")
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        errors.add(name, "A valid number is required.")
        return None
    if not number.is_finite():
        errors.add(name, "A valid number is required.")
        return None
    exponent = number.as_tuple().exponent
    try:
        quantized = number.quantize(Decimal(1).scaleb(-places))
    except InvalidOperation:  # more digits than a Decimal context holds, far past `digits`
        errors.add(name, f"Ensure that there are no more than {digits} digits in total.")
        return None
    if -exponent > places and number != quantized:
        errors.add(name, f"Ensure that there are no more than {places} decimal places.")
        return None
    number = quantized
    if len(number.as_tuple().digits) > digits:
        errors.add(name, f"Ensure that there are no more than {digits} digits in total.")
        return None
    if minimum is not None and number < minimum:
        errors.add(name, f"Ensure this value is greater than or equal to {minimum}.")
        return None
    if maximum is not None and number > maximum:
        errors.add(name, f"Ensure this value is less than or equal to {maximum}.")
        return None
    return number


def url_list(row: dict, name: str, errors: FieldErrors) -> list[str]:
    value = row.get(name)
    if value is None:
        return []
    if not isinstance(value, list):
        errors.add(name, f'Expected a list of items but got type "{type(value).__name__}".')
        return []
    if len(value) > MAX_MEDIA:
        errors.add(name, f"Ensure this field has no more than {MAX_MEDIA} elements.")
        return []
    bad = {
        str(i): ["Enter a valid URL."]
        for i, url in enumerate(value)
        if not isinstance(url, str) or not URL_RE.match(url) or len(url) > 2000
    }
    if bad:
        errors.add(name, bad)
        return []
    return value


def boolean(row: dict, name: str, errors: FieldErrors, *, default: bool = False) -> bool:
    value = row.get(name)
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in {"true", "false"}:
        return value.lower() == "true"
    errors.add(name, "Must be a valid boolean.")
    return default


def attributes(row: dict, rules: dict, errors: FieldErrors) -> dict:
    """Validate `attributes` against a category's rules; returns the attributes to store."""
    value = row.get("attributes", {})
    if value is None:
        value = {}
    if not isinstance(value, dict):
        errors.add(
            "attributes", f'Expected a dictionary of items but got type "{type(value).__name__}".'
        )
        return {}
    problems: dict[str, list[str]] = {}
    result = {}
    for key, raw in value.items():
        rule = rules.get(key)
        if rule is None:
            problems[key] = ["Not an attribute of this product's category."]
            continue
        stored, message = attribute_value(rule, raw)
        if message:
            problems[key] = [message]
        elif stored is not None:
            result[key] = stored
    for key, rule in rules.items():
        if rule.link.is_required and key not in result and key not in problems:
            problems[key] = [REQUIRED]
    if problems:
        errors.add("attributes", problems)
    return result
