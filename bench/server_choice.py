"""Which web server should `pazar serve` run? Measure gunicorn (sync, gthread) against granian.

Run by hand, not by the test suite:

    .venv/bin/python bench/server_choice.py       # about 25 minutes on a quiet machine
    .venv/bin/python bench/server_choice.py --duration 3 --rounds 1 --only gunicorn-sync

It makes a fresh data dir under /tmp (with a copy of src/ that the servers run, so edits during
the run do not mix versions), migrates it, loads the demo marketplace and takes a Seller Center
session token. Then for every server configuration it starts the server on a free loopback
port with the environment `pazar serve` gives it, waits for /health/, warms it up, loads it
with `wrk` for a bounded time at a few connection counts against two endpoints, and stops it
with SIGTERM, checking that every process of the server has exited. A run waits until other
processes leave the cores alone and is repeated if they took CPU during it. Each configuration
is measured in `--rounds` rounds (servers restarted each round, in turn); the summary shows
the median round. Results go to bench/results/server_choice.json.

Needs `wrk` (apt-get install wrk), granian and gunicorn (.venv/bin/pip install gunicorn).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "server_choice.json"
HOST = "127.0.0.1"
CORES = os.cpu_count() or 1
TRUSTED_PROXIES = "127.0.0.1,::1"  # settings.PAZAR_TRUSTED_PROXIES' default, as serve.py passes it

ENDPOINTS = {
    "languages": "/seller-center/api/i1/languages/",
    "health": "/health/?scope=web",
}

# wrk prints this JSON line when a run is done (latencies in microseconds).
WRK_SCRIPT = """
done = function(summary, latency, requests)
  io.write(string.format(
    '{"requests":%d,"duration_us":%d,"bytes":%d,"errors":{"connect":%d,"read":%d,' ..
    '"write":%d,"status":%d,"timeout":%d},"latency_us":{"mean":%.1f,"max":%d,' ..
    '"p50":%d,"p90":%d,"p99":%d}}\\n',
    summary.requests, summary.duration, summary.bytes,
    summary.errors.connect, summary.errors.read, summary.errors.write,
    summary.errors.status, summary.errors.timeout,
    latency.mean, latency.max,
    latency:percentile(50), latency:percentile(90), latency:percentile(99)))
end
"""


@dataclass(frozen=True)
class ServerConfig:
    name: str
    description: str
    server: str  # "gunicorn" or "granian"
    workers: int
    threads: int | None = None  # gthread threads / granian blocking threads (None: default)
    worker_class: str = "sync"

    def command(self, port: int) -> list[str]:
        if self.server == "gunicorn":
            # The flags serve.py gave gunicorn before it moved to granian, plus the worker class.
            command = [
                sys.executable, "-m", "gunicorn", "pazar.wsgi:application",
                "--bind", f"{HOST}:{port}",
                "--workers", str(self.workers),
                "--worker-class", self.worker_class,
                "--timeout", "60",
                "--graceful-timeout", "15",
                "--access-logfile", "-",
                "--forwarded-allow-ips", TRUSTED_PROXIES,
            ]  # fmt: skip
            if self.worker_class == "gthread":
                command += ["--threads", str(self.threads)]
            return command
        command = [
            sys.executable, "-m", "granian", "pazar.wsgi:application",
            "--interface", "wsgi",
            "--host", HOST,
            "--port", str(port),
            "--workers", str(self.workers),
            "--access-log",
            "--workers-kill-timeout", "15",
        ]  # fmt: skip
        if self.threads is not None:
            command += ["--blocking-threads", str(self.threads)]
        return command


def configurations() -> list[ServerConfig]:
    return [
        ServerConfig(
            "gunicorn-sync",
            f"gunicorn sync, {2 * CORES + 1} workers (2 x cores + 1)",
            "gunicorn",
            workers=2 * CORES + 1,
        ),
        ServerConfig(
            "gunicorn-gthread",
            f"gunicorn gthread, {CORES + 1} workers x 4 threads",
            "gunicorn",
            workers=CORES + 1,
            threads=4,
            worker_class="gthread",
        ),
        ServerConfig(
            "granian-wsgi",
            f"granian wsgi, {CORES} workers, default blocking threads",
            "granian",
            workers=CORES,
        ),
        *(
            ServerConfig(
                f"granian-wsgi-bt{threads}",
                f"granian wsgi, {CORES} workers x {threads} blocking threads",
                "granian",
                workers=CORES,
                threads=threads,
            )
            for threads in (2, 4, 8)
        ),
    ]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def pazar(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "-m", "pazar", *args], env=env, check=True, timeout=300)


def obtain_token(base: str) -> str:
    body = json.dumps({"email": "demo@example.com", "password": "demo"}).encode()
    request = urllib.request.Request(
        f"{base}/seller-center/api/i1/token/obtain/",
        data=body,
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)["access"]


def get_status(url: str, headers: dict[str, str] | None = None) -> int:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def process_tree(root: int) -> list[int]:
    """The pid `root` and all its descendants, from /proc."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        parents.setdefault(ppid, []).append(int(entry.name))
    tree, todo = [], [root]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo.extend(parents.get(pid, []))
    return tree


def cpu_seconds(pids: list[int]) -> float:
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime + stime
    return total / ticks


def rss_mib(pids: list[int]) -> float:
    total_kib = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total_kib += int(line.split()[1])
        except OSError:
            continue
    return round(total_kib / 1024, 1)


def alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def machine_busy_seconds() -> float:
    """CPU seconds all processes on the machine have used (all cores), from /proc/stat."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = fields[:8]
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def children_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def wait_until_quiet(server_pids, *, limit: float, max_wait: float) -> float:
    """Wait until other processes use under `limit` cores (they skew the figures).

    Returns the seconds waited; gives up after `max_wait` seconds.
    """
    started = time.monotonic()
    while True:
        busy, own = machine_busy_seconds(), cpu_seconds(server_pids())
        time.sleep(2)
        other = (machine_busy_seconds() - busy - (cpu_seconds(server_pids()) - own)) / 2
        waited = time.monotonic() - started
        if other < limit or waited >= max_wait:
            if other >= limit:
                print(f"    machine still busy ({other:.2f} cores); measuring anyway", flush=True)
            return round(waited, 1)
        print(f"    other processes use {other:.2f} cores; waiting", flush=True)
        time.sleep(5)


class Server:
    def __init__(self, config: ServerConfig, env: dict[str, str], log_dir: Path) -> None:
        self.config = config
        self.port = free_port()
        self.base = f"http://{HOST}:{self.port}"
        self.env = {**env, "PAZAR_HOST": HOST, "PAZAR_PORT": str(self.port)}
        self.log_path = log_dir / f"{config.name}-{self.port}.log"
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 60.0) -> None:
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                self.config.command(self.port),
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.config.name} exited; see {self.log_path}")
            try:
                if get_status(f"{self.base}/health/?scope=web") == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"{self.config.name} did not answer /health/ in {timeout:.0f}s")

    def pids(self) -> list[int]:
        return process_tree(self.process.pid) if self.process else []

    def stop(self, timeout: float = 30.0) -> dict:
        """SIGTERM the server; report how long it took and whether every process exited."""
        tree = self.pids()
        started = time.monotonic()
        self.process.send_signal(signal.SIGTERM)
        try:
            code = self.process.wait(timeout=timeout)
            clean = True
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            code = self.process.wait()
            clean = False
        # Workers are children of the server's main process; give them a moment to be reaped.
        deadline = time.monotonic() + 5
        while any(alive(pid) for pid in tree) and time.monotonic() < deadline:
            time.sleep(0.1)
        leftover = [pid for pid in tree if alive(pid)]
        if leftover:
            clean = False
            os.killpg(self.process.pid, signal.SIGKILL)
        return {
            "exit_code": code,
            "stop_seconds": round(time.monotonic() - started, 2),
            "clean": clean,
            "processes": len(tree),
            "leftover": leftover,
        }


def wrk(url: str, *, connections: int, duration: float, headers: dict[str, str], script: Path):
    command = [
        "wrk",
        f"--threads={min(2, connections)}",
        f"--connections={connections}",
        f"--duration={duration:g}s",
        "--timeout=10s",
        f"--script={script}",
    ]
    for name, value in headers.items():
        command += ["--header", f"{name}: {value}"]
    command.append(url)
    output = subprocess.run(
        command, capture_output=True, text=True, check=True, timeout=duration + 60
    ).stdout
    line = next(line for line in reversed(output.splitlines()) if line.startswith("{"))
    raw = json.loads(line)
    seconds = raw["duration_us"] / 1e6
    errors = sum(raw["errors"].values())
    return {
        "requests": raw["requests"],
        "requests_per_second": round(raw["requests"] / seconds, 1),
        "errors": raw["errors"],
        "error_total": errors,
        "latency_ms": {k: round(v / 1000, 2) for k, v in raw["latency_us"].items()},
    }


def measure_once(server, url_path, connections, headers, script, args) -> dict:
    """One wrk run on a quiet machine, repeated when other processes took CPU during it."""
    waited = 0.0
    for attempt in range(1, args.attempts + 1):
        waited += wait_until_quiet(server.pids, limit=args.quiet_cores, max_wait=args.max_wait)
        busy, own, load = machine_busy_seconds(), cpu_seconds(server.pids()), children_cpu_seconds()
        result = wrk(
            server.base + url_path,
            connections=connections,
            duration=args.duration,
            headers=headers,
            script=script,
        )
        server_cpu = cpu_seconds(server.pids()) - own
        wrk_cpu = children_cpu_seconds() - load
        other = (machine_busy_seconds() - busy - server_cpu - wrk_cpu) / args.duration
        result.update(
            server_cpu_seconds=round(server_cpu, 2),
            wrk_cpu_seconds=round(wrk_cpu, 2),
            other_processes_cores=round(max(0.0, other), 2),
            attempts=attempt,
            waited_for_quiet_seconds=waited,
        )
        if other < args.quiet_cores:
            break
        print(f"    other processes used {other:.2f} cores during the run; again", flush=True)
    return result


def measure(config, env, log_dir, args, token, script) -> dict:
    server = Server(config, env, log_dir)
    server.start()
    auth = {"Authorization": f"Token {token}"}
    headers = {"languages": auth, "health": {}}
    for name, path in ENDPOINTS.items():
        status = get_status(server.base + path, headers[name])
        if status != 200:
            server.stop()
            raise RuntimeError(f"{config.name}: GET {path} answered {status}")
    runs = []
    try:
        for name, path in ENDPOINTS.items():
            # Warm every worker (lazy imports, database connections) before measuring.
            wrk(
                server.base + path,
                connections=max(args.connections),
                duration=args.warmup,
                headers=headers[name],
                script=script,
            )
            for connections in args.connections:
                result = measure_once(server, path, connections, headers[name], script, args)
                result.update(endpoint=name, connections=connections)
                runs.append(result)
                print(
                    f"  {config.name:18} {name:9} c={connections:<3} "
                    f"{result['requests_per_second']:8.1f} req/s  "
                    f"p50 {result['latency_ms']['p50']:7.2f} ms  "
                    f"p99 {result['latency_ms']['p99']:7.2f} ms  "
                    f"errors {result['error_total']}",
                    flush=True,
                )
        rss = rss_mib(server.pids())
        processes = len(server.pids())
    finally:
        stopped = server.stop()
    if not stopped["clean"]:
        print(f"  {config.name}: did not stop cleanly: {stopped}", flush=True)
    return {"runs": runs, "rss_mib_after_load": rss, "processes": processes, "stop": stopped}


def summarize(config: ServerConfig, rounds: list[dict]) -> list[dict]:
    """Per endpoint and connection count: the round with the median requests/s."""
    rows = []
    for index, first in enumerate(rounds[0]["runs"]):
        samples = sorted((r["runs"][index] for r in rounds), key=lambda r: r["requests_per_second"])
        median = samples[(len(samples) - 1) // 2]
        rates = [s["requests_per_second"] for s in samples]
        spread = 100 * (max(rates) - min(rates)) / statistics.mean(rates)
        rows.append(
            {
                "config": config.name,
                "endpoint": first["endpoint"],
                "connections": first["connections"],
                "requests_per_second": median["requests_per_second"],
                "requests_per_second_rounds": rates,
                "spread_percent": round(spread, 1),
                "p50_ms": median["latency_ms"]["p50"],
                "p99_ms": median["latency_ms"]["p99"],
                "errors": median["error_total"],
                "other_processes_cores": median["other_processes_cores"],
                "requests_per_server_cpu_second": round(
                    median["requests"] / median["server_cpu_seconds"], 1
                )
                if median["server_cpu_seconds"]
                else None,
            }
        )
    return rows


def machine_info() -> dict:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = {}
    for package in ["Django", "djangorestframework", "gunicorn", "granian", "pazar"]:
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = None
    wrk_version = subprocess.run(["wrk", "--version"], capture_output=True, text=True)
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "src"], capture_output=True, text=True, cwd=ROOT
    )
    return {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "cores": CORES,
        "cpu_model": model,
        "memory_mib": os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE") // 2**20,
        "platform": platform.platform(),
        "python": platform.python_version(),
        "packages": versions,
        "wrk": (wrk_version.stdout or wrk_version.stderr).splitlines()[0],
        "git_commit": commit.stdout.strip() or None,
        "git_dirty": bool(dirty.stdout.strip()),
        "database": "SQLite (default settings, WAL)",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=15, help="Seconds per wrk run.")
    parser.add_argument("--warmup", type=float, default=3, help="Warm-up seconds per endpoint.")
    parser.add_argument("--connections", type=int, nargs="+", default=[8, 32])
    parser.add_argument("--rounds", type=int, default=3, help="Rounds per configuration.")
    parser.add_argument("--only", nargs="+", help="Configuration names to run.")
    parser.add_argument(
        "--quiet-cores",
        type=float,
        default=0.15,
        help="Before and during a run, other processes may use at most this many cores.",
    )
    parser.add_argument("--max-wait", type=float, default=600, help="Seconds to wait for quiet.")
    parser.add_argument("--attempts", type=int, default=3, help="Tries per run if disturbed.")
    parser.add_argument("--output", type=Path, default=RESULTS)
    parser.add_argument("--keep", action="store_true", help="Keep the data dir under /tmp.")
    args = parser.parse_args()

    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get update && apt-get install -y wrk")
    configs = [c for c in configurations() if not args.only or c.name in args.only]
    for server in sorted({c.server for c in configs}):
        try:
            metadata.version(server)
        except metadata.PackageNotFoundError:
            sys.exit(f"{server} is missing: .venv/bin/pip install {server}")

    data_dir = Path(tempfile.mkdtemp(prefix="pazar-server-choice-"))
    # Run a copy of the source, so that edits made during the run do not mix versions.
    source = data_dir / "src"
    shutil.copytree(ROOT / "src", source, ignore=shutil.ignore_patterns("__pycache__"))
    env = {
        **os.environ,
        "PYTHONPATH": str(source),
        "PAZAR_DATA_DIR": str(data_dir),
        "PAZAR_RATE_LIMITS": "off",
        "DJANGO_SETTINGS_MODULE": "pazar.settings",
    }
    for name in ["DATABASE_URL", "REDIS_URL", "PAZAR_PUBLIC_URL", "PAZAR_REQUIRE_HTTPS"]:
        env.pop(name, None)
    print(f"Data dir {data_dir}: migrate, demo", flush=True)
    pazar(env, "migrate", "--verbosity=0")
    pazar(env, "createcachetable", "--verbosity=0")
    pazar(env, "demo")
    log_dir = data_dir / "logs"
    log_dir.mkdir()
    script = data_dir / "report.lua"
    script.write_text(WRK_SCRIPT)

    # One session token, taken from a short-lived server, used for every configuration.
    token_server = Server(configurations()[0], env, log_dir)
    token_server.start()
    try:
        token = obtain_token(token_server.base)
    finally:
        token_server.stop()

    results: dict[str, list[dict]] = {c.name: [] for c in configs}
    try:
        for round_number in range(1, args.rounds + 1):
            for config in configs:
                print(f"Round {round_number}/{args.rounds}: {config.description}", flush=True)
                results[config.name].append(measure(config, env, log_dir, args, token, script))
    except BaseException:
        print(f"Failed; the data dir and server logs are kept in {data_dir}", flush=True)
        raise
    if not args.keep:
        shutil.rmtree(data_dir, ignore_errors=True)

    table = [row for c in configs for row in summarize(c, results[c.name])]
    report = {
        "machine": machine_info(),
        "method": {
            "duration_seconds": args.duration,
            "warmup_seconds": args.warmup,
            "connections": args.connections,
            "rounds": args.rounds,
            "quiet_cores": args.quiet_cores,
            "wrk_threads": "min(2, connections)",
            "endpoints": {
                "languages": f"GET {ENDPOINTS['languages']} with Authorization: Token <session>",
                "health": f"GET {ENDPOINTS['health']}",
            },
            "server_env": "PAZAR_RATE_LIMITS=off, PAZAR_HOST/PAZAR_PORT as serve.py sets them",
            "notes": "wrk and the server share the machine's cores; no task worker runs. "
            "A run starts only when other processes use under quiet_cores cores, and is "
            "repeated (up to --attempts) if they used more during it. "
            "The summary row is the round with the median requests/s.",
        },
        "configurations": {
            c.name: {"description": c.description, "command": c.command(0)[1:]} for c in configs
        },
        "summary": table,
        "rounds": results,
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2) + "\n")

    print(f"\n{'config':18} {'endpoint':9} {'conn':>4} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8}")
    for row in table:
        print(
            f"{row['config']:18} {row['endpoint']:9} {row['connections']:>4} "
            f"{row['requests_per_second']:>8.1f} {row['p50_ms']:>8.2f} {row['p99_ms']:>8.2f}"
        )
    print(f"Wrote {args.output}")


if __name__ == "__main__":
    main()
