"""The rules of decimal quantities, worded as DRF words them, for services that check numbers."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from functools import cache, lru_cache

from pazar.core.errors import Message


def decimal_problem(
    value: Decimal,
    *,
    places: int,
    digits: int = 20,
    minimum: Decimal | None = Decimal(0),
    maximum: Decimal | None = None,
) -> tuple[Decimal | None, Message | None]:
    """`(value quantized to places, None)`, or `(None, the broken rule)`.

    Trailing zeros past `places` are allowed (`1.230` with 2 places is 1.23); codes are DRF's:
    `invalid`, `max_decimal_places`, `max_digits`, `min_value`, `max_value`.
    """
    # The text of a Decimal is exact (sign, digits, exponent): the same text, the same answer;
    # a batch's rows repeat a few prices, rates and quantities.
    return _decimal_problem_of(str(value), places, digits, minimum, maximum)


@lru_cache(maxsize=4096)
def _decimal_problem_of(
    text: str, places: int, digits: int, minimum: Decimal | None, maximum: Decimal | None
) -> tuple[Decimal | None, Message | None]:
    value = Decimal(text)
    if not value.is_finite():
        return None, Message("A valid number is required.", "invalid")
    try:
        quantized = value.quantize(_quantum(places))
    except InvalidOperation:  # more digits than a Decimal context holds, far past `digits`
        return None, Message(
            f"Ensure that there are no more than {digits} digits in total.", "max_digits"
        )
    if value != quantized:  # quantizing is exact when the value has at most `places`
        return None, Message(
            f"Ensure that there are no more than {places} decimal places.", "max_decimal_places"
        )
    if quantized.adjusted() + places + 1 > digits:  # its digits: the exponent is -places
        return None, Message(
            f"Ensure that there are no more than {digits} digits in total.", "max_digits"
        )
    if minimum is not None and quantized < minimum:
        return None, Message(
            f"Ensure this value is greater than or equal to {minimum}.", "min_value"
        )
    if maximum is not None and quantized > maximum:
        return None, Message(f"Ensure this value is less than or equal to {maximum}.", "max_value")
    return quantized, None


@cache
def _quantum(places: int) -> Decimal:
    return Decimal(1).scaleb(-places)
