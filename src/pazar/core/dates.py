"""The one way dates leave the server: ISO 8601 in UTC with a `Z`, as DRF writes them."""


def utc_text(value) -> str | None:
    """`…T08:38:48.476005Z`; None stays None."""
    return None if value is None else value.isoformat().replace("+00:00", "Z")
