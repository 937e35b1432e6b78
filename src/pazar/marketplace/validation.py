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
from pazar.core.errors import FieldErrors, Message

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
            errors.add(name, *((REQUIRED, "required") if name not in row else (NULL, "null")))
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        errors.add(name, "Not a valid string.", "invalid")
        return None
    value = str(value).strip()
    if not value and required:
        errors.add(name, BLANK, "blank")
        return None
    if len(value) > max_length:
        errors.add(
            name, f"Ensure this field has no more than {max_length} characters.", "max_length"
        )
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
            errors.add(name, *((REQUIRED, "required") if name not in row else (NULL, "null")))
        return None
    parsed = parse_uuid(value) if isinstance(value, str) else None
    if parsed is None:
        errors.add(name, "Must be a valid UUID.", "invalid")
    return parsed


def number(
    row: dict, name: str, errors: FieldErrors, *, required: bool = True, nullable: bool = False
) -> Decimal | None:
    """A number given as a JSON number or a numeric string, as a Decimal; its rules (places,
    range) are the owning app's. None when left out (an error if `required`) or null (an error
    unless `nullable`)."""
    if name not in row:
        if required:
            errors.add(name, REQUIRED, "required")
        return None
    value = row[name]
    if value is None:
        if not nullable:
            errors.add(name, NULL, "null")
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        errors.add(name, "A valid number is required.", "invalid")
        return None
    parsed = _decimal(value) if type(value) is str else _decimal(str(value))
    if parsed is None:
        errors.add(name, "A valid number is required.", "invalid")
    return parsed


@functools.lru_cache(maxsize=4096)
def _decimal(text: str) -> Decimal | None:
    """Rows repeat the same prices and quantities; parse each text once."""
    try:
        return Decimal(text.strip())
    except InvalidOperation:
        return None


def choice(row: dict, name: str, choices: tuple[str, ...], errors: FieldErrors) -> str | None:
    """One of `choices`, or None when left out; null and anything else are errors."""
    if name not in row:
        return None
    value = row[name]
    if value is None:
        errors.add(name, NULL, "null")
    elif not isinstance(value, str) or value not in choices:
        errors.add(name, f'"{value}" is not a valid choice.', "invalid_choice")
    else:
        return value
    return None


def url_list(row: dict, name: str, errors: FieldErrors) -> list[str]:
    value = row.get(name)
    if value is None:
        return []
    if not isinstance(value, list):
        errors.add(
            name, f'Expected a list of items but got type "{type(value).__name__}".', "not_a_list"
        )
        return []
    if len(value) > MAX_MEDIA:
        errors.add(name, f"Ensure this field has no more than {MAX_MEDIA} elements.", "max_length")
        return []
    bad = {
        str(i): [Message("Enter a valid URL.", "invalid")]
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
    errors.add(name, "Must be a valid boolean.", "invalid")
    return default


def _blank_attribute(raw) -> Message:
    if raw is None:
        return Message(NULL, "null")
    if raw == []:
        return Message("This list may not be empty.", "empty")
    return Message(BLANK, "blank")


# Values whose checked result a batch may keep and reuse: immutable, and told apart by type
# (True == 1 as a dict key).
_CACHED_TYPES = frozenset({str, int, float, bool})


def attributes(row: dict, rules: dict, errors: FieldErrors, cache: dict | None = None) -> dict:
    """Validate `attributes` against a category's rules; returns the attributes to store.

    `cache` (one per batch and category) keeps the result of each attribute value of a plain
    type already checked against the same rules: rows of a batch repeat the same few values."""
    value = row.get("attributes", {})
    if value is None:  # reported by the caller
        return {}
    if not isinstance(value, dict):
        errors.add(
            "attributes",
            f'Expected a dictionary of items but got type "{type(value).__name__}".',
            "not_a_dict",
        )
        return {}
    problems: dict[str, list[str]] = {}
    result = {}
    for key, raw in value.items():
        rule = rules.get(key)
        if rule is None:
            problems[key] = [
                Message("Not an attribute of this product's category.", "unknown_attribute")
            ]
            continue
        if raw is None or raw == "" or raw == []:  # a value left empty is never dropped silently
            problems[key] = [_blank_attribute(raw)]
            continue
        if cache is not None and type(raw) in _CACHED_TYPES:
            cache_key = (key, type(raw), raw)
            known = cache.get(cache_key)
            if known is None:
                known = cache[cache_key] = attribute_value(rule, raw)
                if type(known[0]) not in _CACHED_TYPES and known[0] is not None:
                    del cache[cache_key]  # a list or an object: each row keeps its own
            stored, message = known
        else:
            stored, message = attribute_value(rule, raw)
        if message:
            problems[key] = [Message(message, "invalid_attribute_value")]
        elif stored is not None:
            result[key] = stored
    for key, rule in rules.items():
        if rule.link.is_required and key not in result and key not in problems:
            problems[key] = [Message(REQUIRED, "attribute_required")]
    if problems:
        errors.add("attributes", problems)
    return result
