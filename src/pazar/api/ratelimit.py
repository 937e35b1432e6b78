"""Fixed-window request counters shared by every process: Redis, or the database without it
(or while Redis is down).

A counter is incremented atomically before the decision is taken (Redis INCR, or one SQL
`INSERT … ON CONFLICT DO UPDATE … RETURNING`), so N parallel requests against a limit L
let exactly L through, however many web processes serve them.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from dataclasses import dataclass

from django.conf import settings

from pazar.core.config import Rate
from pazar.core.outage import Outage

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Decision:
    allowed: bool
    limit: int
    remaining: int
    reset: int  # epoch seconds at which the window ends

    def retry_after(self, now: float | None = None) -> int:
        now = time.time() if now is None else now
        return max(1, math.ceil(self.reset - now))


class RedisCounters:
    def __init__(self, url: str) -> None:
        import redis

        self.client = redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)

    def incr(self, key: str, ttl: int) -> int:
        pipe = self.client.pipeline(transaction=True)
        pipe.incr(key)
        pipe.expire(key, ttl, nx=True)
        count, _ = pipe.execute()
        return int(count)


class DatabaseCounters:
    """Counters in `core_ratelimitcounter`; expired rows are pruned at most once a minute."""

    prune_every = 60.0

    def __init__(self) -> None:
        self._last_prune = 0.0
        self._lock = threading.Lock()

    def incr(self, key: str, ttl: int) -> int:
        from pazar.core.services import rate_limit_count

        count = rate_limit_count(key=key, ttl=ttl)
        self._maybe_prune()
        return count

    def _maybe_prune(self) -> None:
        now = time.monotonic()
        with self._lock:
            if now - self._last_prune < self.prune_every:
                return
            self._last_prune = now
        from pazar.core.services import rate_limit_counters_prune

        rate_limit_counters_prune()


_counters: RedisCounters | DatabaseCounters | None = None
_counters_url: str | None = None
# While Redis is down the counters are kept in the database: the limits (logins included) stay
# enforced, every web process still shares one count, and the outage is logged once.
REDIS_OUTAGE = Outage("Redis (rate limit counters)", fallback="counting in the database")
_fallback = DatabaseCounters()


def counters() -> RedisCounters | DatabaseCounters:
    global _counters, _counters_url
    url = settings.REDIS_URL
    if _counters is None or _counters_url != url:
        _counters = RedisCounters(url) if url else DatabaseCounters()
        _counters_url = url
    return _counters


def _count(bucket: str, ttl: int) -> int:
    store = counters()
    if isinstance(store, RedisCounters):
        if not REDIS_OUTAGE.skip():
            try:
                count = store.incr(bucket, ttl)
            except Exception as exc:  # redis-py's ConnectionError, TimeoutError, …
                REDIS_OUTAGE.failed(exc)
            else:
                REDIS_OUTAGE.succeeded()
                return count
        store = _fallback
    return store.incr(bucket, ttl)


def hit(key: str, rate: Rate, *, now: float | None = None) -> Decision:
    """Count one request against `key` and say whether it is within `rate`."""
    now = time.time() if now is None else now
    window = int(now // rate.period)
    reset = (window + 1) * rate.period
    bucket = f"pazar:rl:{key}:{rate.period}:{window}"
    try:
        count = _count(bucket, ttl=rate.period + 1)
    except Exception:
        # No counter store answers (Redis and the database are both down): the request will
        # most likely fail on the database anyway; the limit must not be what fails it.
        logger.exception("rate limit store unavailable; request %s allowed without counting", key)
        return Decision(allowed=True, limit=rate.limit, remaining=rate.limit, reset=reset)
    return Decision(
        allowed=count <= rate.limit,
        limit=rate.limit,
        remaining=max(0, rate.limit - count),
        reset=reset,
    )
