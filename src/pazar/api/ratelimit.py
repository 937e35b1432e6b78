"""Fixed-window request counters shared by every process: Redis, or the database without it
(or while Redis is down).

A counter is incremented atomically before the decision is taken (Redis INCR, or one SQL
`INSERT … ON CONFLICT DO UPDATE … RETURNING`), so N parallel requests against a limit L
let exactly L through, however many web processes serve them.

The login limits (pazar.accounts.logins) use the same stores through `failures`: counters
forgotten a given time after their last increment, and locks that one caller takes at a time.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime

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


class RedisFailures:
    """Failure counters and locks in Redis (see `failures()`)."""

    def __init__(self, client) -> None:
        self.client = client

    def add(self, key: str, keep: int) -> int:
        pipe = self.client.pipeline(transaction=True)
        pipe.incr(key)
        pipe.expire(key, keep)
        count, _ = pipe.execute()
        return int(count)

    def take_back(self, key: str) -> None:
        # Never below zero, and never revives a key that expired meanwhile.
        self.client.eval(
            "if tonumber(redis.call('GET', KEYS[1]) or '0') > 0 then "
            "return redis.call('DECR', KEYS[1]) end return 0",
            1,
            key,
        )

    def count(self, key: str) -> int:
        return int(self.client.get(key) or 0)

    def lock(self, key: str, seconds: int, *, only_if_free: bool) -> bool:
        return bool(self.client.set(key, 1, ex=max(1, seconds), nx=only_if_free))

    def seconds_left(self, key: str) -> float:
        left = self.client.pttl(key)
        return left / 1000 if left and left > 0 else 0.0

    def delete(self, *keys: str) -> None:
        self.client.delete(*keys)


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

    # --- failure counters and locks (see `failures()`) -------------------------------------

    def add(self, key: str, keep: int) -> int:
        from pazar.core.services import rate_limit_failure_add

        count = rate_limit_failure_add(key=key, keep=keep)
        self._maybe_prune()
        return count

    def take_back(self, key: str) -> None:
        from pazar.core.services import rate_limit_take_back

        rate_limit_take_back(key=key)

    def count(self, key: str) -> int:
        from pazar.core.models import RateLimitCounter

        row = RateLimitCounter.objects.filter(key=key, expires_at__gt=datetime.now(UTC)).first()
        return row.count if row else 0

    def lock(self, key: str, seconds: int, *, only_if_free: bool) -> bool:
        from pazar.core.services import rate_limit_lock

        return rate_limit_lock(key=key, seconds=seconds, only_if_free=only_if_free)

    def seconds_left(self, key: str) -> float:
        from pazar.core.models import RateLimitCounter

        now = datetime.now(UTC)
        row = RateLimitCounter.objects.filter(key=key, expires_at__gt=now).first()
        return (row.expires_at - now).total_seconds() if row else 0.0

    def delete(self, *keys: str) -> None:
        from pazar.core.services import rate_limit_keys_delete

        rate_limit_keys_delete(keys=keys)

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


class Failures:
    """Counters forgotten `keep` seconds after their last increment, and locks, in Redis or
    (without it, or while it is down) in the database: every call is one atomic operation.

    `add` counts one and returns the new count; `take_back` uncounts one; `lock` sets a lock
    for `seconds` (with `only_if_free`, only when none is held: True says this caller took
    it); `seconds_left` is the time left on a lock or counter (0 without one).
    """

    # What a call answers when neither store does (Redis and the database both down): nothing
    # counted, nothing locked; the login will most likely fail on the database anyway.
    UNAVAILABLE = {"add": 0, "count": 0, "lock": True, "seconds_left": 0.0}

    def __getattr__(self, name: str):
        def call(*args, **kwargs):
            try:
                return self._call(name, *args, **kwargs)
            except Exception as exc:
                logger.warning(
                    "login limit store unavailable (%s: %s); %s not counted",
                    type(exc).__name__,
                    exc,
                    args[0] if args else name,
                )
                return self.UNAVAILABLE.get(name)

        return call

    def _call(self, name: str, *args, **kwargs):
        store = counters()
        if isinstance(store, RedisCounters):
            if not REDIS_OUTAGE.skip():
                try:
                    result = getattr(RedisFailures(store.client), name)(*args, **kwargs)
                except Exception as exc:  # redis-py's ConnectionError, TimeoutError, …
                    REDIS_OUTAGE.failed(exc)
                else:
                    REDIS_OUTAGE.succeeded()
                    return result
            store = _fallback
        return getattr(store, name)(*args, **kwargs)


failures = Failures()


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
