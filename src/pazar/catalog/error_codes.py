from enum import StrEnum


class ErrorCode(StrEnum):
    ATTRIBUTE_EXISTS = "attribute_exists"
    ATTRIBUTE_VALUE_EXISTS = "attribute_value_exists"
    CATEGORY_EXISTS = "category_exists"
    CATEGORY_CYCLE = "category_cycle"
    CATEGORY_IN_USE = "category_in_use"
    CATEGORY_ATTRIBUTE_EXISTS = "category_attribute_exists"
    NOT_PENDING = "not_pending"
    UNKNOWN_PRODUCTS = "unknown_products"
