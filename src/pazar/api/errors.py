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


class RowsInvalid(exceptions.ValidationError):
    """A bulk write refused whole: `{"<row index>": {field: [message]}}` for the failing rows.

    The shape DRF's ListSerializer answers with (its dict form, the default since DRF 3.16),
    and the one `pazar.api.bulk` uses: `{"1": {"price": ["…"]}}`.
    """

    def __init__(self, errors: dict[str, dict]) -> None:
        super().__init__(detail=errors)
