from enum import StrEnum


class ErrorCode(StrEnum):
    ORDER_ITEM_STATUS_TRANSITION = "order_item_status_transition"
    ORDER_ITEM_MAPPED = "order_item_mapped"
    ORDER_ITEM_QUANTITY = "order_item_quantity"
    ORDER_UNKNOWN = "order_unknown"
    ORDER_NUMBER_MISMATCH = "order_number_mismatch"
    CARGO_COMPANY_UNKNOWN = "cargo_company_unknown"
