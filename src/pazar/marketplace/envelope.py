"""What a bulk body must be before it is accepted (checked synchronously, nothing stored)."""

from rest_framework.exceptions import ValidationError

from pazar.api.bulk import validate_bulk_list
from pazar.batches.models import BatchKind

# The fields that identify a row of each kind; two rows with the same key in one body are refused.
ROW_KEYS = {
    BatchKind.PRODUCT_UPSERT: ("sku",),
    BatchKind.PRODUCT_DELETE: ("sku",),
    BatchKind.PRICE_STOCK_UPSERT: ("sku", "price_list", "stock_list"),
    BatchKind.PRICE_UPSERT: ("sku", "price_list"),
    BatchKind.STOCK_UPSERT: ("sku", "stock_list"),
}


def validate_envelope(data, *, kind: str) -> list[dict]:
    rows = validate_bulk_list(data)
    fields = ROW_KEYS[kind]
    seen: dict[tuple, int] = {}
    duplicates = []
    for index, row in enumerate(rows):
        key = tuple(
            str(row.get(name, "")).strip().lower()
            if name != "sku"
            else str(row.get(name, "")).strip()
            for name in fields
        )
        if not key[0]:
            continue  # a row without a SKU is reported by the worker, row by row
        if key in seen:
            duplicates.append(
                f"rows {seen[key]} and {index} ({', '.join(f'{n}={v}' for n, v in zip(fields, key, strict=True))})"
            )
        else:
            seen[key] = index
    if duplicates:
        shown = "; ".join(duplicates[:10]) + ("; …" if len(duplicates) > 10 else "")
        raise ValidationError(
            {
                "non_field_errors": [
                    f"Each row must have a unique {' + '.join(fields)}; repeated in {shown}."
                ]
            }
        )
    return rows
