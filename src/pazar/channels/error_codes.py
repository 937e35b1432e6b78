from enum import StrEnum


class ErrorCode(StrEnum):
    CATEGORY_TREE_IN_USE = "category_tree_in_use"
    CATALOG_IN_USE = "catalog_in_use"
    # An illegal batch-request move; Omnitron's own code, which clients look for (real-clients §3).
    BATCH_REQUEST_STATUS = "batch_request_status_100_1"
    BATCH_REQUEST_OBJECT_HELD = "batch_request_object_held"
    UNKNOWN_CONTENT_TYPE = "unknown_content_type"
    MAPPING_FAILED = "mapping_failed"
