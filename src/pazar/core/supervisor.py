"""`pazar serve`'s process supervision: the web server and one task worker as child processes.

The web server (granian) supervises its own request workers; this keeps the task worker
running (restarting it with back-off if it dies, after releasing what the dead one held, so its
batch is taken over at once) and stops everything on SIGINT/SIGTERM.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Child:
    name: str
    command: list[str]
    env: dict[str, str]
    restart: bool
    process: subprocess.Popen | None = None
    failures: int = 0
    next_start: float = 0.0
    started_at: float = field(default=0.0)
    # Called with the pid of the child once it has ended unexpectedly, before it is restarted.
    on_exit: Callable[[int], None] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(self.command, env=self.env, preexec_fn=_die_with_parent)  # noqa: S603 - our own commands
        self.started_at = time.monotonic()

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None


class Supervisor:
    def __init__(self, children: list[Child], *, log=print, stop_timeout: float = 20.0) -> None:
        self.children = children
        self.log = log
        self.stop_timeout = stop_timeout
        self.stopping = False

    def _on_signal(self, signum, frame) -> None:
        self.stopping = True

    def run(self) -> int:
        signal.signal(signal.SIGINT, self._on_signal)
        signal.signal(signal.SIGTERM, self._on_signal)
        for child in self.children:
            child.start()
        exit_code = 0
        while not self.stopping:
            for child in self.children:
                if child.process is None:
                    if time.monotonic() >= child.next_start:
                        child.start()
                    continue
                code = child.process.poll()
                if code is None:
                    if time.monotonic() - child.started_at > 60:
                        child.failures = 0
                    continue
                if not child.restart:
                    self.log(f"{child.name} exited with code {code}; stopping.")
                    self.stopping = True
                    exit_code = code or 1
                    break
                if child.on_exit is not None:
                    try:
                        child.on_exit(child.process.pid)
                    except Exception as exc:  # the child is restarted all the same
                        self.log(f"{child.name}: releasing what it held failed: {exc!r}")
                child.failures += 1
                delay = min(30.0, 2.0 ** (child.failures - 1))
                self.log(f"{child.name} exited with code {code}; restarting in {delay:.0f}s.")
                child.process = None
                child.next_start = time.monotonic() + delay
            time.sleep(0.2)
        self.stop()
        return exit_code

    def stop(self) -> None:
        for child in self.children:
            if child.running():
                child.process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + self.stop_timeout
        for child in self.children:
            if child.process is None:
                continue
            try:
                child.process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                self.log(f"{child.name} did not stop in time; killing it.")
                child.process.kill()
                child.process.wait()


def _die_with_parent() -> None:
    """In the child, before exec: on Linux, get SIGTERM if the supervisor dies, even by SIGKILL."""
    if sys.platform.startswith("linux"):
        import ctypes

        PR_SET_PDEATHSIG = 1
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def python_command(*args: str) -> list[str]:
    return [sys.executable, *args]
