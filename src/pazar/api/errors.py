"""The one exception services raise for a broken domain rule (see pazar.api.exceptions)."""

from rest_framework import exceptions, status


class ApplicationError(exceptions.APIException):
    """A rule of the domain was broken; `code` is the contract, `detail` the explanation."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "invalid"

    def __init__(self, detail: str, *, code: str, status_code: int | None = None) -> None:
        super().__init__(detail=detail, code=code)
        if status_code is not None:
            self.status_code = status_code
