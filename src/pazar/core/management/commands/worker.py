import os
import socket

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils.crypto import get_random_string

from pazar.core.heartbeat import Heartbeat


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
            default=10.0,
            help="Seconds between heartbeats and housekeeping.",
        )

    def handle(self, *args, queue_name, interval, **options):
        worker_id = f"{socket.gethostname()[:32]}-{os.getpid()}-{get_random_string(6)}"
        heartbeat = Heartbeat(worker_id, every=options["heartbeat"])
        heartbeat.beat()
        heartbeat.start()
        self.stdout.write(f"Worker {worker_id} serving queues {queue_name!r}.")
        try:
            call_command(
                "db_worker",
                queue_name=queue_name,
                interval=interval,
                worker_id=worker_id,
                reload=False,
                verbosity=options["verbosity"],
            )
        finally:
            heartbeat.stop()
