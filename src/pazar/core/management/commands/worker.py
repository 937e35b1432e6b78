import logging
import os
import socket
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import InterfaceError, OperationalError, connections
from django.utils.crypto import get_random_string

from pazar.core.heartbeat import Heartbeat, keeper

logger = logging.getLogger("pazar.worker")


class Command(BaseCommand):
    help = "Run a background task worker (run several, on several machines, to scale out)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--queue-name", default="*", help="Queues to serve, comma-separated; * for all."
        )
        parser.add_argument(
            "--interval", type=float, default=0.2, help="Seconds between polls when idle."
        )
        parser.add_argument(
            "--heartbeat",
            type=float,
            default=2.0,
            help="Seconds between heartbeats and housekeeping (taking over batches whose lease ran out).",
        )

    def handle(self, *args, queue_name, interval, **options):
        worker_id = f"{socket.gethostname()[:32]}-{os.getpid()}-{get_random_string(6)}"
        # A batch that makes no progress ends the process: a hung thread may hold locks in an
        # open transaction, which only the end of the process releases (pazar.core.heartbeat).
        keeper().exit_on_stall = True
        heartbeat = Heartbeat(worker_id, every=options["heartbeat"])
        heartbeat.beat()
        heartbeat.start()
        self.stdout.write(f"Worker {worker_id} serving queues {queue_name!r}.")
        try:
            serve_tasks_until_stopped(
                queue_name=queue_name,
                interval=interval,
                worker_id=worker_id,
                verbosity=options["verbosity"],
            )
        finally:
            heartbeat.stop()


def serve_tasks_until_stopped(*, queue_name, interval, worker_id, verbosity) -> None:
    """django-tasks-db's worker loop, started again whenever the database drops away under it.

    Its loop ends with an exception when the database stops answering (a restart, a failover,
    a cut connection). The worker waits, with a growing pause, and serves again once the
    database is back, so it recovers without a process manager. A task whose end could not be
    recorded stays claimed; batches are taken over by `batch_recover` once their lease ends.
    """
    pause = 0.0
    while True:
        started = time.monotonic()
        try:
            call_command(
                "db_worker",
                queue_name=queue_name,
                interval=interval,
                worker_id=worker_id,
                reload=False,
                verbosity=verbosity,
            )
            return
        except (OperationalError, InterfaceError) as exc:
            pause = 1.0 if time.monotonic() - started > 60 else min(max(pause * 2, 1.0), 30.0)
            logger.warning(
                "database unavailable (%s: %s); the worker serves again in %.0f s",
                exc.__class__.__name__,
                str(exc).strip().splitlines()[0] if str(exc).strip() else "",
                pause,
            )
            connections.close_all()
            time.sleep(pause)
