from enum import StrEnum


class ErrorCode(StrEnum):
    # The action is not allowed from the claim's status (pazar.claims.transitions): 409.
    CLAIM_STATUS_TRANSITION = "claim_status_transition"
    # One call cancels items not yet shipped or returns delivered ones, never both.
    CLAIM_MIXED_TYPES = "claim_mixed_types"
    CLAIM_NO_ITEMS = "claim_no_items"
    CLAIM_ITEM_UNKNOWN = "claim_item_unknown"
    CLAIM_ITEM_REPEATED = "claim_item_repeated"
    # The item is cancelled already (409: a concurrent cancel won).
    CLAIM_ITEM_CANCELLED = "claim_item_cancelled"
    # More units than the line has.
    CLAIM_ITEM_QUANTITY = "claim_item_quantity"
    # The line had them, but some are claimed already (409: a concurrent claim won).
    CLAIM_ITEM_UNITS_CLAIMED = "claim_item_units_claimed"
    # Shipped but not delivered: too late to cancel, too early to return.
    CLAIM_ITEM_NOT_RETURNABLE = "claim_item_not_returnable"
    # Shipped already: too late to cancel (a delivered item can be returned).
    CLAIM_ITEM_NOT_CANCELLABLE = "claim_item_not_cancellable"
    CANCELLATION_REASON_MISSING = "cancellation_reason_missing"
    CANCELLATION_REASON_UNKNOWN = "cancellation_reason_unknown"
    CANCELLATION_REASON_TYPE = "cancellation_reason_type"
    CANCELLATION_REASON_IN_USE = "cancellation_reason_in_use"
