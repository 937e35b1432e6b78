"""Currency codes: stored as upper-case ISO 4217, read by each API in its own case.

The Seller Center reads and writes `USD`; Omnitron reads `usd` and writes any case, with its own
aliases `tr` (TRY) and `eu` (EUR) (omnitron.md §7). Omnitron's enum also lists `lei`, the plural
of the Romanian leu, beside `ron`: we read it as RON, so it answers as `ron`.
"""

from pazar.pricing.models import CURRENCIES

ALIASES = {"TR": "TRY", "EU": "EUR", "LEI": "RON"}


def currency_code(value: str) -> str | None:
    """The stored code (ISO, upper-case) that `value` names in any case, or None."""
    if not isinstance(value, str):
        return None
    code = value.strip().upper()
    code = ALIASES.get(code, code)
    return code if code in CURRENCIES else None


def omnitron_currency(code: str | None) -> str | None:
    """How Omnitron writes a stored code: lower-case (`USD` → `usd`)."""
    return None if code is None else code.lower()
