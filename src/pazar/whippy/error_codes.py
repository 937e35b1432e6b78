from enum import StrEnum


class ErrorCode(StrEnum):
    PROVIDER_EXISTS = "provider_exists"
    LOCATION_EXISTS = "location_exists"
    STOCK_LIST_EXISTS = "stock_list_exists"
    REMOTE_BOUND = "remote_bound"
    RULE_IN_USE = "rule_in_use"
    INVALID_RULE = "invalid_rule"
    UNKNOWN_PROVIDER = "unknown_provider"
    UNKNOWN_LOCATION = "unknown_location"
    INSUFFICIENT_STOCK = "insufficient_stock"
    RELEASE_EXCEEDS_RESERVED = "release_exceeds_reserved"
