"""What services raise and collect when input breaks a rule: plain Python, no HTTP.

`pazar.api.exceptions` turns these into DRF's error bodies; batch handlers write them into error
files. Every message carries a stable machine-readable `code` beside its DRF-worded text, so a
client can branch on the code while people read the text.
"""

from __future__ import annotations

from collections.abc import Iterable

DOES_NOT_EXIST = 'Invalid pk "{}" - object does not exist.'


class Message(str):
    """An error message with its code (`Message("…", "price_above_retail")`).

    A `str`, so it is written wherever a message is (JSON, templates) unchanged; like DRF's
    `ErrorDetail`, whose codes the generic field errors share (`required`, `null`, `invalid`,
    `max_decimal_places`, `max_value`, …).
    """

    code: str

    def __new__(cls, text: str, code: str = "invalid") -> Message:
        message = super().__new__(cls, text)
        message.code = code
        return message

    def __reduce__(self):
        return Message, (str(self), self.code)


def does_not_exist(value) -> Message:
    return Message(DOES_NOT_EXIST.format(value), "does_not_exist")


class ApplicationError(Exception):
    """A rule of the domain was broken; `code` is the contract, `detail` the explanation."""

    status_code = 400

    def __init__(self, detail: str, *, code: str, status_code: int | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.code = code
        if status_code is not None:
            self.status_code = status_code

    def get_codes(self) -> str:
        return self.code


class RowsInvalid(Exception):
    """A bulk write refused whole: `{"<row index>": {field: [message]}}` for the failing rows.

    The shape DRF's ListSerializer answers with (its dict form): `{"1": {"price": ["…"]}}`.
    """

    def __init__(self, errors: dict[str, dict]) -> None:
        super().__init__(errors)
        self.detail = errors


class FieldErrors(dict):
    """One object's errors: `{"field": [Message, …]}`, nested dicts for lists and objects
    (`{"prices": {"0": {"price": […]}}}`, `{"attributes": {"COLOR": […]}}`)."""

    def add(self, field: str, message: str | dict, code: str | None = None) -> None:
        if isinstance(message, dict):
            self.setdefault(field, {}).update(message)
            return
        if code is not None or not isinstance(message, Message):
            message = Message(message, code or "invalid")
        self.setdefault(field, []).append(message)

    def merge(self, other: dict) -> None:
        """Add every error of `other` (the same shape) to these."""
        for field, messages in other.items():
            if isinstance(messages, dict):
                self.add(field, messages)
            else:
                for message in messages:
                    self.add(field, message)


class RowErrors:
    """Errors of a list of rows, reported as DRF reports a list: `{"1": {"field": ["…"]}}`."""

    def __init__(self, count: int) -> None:
        self.rows: list[FieldErrors] = [FieldErrors() for _ in range(count)]

    def add(self, index: int, field: str, message: str | dict, code: str | None = None) -> None:
        self.rows[index].add(field, message, code)

    def failed(self, index: int) -> bool:
        return bool(self.rows[index])

    def __bool__(self) -> bool:
        return any(self.rows)

    def as_dict(self) -> dict[str, FieldErrors]:
        return {str(i): errors for i, errors in enumerate(self.rows) if errors}

    def raise_if_any(self) -> None:
        if self:
            raise RowsInvalid(self.as_dict())


def error_codes(errors):
    """The same shape as `errors` with each message replaced by its code (`invalid` for a
    message that carries none)."""
    if isinstance(errors, dict):
        return {key: error_codes(value) for key, value in errors.items()}
    if isinstance(errors, list | tuple):
        return [error_codes(value) for value in errors]
    return getattr(errors, "code", "invalid")


def flat_codes(errors) -> Iterable[str]:
    """Every code in `errors`, depth first."""
    if isinstance(errors, dict):
        for value in errors.values():
            yield from flat_codes(value)
    elif isinstance(errors, list | tuple):
        for value in errors:
            yield from flat_codes(value)
    else:
        yield getattr(errors, "code", "invalid")
