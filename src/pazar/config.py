"""Configuration read from the environment.

Everything a deployment can change is an environment variable; this module turns those
variables into plain Python values so that `settings.py` stays declarative and the parsing
is testable on its own.
"""

from __future__ import annotations

import ipaddress
import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(
        f"{name} must be one of 1/0, true/false, yes/no, on/off; got {raw!r}."
    )


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return list(default or [])
    return [item.strip() for item in raw.split(",") if item.strip()]


def is_loopback_host(host: str) -> bool:
    """True when a listen address only accepts connections from this machine."""
    host = host.strip().strip("[]")
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def secret_key(data_dir: Path) -> str:
    """`PAZAR_SECRET_KEY`, or a key generated once and kept (mode 0600) in the data dir."""
    configured = os.environ.get("PAZAR_SECRET_KEY")
    if configured:
        return configured
    path = data_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    # O_EXCL: when two processes start at once, one writes and both read the same key.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


@dataclass(frozen=True)
class Rate:
    """A number of requests allowed per window of `period` seconds."""

    limit: int
    period: int

    def __str__(self) -> str:
        return f"{self.limit}/{self.period}s"


PERIODS = {"s": 1, "sec": 1, "second": 1, "m": 60, "min": 60, "minute": 60, "h": 3600, "hour": 3600}
RATE_RE = re.compile(r"^\s*(\d+)\s*/\s*([a-z]+)\s*$")

# Per-minute limits of the Seller Center (seed 004); `None` means unlimited.
# `login` is counted per username and `login-address` per client address, on every site.
DEFAULT_RATE_LIMITS: dict[str, str | None] = {
    "languages": None,
    "categories": "30/min",
    "products": "10/min",
    "packages": "20/min",
    "claims": "20/min",
    "orders": "20/min",
    "price-lists": "30/min",
    "stock-lists": "30/min",
    "access-tokens": "30/min",
    "login": "10/min",
    "login-address": "30/min",
}


def parse_rate(text: str) -> Rate | None:
    word = text.strip().lower()
    if word in {"off", "none", "unlimited"}:
        return None
    match = RATE_RE.match(word)
    if not match or match.group(2) not in PERIODS:
        raise ImproperlyConfigured(
            f"Rate {text!r} is not of the form N/min (also N/s, N/hour, or off)."
        )
    return Rate(limit=int(match.group(1)), period=PERIODS[match.group(2)])


def rate_limits(raw: str | None) -> dict[str, Rate | None] | None:
    """The rate limit of each family, or None when limiting is switched off.

    `raw` is `PAZAR_RATE_LIMITS`: unset keeps the defaults, `off` disables limiting and
    `family=N/min,...` overrides the named families.
    """
    if raw is not None and raw.strip().lower() in {"off", "0", "false", "no"}:
        return None
    limits = {
        family: parse_rate(rate) if rate else None for family, rate in DEFAULT_RATE_LIMITS.items()
    }
    if raw:
        for part in raw.split(","):
            if not part.strip():
                continue
            family, sep, rate = part.partition("=")
            if not sep or not family.strip():
                raise ImproperlyConfigured(
                    f"PAZAR_RATE_LIMITS entry {part!r} is not of the form family=N/min."
                )
            limits[family.strip().lower()] = parse_rate(rate)
    return limits
