"""A private PostgreSQL cluster and Redis server for the fault scripts, never the shared ones.

The fault scripts stop, restart and pause these servers; they run on their own ports
(55432 and 56379 by default) with their data in a temporary directory that is removed at the end.
PostgreSQL refuses to run as root, so as root its commands run as the `postgres` user.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

PG_BIN = Path(os.environ.get("PAZAR_FAULTS_PG_BIN", "/usr/lib/postgresql/15/bin"))


def port_free(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) != 0


def _as_postgres(args: list[str], **kwargs) -> subprocess.CompletedProcess:
    if os.geteuid() == 0:
        args = ["runuser", "-u", "postgres", "--", *args]
    return subprocess.run(args, check=True, capture_output=True, text=True, **kwargs)


class PrivatePostgres:
    def __init__(self, base: Path, port: int = 55432) -> None:
        self.base, self.port = base / "postgres", port
        self.data = self.base / "data"
        self.logfile = self.base / "server.log"

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def init(self) -> None:
        if not port_free(self.port):
            raise SystemExit(f"port {self.port} is taken; choose another with --pg-port")
        self.base.mkdir(parents=True)
        if os.geteuid() == 0:
            shutil.chown(self.base, "postgres", "postgres")
        _as_postgres([str(PG_BIN / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres",
                      "--no-sync", "-E", "UTF8"])  # fmt: skip
        with (self.data / "postgresql.conf").open("a") as conf:
            conf.write(
                f"\nport = {self.port}\nlisten_addresses = '127.0.0.1'\n"
                f"unix_socket_directories = '{self.base}'\nmax_connections = 100\n"
                "shared_buffers = 64MB\nfsync = on\n"
            )

    def ctl(self, *args: str, timeout: float = 60) -> None:
        _as_postgres(
            [str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.logfile), "-w", *args],
            timeout=timeout,
        )

    def start(self) -> None:
        self.ctl("start")

    def stop(self, mode: str = "fast") -> None:
        self.ctl("stop", "-m", mode)

    def restart(self, mode: str = "fast") -> None:
        self.ctl("restart", "-m", mode)

    def running(self) -> bool:
        return (self.data / "postmaster.pid").exists()


class PrivateRedis:
    def __init__(self, base: Path, port: int = 56379) -> None:
        self.base, self.port = base / "redis", port
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        if not port_free(self.port):
            raise SystemExit(f"port {self.port} is taken; choose another with --redis-port")
        self.base.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.base)],
            stdout=(self.base / "server.log").open("ab"), stderr=subprocess.STDOUT,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while port_free(self.port):
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise RuntimeError("redis-server did not start")
            time.sleep(0.05)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGCONT)
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None

    def pause(self) -> None:
        """The server hangs: connections stay open, nothing is answered."""
        self.process.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        self.process.send_signal(signal.SIGCONT)


class PrivateServices:
    """Both servers in a temporary directory, stopped and removed on exit."""

    def __init__(self, *, pg_port: int = 55432, redis_port: int | None = None) -> None:
        self.base = Path(tempfile.mkdtemp(prefix="pazar-faults-"))
        os.chmod(self.base, 0o755)
        self.postgres = PrivatePostgres(self.base, pg_port)
        self.redis = PrivateRedis(self.base, redis_port) if redis_port else None

    def __enter__(self) -> PrivateServices:
        self.postgres.init()
        self.postgres.start()
        if self.redis:
            self.redis.start()
        return self

    def __exit__(self, *exc) -> None:
        logs = self.base / "logs"
        if logs.exists():  # kept for reading after the run
            self.kept_logs = Path(tempfile.mkdtemp(prefix="pazar-faults-logs-"))
            shutil.copytree(logs, self.kept_logs, dirs_exist_ok=True)
            print(f"logs kept in {self.kept_logs}")
        if self.redis:
            self.redis.stop()
        if self.postgres.running():
            with contextlib.suppress(subprocess.SubprocessError):
                self.postgres.stop("immediate")
        shutil.rmtree(self.base, ignore_errors=True)
