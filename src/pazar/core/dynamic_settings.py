"""The settings operators change at run time: their keys, defaults and value shapes.

A value is checked by its definition's `clean`, which returns the value to store or raises a
`ValidationError`; `DynamicSetting` rows exist only for keys defined here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError

# Large enough for any product photo; a 10000×10000 image already takes 300 MB to decode.
MAX_IMAGE_SIDE = 10_000


@dataclass(frozen=True)
class Definition:
    default: Any
    clean: Callable[[Any], Any]
    description: str


def _dimensions(value: Any) -> dict:
    shape = 'Expected {"WIDTH": <pixels>, "HEIGHT": <pixels>}.'
    if not isinstance(value, dict) or set(value) != {"WIDTH", "HEIGHT"}:
        raise ValidationError(shape, code="invalid")
    for side in ("WIDTH", "HEIGHT"):
        pixels = value[side]
        if isinstance(pixels, bool) or not isinstance(pixels, int):
            raise ValidationError(f"{side} must be an integer. {shape}", code="invalid")
        if not 1 <= pixels <= MAX_IMAGE_SIDE:
            raise ValidationError(
                f"{side} must be between 1 and {MAX_IMAGE_SIDE}.", code="out_of_range"
            )
    return {"WIDTH": value["WIDTH"], "HEIGHT": value["HEIGHT"]}


RESTOCK_MOMENTS = ("received", "approved", "never")


def _restock_moment(value: Any) -> str:
    if value not in RESTOCK_MOMENTS:
        raise ValidationError(
            f"Expected one of {', '.join(RESTOCK_MOMENTS)}.", code="invalid_choice"
        )
    return value


DEFINITIONS: dict[str, Definition] = {
    "MAX_IMAGE_DIMENSIONS": Definition(
        default={"WIDTH": 2000, "HEIGHT": 2000},
        clean=_dimensions,
        description="The largest product image accepted, in pixels (uploads and downloads).",
    ),
    "RETURN_RESTOCK_ON": Definition(
        default="received",
        clean=_restock_moment,
        description=(
            "When a return's units go back to stock: `received` (the approved return's units "
            "arrived back), `approved` (as soon as the return is approved) or `never` "
            "(returned goods are not sold again)."
        ),
    ),
}
