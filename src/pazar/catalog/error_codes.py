from enum import StrEnum


class ErrorCode(StrEnum):
    ATTRIBUTE_EXISTS = "attribute_exists"
    ATTRIBUTE_VALUE_EXISTS = "attribute_value_exists"
    ATTRIBUTE_SET_IN_USE = "attribute_set_in_use"
    DUPLICATE_ATTRIBUTE_CONFIG = "duplicate_attribute_config"
    PRODUCT_EXISTS = "product_exists"
    INVALID_PARENT = "invalid_parent"
    INVALID_GROUP_PRODUCTS = "invalid_group_products"
    INVALID_PRODUCT_TYPE = "invalid_product_type"
    SELLER_SKU = "seller_sku"
    CATEGORY_EXISTS = "category_exists"
    CATEGORY_CYCLE = "category_cycle"
    CATEGORY_IN_USE = "category_in_use"
    CATEGORY_ATTRIBUTE_EXISTS = "category_attribute_exists"
    NOT_PENDING = "not_pending"
    UNKNOWN_PRODUCTS = "unknown_products"
