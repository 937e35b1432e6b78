"""A worker process reports that it is alive every few seconds (read by /health/) and does
the periodic housekeeping, such as taking over batches whose worker died; its keeper thread
renews the leases it holds while their work makes progress, and gives up those that stalled."""

from __future__ import annotations

import logging
import os
import threading
import time
from contextlib import contextmanager

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connection
from django.utils import timezone
from django.utils.module_loading import import_string

from pazar.core import services

logger = logging.getLogger(__name__)


class Heartbeat(threading.Thread):
    def __init__(self, worker_id: str, every: float = 2.0) -> None:
        super().__init__(name="pazar-heartbeat", daemon=True)
        self.worker_id = worker_id
        self.every = every
        self.started = timezone.now()
        self._stop_event = threading.Event()

    def beat(self) -> None:
        services.worker_heartbeat_beat(worker_id=self.worker_id, started=self.started)

    def periodic(self) -> None:
        """The housekeeping every worker shares (settings.PAZAR_WORKER_PERIODIC)."""
        for path in settings.PAZAR_WORKER_PERIODIC:
            try:
                import_string(path)()
            except Exception:
                logger.exception("periodic job %s failed", path)

    def run(self) -> None:
        while not self._stop_event.is_set():
            try:
                close_old_connections()
                self.beat()
            except DatabaseError:
                logger.warning("worker heartbeat could not be written", exc_info=True)
            self.periodic()
            self._stop_event.wait(self.every)
        connection.close()

    def stop(self) -> None:
        self._stop_event.set()
        self.join(timeout=5)
        try:
            services.worker_heartbeat_remove(worker_id=self.worker_id)
        except DatabaseError:
            logger.warning("worker heartbeat could not be removed", exc_info=True)


# --- what a worker holds: leases renewed while the work makes progress -----------------------


class Hold:
    """One thing this process holds while it works on it (a batch's lease), renewed by the
    keeper thread for as long as the work makes progress.

    Progress is a database statement of the holding thread finishing, or one running (a
    statement waiting on a lock is waiting, not hung). `renew()` returns True when renewed,
    False when the hold was lost (another process took it over), None when it could not tell
    (the database was busy). While `protected()`, the holder's own transaction guards the
    thing (a row lock, SQLite's write lock), so it is not renewed, only watched.
    """

    def __init__(self, name: str, *, renew, every: float, stall_after: float) -> None:
        self.name = name
        self.renew = renew
        self.every = every
        self.stall_after = stall_after
        self.last_progress = self.started = time.monotonic()
        self.next_renewal = self.started + every
        self.running = 0
        self.shielded = 0
        self.lost = self.stalled = False

    def watch(self, execute, sql, params, many, context):
        """A `connection.execute_wrapper`: every statement is progress."""
        self.running += 1
        try:
            return execute(sql, params, many, context)
        finally:
            self.running -= 1
            self.last_progress = time.monotonic()

    def stalled_for(self, now: float) -> float:
        return 0.0 if self.running else now - self.last_progress

    @contextmanager
    def protected(self):
        self.shielded += 1
        try:
            yield
        finally:
            self.shielded -= 1


class Keeper(threading.Thread):
    """The thread that renews every hold of this process, and gives up those that stalled.

    A stalled hold is no longer renewed, so its lease runs out and another worker takes the
    work over; with `exit_on_stall` (set by `pazar worker`) the process also exits, because a
    hung thread may sit inside a transaction whose locks only the end of the process releases.
    The supervisor or service manager starts a fresh worker.
    """

    tick = 0.25

    def __init__(self) -> None:
        super().__init__(name="pazar-lease-keeper", daemon=True)
        self.holds: set[Hold] = set()
        self.lock = threading.Lock()
        self.exit_on_stall = False

    def add(self, hold: Hold) -> None:
        with self.lock:
            self.holds.add(hold)

    def remove(self, hold: Hold) -> None:
        with self.lock:
            self.holds.discard(hold)

    def run(self) -> None:
        while True:
            time.sleep(self.tick)
            with self.lock:
                holds = [h for h in self.holds if not h.stalled]
            for hold in holds:
                try:
                    self.keep(hold)
                except Exception:
                    logger.exception("could not keep %s", hold.name)
                    close_old_connections()

    def keep(self, hold: Hold) -> None:
        now = time.monotonic()
        idle = hold.stalled_for(now)
        if idle >= hold.stall_after:
            hold.stalled = True
            logger.error(
                "%s made no progress for %.0f s; it is given up%s",
                hold.name,
                idle,
                " and the worker exits" if self.exit_on_stall else "",
                extra={"stalled_seconds": round(idle, 3)},
            )
            if self.exit_on_stall:
                for handler in logging.getLogger().handlers:
                    handler.flush()
                os._exit(EXIT_STALLED)
            return
        if hold.lost or hold.shielded or now < hold.next_renewal:
            return
        try:
            renewed = hold.renew()
        except DatabaseError:
            logger.warning("%s could not be renewed", hold.name, exc_info=True)
            close_old_connections()
            hold.next_renewal = now + min(1.0, hold.every)
            return
        if renewed is False:
            hold.lost = True
            logger.warning("%s was taken over by another worker", hold.name)
        elif renewed:
            hold.next_renewal = now + hold.every
        else:  # the database was busy: try again shortly
            hold.next_renewal = now + min(1.0, hold.every)


EXIT_STALLED = 75
_keeper: Keeper | None = None
_keeper_lock = threading.Lock()


def keeper() -> Keeper:
    global _keeper
    with _keeper_lock:
        if _keeper is None or not _keeper.is_alive():
            exit_on_stall = _keeper.exit_on_stall if _keeper else False
            _keeper = Keeper()
            _keeper.exit_on_stall = exit_on_stall
            _keeper.start()
        return _keeper


@contextmanager
def holding(name: str, *, renew, every: float, stall_after: float):
    """Hold something for the calling thread's work (see `Hold`); the keeper renews it."""
    hold = Hold(name, renew=renew, every=every, stall_after=stall_after)
    kept = keeper()
    kept.add(hold)
    try:
        with connection.execute_wrapper(hold.watch):
            yield hold
    finally:
        kept.remove(hold)


def worker_gone(*, pid: int) -> None:
    """A worker process of this machine has ended: release what it held at once
    (settings.PAZAR_WORKER_GONE, given its pid) instead of waiting for its leases to run out."""
    try:
        services.worker_heartbeat_remove_process(pid=pid)
    except DatabaseError:
        logger.warning("the heartbeat of worker %s could not be removed", pid, exc_info=True)
    for path in settings.PAZAR_WORKER_GONE:
        try:
            import_string(path)(pid=pid)
        except Exception:
            logger.exception("%s failed for worker %s", path, pid)
    connection.close()
