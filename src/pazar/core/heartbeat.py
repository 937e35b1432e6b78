"""A worker process reports that it is alive every few seconds (read by /health/) and does
the periodic housekeeping, such as taking over batches whose worker died."""

from __future__ import annotations

import logging
import threading

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connection
from django.utils import timezone
from django.utils.module_loading import import_string

from pazar.core import services

logger = logging.getLogger(__name__)


class Heartbeat(threading.Thread):
    def __init__(self, worker_id: str, every: float = 10.0) -> None:
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
