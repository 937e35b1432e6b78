from enum import StrEnum


class ErrorCode(StrEnum):
    PERMISSION_PARENT_APPLICATION = "permission_parent_application"
    PERMISSION_CYCLE = "permission_cycle"
    PERMISSION_HAS_CHILDREN = "permission_has_children"
    PROXY_PATH_INVALID = "proxy_path_invalid"
    PROXY_BODY_TOO_LARGE = "request_too_large"
    PROXY_LENGTH_REQUIRED = "length_required"
    PROXY_REFUSED = "proxy_refused"
    UPSTREAM_UNAVAILABLE = "bad_gateway"
    UPSTREAM_TIMEOUT = "gateway_timeout"
