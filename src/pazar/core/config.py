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
# `login` is wrong passwords per account before it is locked (for the period, doubling with
# each further one) and `login-address` wrong passwords per client address, forgotten a period
# after the last one (pazar.accounts.logins), on every site.
DEFAULT_RATE_LIMITS: dict[str, str | None] = {
    "languages": None,
    "categories": "30/min",
    "products": "10/min",
    "packages": "20/min",
    "claims": "20/min",
    "orders": "20/min",
    "callbacks": "20/min",
    "price-lists": "30/min",
    "stock-lists": "30/min",
    "access-tokens": "30/min",
    "login": "5/min",
    "login-address": "100/hour",
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


# --- the database: PostgreSQL connection pooling ---------------------------------------------

# `PAZAR_DB_POOL=on`: each process keeps up to as many connections as `pazar serve` runs request
# threads per web process (4), opens one at start, and a request waits at most 10 s for one.
DEFAULT_POOL = {"min_size": 1, "max_size": 4, "timeout": 10.0}
POOL_KEYS = {
    "min_size": int,
    "max_size": int,
    "timeout": float,
    "max_waiting": int,
    "max_lifetime": float,
    "max_idle": float,
    "reconnect_timeout": float,
    "num_workers": int,
}


def db_pool(raw: str | None) -> dict | None:
    """psycopg_pool.ConnectionPool options from `PAZAR_DB_POOL`, or None without a pool.

    `off` (or unset) keeps Django's persistent connections, `on` uses `DEFAULT_POOL`, and
    `max_size=8,timeout=5` changes the named options of it.
    """
    word = (raw or "").strip().lower()
    if word in FALSE_WORDS:
        return None
    options = dict(DEFAULT_POOL)
    if word in TRUE_WORDS:
        return options
    for part in word.split(","):
        key, sep, value = (item.strip() for item in part.partition("="))
        if not part.strip():
            continue
        if not sep or key not in POOL_KEYS:
            raise ImproperlyConfigured(
                f"PAZAR_DB_POOL entry {part.strip()!r} is not one of "
                f"{', '.join(f'{k}=N' for k in POOL_KEYS)} (or on/off)."
            )
        try:
            options[key] = POOL_KEYS[key](value)
        except ValueError:
            raise ImproperlyConfigured(
                f"PAZAR_DB_POOL: {key} must be a number, not {value!r}."
            ) from None
    if options.get("max_size") is not None and options["max_size"] < options["min_size"]:
        raise ImproperlyConfigured("PAZAR_DB_POOL: max_size must be at least min_size.")
    return options


def database(url: str, *, pool: str | None = None, pgbouncer: bool = False) -> dict:
    """Django's database settings for `DATABASE_URL`, with pooling chosen by the environment.

    - without a pool, connections persist for 60 s and are checked before reuse;
    - `pool` (`PAZAR_DB_POOL`): a psycopg pool per process. Django refuses persistent
      connections with a pool, so CONN_MAX_AGE becomes 0: a connection goes back to the pool
      at the end of each request or task instead of being closed;
    - `pgbouncer` (`PAZAR_DB_PGBOUNCER`): the server is PgBouncer in transaction pooling mode,
      where a session outlives no transaction: no server-side cursors (`.iterator()` would
      declare one). Django already makes no prepared statements (psycopg's prepare_threshold
      is None unless OPTIONS set it).
    """
    import dj_database_url

    settings = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    options = db_pool(pool)
    postgres = settings["ENGINE"] == "django.db.backends.postgresql"
    if (options is not None or pgbouncer) and not postgres:
        raise ImproperlyConfigured("PAZAR_DB_POOL and PAZAR_DB_PGBOUNCER need a PostgreSQL URL.")
    if options is not None:
        settings["CONN_MAX_AGE"] = 0
        settings.setdefault("OPTIONS", {})["pool"] = options
    if pgbouncer:
        settings["DISABLE_SERVER_SIDE_CURSORS"] = True
    return settings


# --- stored files: the local disk or an S3-compatible bucket ---------------------------------

S3_BACKEND = "storages.backends.s3.S3Storage"
FILE_BACKEND = "django.core.files.storage.FileSystemStorage"


def default_storage(media_root: Path) -> dict:
    """Django's `STORAGES["default"]`: files under `media_root`, or in the bucket
    `PAZAR_S3_BUCKET` of any S3-compatible service (django-storages) when that is set.

    Every web process and worker of a deployment must share the same storage: a worker writes
    the batch files the web processes serve, and reads the request files they stored.
    Credentials come from `PAZAR_S3_ACCESS_KEY_ID` / `PAZAR_S3_SECRET_ACCESS_KEY`, or, unset,
    from boto3's own chain (`AWS_*` variables, an instance role). The bucket stays private:
    batch files are streamed by Pazar behind signed links, and image URLs are signed for an
    hour each time they are shown, unless `PAZAR_S3_CUSTOM_DOMAIN` names a public domain (a
    CDN) in front of the bucket.
    """
    bucket = env_str("PAZAR_S3_BUCKET").strip()
    if not bucket:
        return {"BACKEND": FILE_BACKEND, "OPTIONS": {"location": media_root}}
    custom_domain = env_str("PAZAR_S3_CUSTOM_DOMAIN").strip() or None
    addressing = env_str("PAZAR_S3_ADDRESSING_STYLE").strip().lower() or None
    if addressing not in {None, "path", "virtual", "auto"}:
        raise ImproperlyConfigured("PAZAR_S3_ADDRESSING_STYLE must be path, virtual or auto.")
    options = {
        "bucket_name": bucket,
        "endpoint_url": env_str("PAZAR_S3_ENDPOINT_URL").strip() or None,
        "region_name": env_str("PAZAR_S3_REGION").strip() or None,
        "access_key": env_str("PAZAR_S3_ACCESS_KEY_ID") or None,
        "secret_key": env_str("PAZAR_S3_SECRET_ACCESS_KEY") or None,
        "location": env_str("PAZAR_S3_PREFIX").strip().strip("/"),
        "addressing_style": addressing,
        "custom_domain": custom_domain,
        "querystring_auth": custom_domain is None,
        "querystring_expire": 3600,
        # Batch files are rewritten under their fixed names on a retry; images are named by
        # their content. Neither may get a second name.
        "file_overwrite": True,
        "default_acl": None,
    }
    return {"BACKEND": S3_BACKEND, "OPTIONS": {k: v for k, v in options.items() if v is not None}}
