from enum import StrEnum


class ErrorCode(StrEnum):
    """Codes of the inventory app's errors; a bulk row's errors carry them beside the message."""

    FRACTIONAL_QUANTITY = "fractional_quantity"  # a quantity counted in units (qty) with decimals
    DUPLICATE_ROW = "duplicate_row"  # the same (product, stock list) twice in one request
    STOCK_EXISTS = "stock_exists"  # create only: the pair already has a stock
    DOES_NOT_EXIST = "does_not_exist"  # unknown product or stock list
    INSUFFICIENT_STOCK = "insufficient_stock"
