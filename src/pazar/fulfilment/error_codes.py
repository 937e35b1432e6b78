from enum import StrEnum


class ErrorCode(StrEnum):
    # The action is not allowed from the package's status (pazar.fulfilment.transitions).
    PACKAGE_STATUS_TRANSITION = "package_status_transition"
    PACKAGE_ALREADY_INVOICED = "package_already_invoiced"
    PACKAGE_ITEM_UNKNOWN = "package_item_unknown"
    PACKAGE_ITEM_CANCELLED = "package_item_cancelled"
    PACKAGE_ITEM_QUANTITY = "package_item_quantity"
    PACKAGE_ITEM_REPEATED = "package_item_repeated"
    PACKAGE_SPLIT_LEAVES_NOTHING = "package_split_leaves_nothing"
    CURSOR_INVALID = "cursor_invalid"
