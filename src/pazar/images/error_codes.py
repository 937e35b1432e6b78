from enum import StrEnum


class ErrorCode(StrEnum):
    # a URL that could not be downloaded
    ADDRESS_REFUSED = "address_refused"
    CONNECTION_FAILED = "connection_failed"
    HTTP_STATUS = "http_status"
    INVALID_URL = "invalid_url"
    TIMEOUT = "timeout"
    TOO_LARGE = "too_large"
    TOO_MANY_REDIRECTS = "too_many_redirects"
    # a file that is not an acceptable image
    NOT_AN_IMAGE = "not_an_image"
    UNSUPPORTED_FORMAT = "unsupported_format"
    DIMENSIONS_EXCEEDED = "dimensions_exceeded"
    DUPLICATE_IMAGE = "duplicate_image"
    DUPLICATE_VIDEO = "duplicate_video"
    NOT_A_VIDEO = "not_a_video"
    # a replacement request that names no single product
    UNKNOWN_SKU = "unknown_sku"
    AMBIGUOUS_SKU = "ambiguous_sku"
    # a replacement that could not be applied as a whole
    IMAGE_CHANGED = "image_changed"
    SUPERSEDED = "superseded"
    ERROR = "error"
