from enum import StrEnum


class ErrorCode(StrEnum):
    """Codes of the pricing app's errors; a bulk row's errors carry them beside the message."""

    CURRENCY_MISMATCH = "currency_mismatch"  # not the currency of the price list
    PRICE_ABOVE_RETAIL = "price_above_retail"  # price greater than the row's retail price
    DUPLICATE_ROW = "duplicate_row"  # the same (product, price list) twice in one request
    PRICE_EXISTS = "price_exists"  # create only: the pair already has a price
    DOES_NOT_EXIST = "does_not_exist"  # unknown product or price list
