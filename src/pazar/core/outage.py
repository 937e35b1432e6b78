"""Remembering that a backing service (Redis) is down, so that callers skip it for a while
instead of waiting on its timeout in every request, and so that the outage is logged once
when it starts and once when it ends rather than on every request."""

from __future__ import annotations

import logging
import threading
import time

logger = logging.getLogger("pazar.outage")


class Outage:
    """The state of one backing service in this process.

    `skip()` is True for `retry_after` seconds after a failure; then one caller tries again.
    """

    def __init__(self, what: str, *, fallback: str, retry_after: float = 5.0) -> None:
        self.what, self.fallback, self.retry_after = what, fallback, retry_after
        self._lock = threading.Lock()
        self.down_since: float | None = None
        self._retry_at = 0.0
        self.skipped = 0

    def skip(self) -> bool:
        with self._lock:
            if self.down_since is None or time.monotonic() >= self._retry_at:
                return False
            self.skipped += 1
            return True

    def failed(self, exc: BaseException) -> None:
        now = time.monotonic()
        with self._lock:
            self._retry_at = now + self.retry_after
            if self.down_since is not None:
                return
            self.down_since, self.skipped = now, 0
        logger.error(
            "%s unavailable (%s: %s); %s until it answers again (retried every %.0f s)",
            self.what,
            exc.__class__.__name__,
            exc,
            self.fallback,
            self.retry_after,
            extra={"service": self.what, "outage": "started"},
        )

    def succeeded(self) -> None:
        if self.down_since is None:  # the common case, without taking the lock
            return
        with self._lock:
            if self.down_since is None:
                return
            lasted, skipped = time.monotonic() - self.down_since, self.skipped
            self.down_since = None
        logger.warning(
            "%s answers again after %.1f s (%s requests used the fallback without trying it)",
            self.what,
            lasted,
            skipped,
            extra={"service": self.what, "outage": "ended", "outage_seconds": round(lasted, 1)},
        )

    def reset(self) -> None:
        with self._lock:
            self.down_since, self._retry_at, self.skipped = None, 0.0, 0
