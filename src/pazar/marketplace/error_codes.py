from enum import StrEnum


class ErrorCode(StrEnum):
    """Codes of the Seller Center's own row errors (docs/seller-center.md, "Row error codes").

    Rules of prices and stocks carry the pricing and inventory apps' codes
    (`price_above_retail`, `currency_mismatch`, `fractional_quantity`, …); generic field errors
    carry DRF's (`required`, `null`, `blank`, `invalid`, `invalid_choice`, `max_length`,
    `max_decimal_places`, `max_digits`, `min_value`, `max_value`, `not_a_list`).
    """

    UNKNOWN_SKU = "unknown_sku"  # no product of the seller has this SKU
    UNKNOWN_CATEGORY = "unknown_category"
    UNKNOWN_PRODUCT = "unknown_product"  # `product` names no catalog product the seller may use
    PRICE_LIST_NOT_OPEN = "price_list_not_open"  # unknown, or not open to the seller
    STOCK_LIST_NOT_OPEN = "stock_list_not_open"  # unknown, or not open to the seller
    LIST_TWICE = "list_twice"  # the same price or stock list twice in one product's row
    UNKNOWN_ATTRIBUTE = "unknown_attribute"  # not an attribute of the product's category
    ATTRIBUTE_REQUIRED = "attribute_required"  # a required attribute of the category is missing
    INVALID_ATTRIBUTE_VALUE = "invalid_attribute_value"
    NOT_AN_OBJECT = "not_an_object"
    IDEMPOTENCY_KEY_REUSED = "idempotency_key_reused"  # same key, another body (422)
    IDEMPOTENCY_KEY_INVALID = "idempotency_key_invalid"
    IDEMPOTENCY_KEY_IN_USE = "idempotency_key_in_use"  # a request with the key just failed
