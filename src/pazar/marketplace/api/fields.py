"""Wire formats of the Seller Center: decimals as strings, ids as uuids, UTC `Z` times."""

from decimal import Decimal


def money(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def number(value: Decimal | None, *, min_places: int = 0) -> str | None:
    """`Decimal("90.000")` → "90", `Decimal("0.0800")` → "0.08" (min_places=2)."""
    if value is None:
        return None
    text = format(value.normalize(), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    whole, _, fraction = text.partition(".")
    if len(fraction) < min_places:
        fraction = fraction.ljust(min_places, "0")
    return f"{whole}.{fraction}" if fraction else whole
