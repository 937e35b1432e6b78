"""Django's Redis cache, answering as an empty cache while Redis is down.

Pazar's cache only holds what can be computed again (PRD102's counts), so a Redis outage must
cost neither errors nor time: after a failure, reads miss and writes are dropped for a few
seconds without touching Redis, and the outage is logged once (pazar.core.outage). With the
socket timeouts of settings.CACHES, a Redis that hangs costs one request at most that long
every few seconds.
"""

from __future__ import annotations

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache

from pazar.core.outage import Outage

CACHE_OUTAGE = Outage("Redis (cache)", fallback="the cache misses and stores nothing")

MISS = object()
READS = {"get": "default", "get_many": {}, "has_key": False, "get_or_set": MISS}
WRITES = ["set", "add", "touch", "delete", "set_many", "delete_many", "incr", "decr", "clear"]


def _guarded(name: str, when_down):
    method = getattr(DjangoRedisCache, name)

    def call(self, *args, **kwargs):
        if CACHE_OUTAGE.skip():
            return _down_answer(name, when_down, args, kwargs)
        try:
            result = method(self, *args, **kwargs)
        except Exception as exc:  # redis-py's ConnectionError, TimeoutError, …
            CACHE_OUTAGE.failed(exc)
            return _down_answer(name, when_down, args, kwargs)
        CACHE_OUTAGE.succeeded()
        return result

    call.__name__ = name
    return call


def _down_answer(name, when_down, args, kwargs):
    if when_down == "default":  # get(key, default=None)
        return kwargs.get("default", args[1] if len(args) > 1 else None)
    if when_down is MISS:  # get_or_set(key, default): compute, store nothing
        default = kwargs.get("default", args[1] if len(args) > 1 else None)
        return default() if callable(default) else default
    if name in {"incr", "decr"}:
        raise ValueError("The cache is unavailable.")
    return when_down


class RedisCache(DjangoRedisCache):
    pass


for _name, _down in [*READS.items(), *((name, False) for name in WRITES)]:
    setattr(RedisCache, _name, _guarded(_name, _down))
