import json
import os
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from pazar.core.config import env_bool, is_loopback_host
from pazar.core.heartbeat import worker_gone
from pazar.core.supervisor import Child, Supervisor, python_command

SITES = [
    ("Omnitron", "omnitron"),
    ("Seller Center", "seller-center"),
    ("Whippy Ware", "whippy-ware"),
]


# Measured in docs/performance.md ("Web server choice"): granian's WSGI interface with one
# worker process per core and 4 request threads per worker.
WEB_THREADS = 4


def default_web_workers() -> int:
    return os.cpu_count() or 1


def metrics_dir() -> Path:
    """The directory where every child process keeps its Prometheus samples, emptied first:
    prometheus-client's multiprocess mode (pazar.core.metrics) would otherwise add the samples
    of a previous run to this one's.
    """
    path = Path(os.environ.get("PROMETHEUS_MULTIPROC_DIR") or settings.DATA_DIR / "metrics")
    path.mkdir(parents=True, exist_ok=True)
    for stale in path.glob("*.db"):
        stale.unlink()
    return path


def granian_log_options() -> list[str]:
    """With PAZAR_LOG_FORMAT=json, granian's own lines are JSON objects like everyone else's."""
    if settings.PAZAR_LOG_FORMAT != "json":
        return []
    path = settings.DATA_DIR / "granian-logging.json"
    formatter = {"()": "pazar.core.logs.JsonFormatter"}
    handler = {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stdout"}
    path.write_text(
        json.dumps(
            {
                "formatters": {"json": formatter},
                "handlers": {"console": handler},
                "loggers": {"_granian": {"handlers": ["console"], "propagate": False}},
            }
        )
    )
    return ["--log-config", str(path)]


def tls_options(certificate: str, keyfile: str) -> list[str]:
    """granian's own TLS options for a certificate and key, both given or neither."""
    if not certificate and not keyfile:
        return []
    if not certificate or not keyfile:
        raise CommandError("HTTPS needs both a certificate (--certificate) and a key (--keyfile).")
    for path in (certificate, keyfile):
        if not Path(path).is_file():
            raise CommandError(f"{path}: no such file.")
    # TLS 1.2 as the floor: granian's default (1.3 only) turns away older HTTP clients.
    return [
        "--ssl-certificate", str(Path(certificate).resolve()),
        "--ssl-keyfile", str(Path(keyfile).resolve()),
        "--ssl-protocol-min", "tls1.2",
    ]  # fmt: skip


class Command(BaseCommand):
    help = "Migrate, then serve the three API sites (granian) with a background task worker."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("PAZAR_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PAZAR_PORT", "8000")))
        parser.add_argument(
            "--workers",
            type=int,
            default=int(os.environ.get("PAZAR_WEB_WORKERS", "0")) or default_web_workers(),
            help=f"Web server processes, {WEB_THREADS} request threads each (default: one per core).",
        )
        parser.add_argument("--no-worker", action="store_true", help="Do not start a task worker.")
        parser.add_argument(
            "--certificate",
            default=os.environ.get("PAZAR_TLS_CERTIFICATE", ""),
            help="PEM certificate (chain) file: serve HTTPS with it and --keyfile.",
        )
        parser.add_argument(
            "--keyfile",
            default=os.environ.get("PAZAR_TLS_KEYFILE", ""),
            help="PEM private key of the certificate (PKCS#8, unencrypted).",
        )

    def handle(self, *args, host, port, workers, no_worker, certificate, keyfile, **options):
        tls = tls_options(certificate, keyfile)
        call_command("migrate", interactive=False, verbosity=0)
        if settings.CACHES["default"]["BACKEND"].endswith("DatabaseCache"):
            call_command("createcachetable", verbosity=0)

        env = {
            **os.environ,
            "PAZAR_HOST": host,
            "PAZAR_PORT": str(port),
            "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir()),
        }
        # X-Forwarded-* from PAZAR_TRUSTED_PROXIES is applied by TrustedProxyMiddleware.
        web = Child(
            name="web server",
            command=python_command(
                "-m", "granian", "pazar.wsgi:application",
                "--interface", "wsgi",
                "--host", host,
                "--port", str(port),
                "--workers", str(workers),
                "--blocking-threads", str(WEB_THREADS),
                "--respawn-failed-workers",
                "--workers-kill-timeout", "15",
                "--no-ws",
                # Requests are logged by pazar.core.middleware, with their request id.
                "--no-access-log",
                *granian_log_options(),
                *tls,
            ),
            env=env,
            restart=False,
        )  # fmt: skip
        children = [web]
        if not no_worker:
            children.append(
                Child(
                    name="task worker",
                    command=python_command("-m", "pazar", "worker"),
                    env=env,
                    restart=True,
                    on_exit=lambda pid: worker_gone(pid=pid),
                )
            )

        self.banner(host, port, workers, with_worker=not no_worker, https=bool(tls))
        raise SystemExit(Supervisor(children, log=self.stdout.write).run())

    def banner(self, host: str, port: int, workers: int, *, with_worker: bool, https: bool) -> None:
        shown = f"[{host}]" if ":" in host else host
        scheme = "https" if https else "http"
        origin = settings.PAZAR_PUBLIC_URL or f"{scheme}://{shown}:{port}"
        out = self.stdout.write
        out(
            self.style.SUCCESS(
                f"Pazar is serving on {host}:{port} with {workers} web workers"
                f"{' and a task worker' if with_worker else ''}."
            )
        )
        for title, prefix in SITES:
            out(f"  {title + ':':15} {origin}/{prefix}/    docs: {origin}/{prefix}/api/docs/")
        out(f"  {'Health:':15} {origin}/health/")
        if https:
            out("Serving HTTPS with the given certificate.")
        elif env_bool("PAZAR_REQUIRE_HTTPS", not is_loopback_host(host)):
            out(
                "HTTPS is required: plain HTTP requests are redirected to https:// (PAZAR_REQUIRE_HTTPS=0 to serve HTTP)."
            )
        elif is_loopback_host(host):
            out("Serving plain HTTP because the server only listens on a loopback address.")
        else:
            out(
                self.style.WARNING(
                    "Serving plain HTTP on a public address (PAZAR_REQUIRE_HTTPS=0)."
                )
            )
        out("Press Ctrl-C to stop.")
