from enum import StrEnum


class ErrorCode(StrEnum):
    INVALID_CREDENTIALS = "invalid_credentials"
    SELLER_EXISTS = "seller_exists"
    USERNAME_TAKEN = "username_taken"
    EMAIL_TAKEN = "email_taken"
    UNKNOWN_USER = "unknown_user"
    NOT_ALLOWED = "permission_denied"
    UNKNOWN_PERMISSION = "unknown_permission"
    LAST_ACTIVE_SUPERUSER = "last_active_superuser"
    SELF_DEACTIVATION = "self_deactivation"
