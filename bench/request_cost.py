"""The fixed cost of an API request in process: CPU per request through the WSGI application.

    .venv/bin/python bench/request_cost.py --database postgres --redis redis://127.0.0.1:6379/8
    .venv/bin/python bench/request_cost.py --tree /tmp/before --label before  # another checkout
    .venv/bin/python bench/request_cost.py --rate-limits on --profile /tmp/cost.prof

Each request is a WSGI environ handed to `pazar.wsgi.application` as granian hands it (the whole
middleware chain, DRF's authentication, throttles, negotiation and renderer; no web server, no
test client), against a throwaway database: PostgreSQL (`PAZAR_BENCH_DATABASE_URL`, default
pazar_reqcost_bench, dropped and created afresh) or a SQLite file; with `--redis` the rate
limits' counters go to that Redis database (flushed first) as in production. The endpoints
are the cheapest ones with a token, so what is measured is mostly what every call pays:

- `omnitron-country`: `GET /omnitron/api/v1/countries/{pk}/` with a superuser's `Token`
- `omnitron-country-staff`: the same with an operator who is not a superuser, holding
  `geography.view_country` through a group (so the model permissions are read)
- `seller-languages`: `GET /seller-center/api/i1/languages/` with a seller's access token
- `omnitron-404`: `POST /omnitron/api/i1/orders/0/cancel/` with a JSON body (a 404 after
  authentication, the cancel's route and parser without its work)

CPU is `time.process_time()` around each request, in `--rounds` rounds that alternate the
endpoints; the median of each endpoint over every request is printed as one JSON line, with the
statements each request ran. `--profile` writes a cProfile (CPU time) of one more pass.

`--http TREE [TREE ...]` measures over HTTP instead: on the same database and data, each tree's
`pazar serve --no-worker --workers 1` (granian, as in production) is started in turn, round
after round, and one client on a kept-alive connection sends the requests one at a time; per
endpoint, the median latency the client saw and the server's CPU per request (every process
of the server, from /proc).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="postgres")
    parser.add_argument("--redis", default="", help="REDIS_URL for the rate limits' counters")
    parser.add_argument("--rate-limits", choices=["on", "off"], default="off")
    parser.add_argument("--requests", type=int, default=500, help="per endpoint per round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--tree", type=Path, default=ROOT, help="the checkout to measure")
    parser.add_argument("--label", default="")
    parser.add_argument("--profile", type=Path)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--http", type=Path, nargs="+", help="trees to serve over HTTP in turn")
    return parser.parse_args()


def setup(args: argparse.Namespace):
    tree = args.tree.resolve()
    sys.path[:0] = [str(tree / "src"), str(tree), str(ROOT / "bench")]
    os.environ.update(
        {
            "PAZAR_DATA_DIR": tempfile.mkdtemp(prefix="pazar-reqcost-"),
            "DJANGO_SETTINGS_MODULE": "pazar.settings",
            # On: production's limits, and one on `languages` (unlimited by default) far above
            # what is sent, so that its counter is kept and its headers sent on every request.
            "PAZAR_RATE_LIMITS": "off" if args.rate_limits == "off" else "languages=1000000000/min",
        }
    )
    os.environ.pop("REDIS_URL", None)
    os.environ.pop("DATABASE_URL", None)
    if args.redis:
        import redis

        redis.Redis.from_url(args.redis).flushdb()
        os.environ["REDIS_URL"] = args.redis
    if args.database == "postgres":
        from cluster import fresh_database

        default = "postgres://postgres@127.0.0.1:5432/pazar_reqcost_bench"
        os.environ["DATABASE_URL"] = fresh_database(
            os.environ.get("PAZAR_BENCH_DATABASE_URL", default)
        )
    import django

    django.setup()
    import pazar

    assert Path(pazar.__file__).resolve().is_relative_to(tree), pazar.__file__
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from django.contrib.auth.models import Group, Permission
    from tests.factories import (
        LanguageFactory,
        OperatorFactory,
        SellerMembershipFactory,
        operator_token,
        seller_token,
        staff_with_perms,
    )

    from pazar.geography.models import Country

    country = Country.objects.create(name="Türkiye", code="TR")
    LanguageFactory()
    LanguageFactory(code="tr-tr", name="Türkçe")
    operator = operator_token(OperatorFactory(is_superuser=True))
    staff = staff_with_perms("orders.view_order")
    group = Group.objects.create(name="geography readers")
    group.permissions.add(Permission.objects.get(codename="view_country"))
    staff.groups.add(group)
    _, seller = seller_token(SellerMembershipFactory())
    return {
        "omnitron-country": environ(
            "GET", f"/omnitron/api/v1/countries/{country.pk}/", token=operator
        ),
        "omnitron-country-staff": environ(
            "GET", f"/omnitron/api/v1/countries/{country.pk}/", token=operator_token(staff)
        ),
        "seller-languages": environ("GET", "/seller-center/api/i1/languages/", token=seller),
        "omnitron-404": environ(
            "POST",
            "/omnitron/api/i1/orders/0/cancel/",
            token=operator,
            body=json.dumps({"cancel_items": [1], "reasons": {"1": 1}}).encode(),
        ),
    }


def environ(method: str, path: str, *, token: str, body: bytes = b"", query: str = "") -> dict:
    """What granian's WSGI interface gives the application (its keys, as strings)."""
    env = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SCRIPT_NAME": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "127.0.0.1:8000",
        "HTTP_USER_AGENT": "bench",
        "HTTP_ACCEPT": "*/*",
        "HTTP_AUTHORIZATION": f"Token {token}",
        "wsgi.url_scheme": "http",
        "wsgi.version": (1, 0),
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "wsgi.errors": sys.stderr,
        "body": body,
    }
    if body:
        env["CONTENT_TYPE"] = "application/json"
        env["CONTENT_LENGTH"] = str(len(body))
    return env


def call(application, template: dict) -> tuple[int, dict, bytes]:
    env = dict(template)
    env["wsgi.input"] = io.BytesIO(env.pop("body"))
    answer = {}

    def start_response(status, headers, exc_info=None):
        answer["status"] = int(status.split()[0])
        answer["headers"] = dict(headers)

    result = application(env, start_response)
    try:
        content = b"".join(result)
    finally:
        if hasattr(result, "close"):
            result.close()
    return answer["status"], answer["headers"], content


def cpu_samples(application, templates: dict, *, rounds: int, requests: int) -> dict:
    """CPU seconds of each call (`time.process_time()`), `requests` calls of each template per
    round, the templates alternated round after round."""
    samples: dict[str, list[float]] = {name: [] for name in templates}
    for _ in range(rounds):
        for name, template in templates.items():
            for _ in range(requests):
                cpu = time.process_time()
                call(application, template)
                samples[name].append(time.process_time() - cpu)
    return samples


def profile_calls(application, templates: dict, *, requests: int, path: Path) -> None:
    """A cProfile (CPU time) of `requests` more calls of each template, written to `path`."""
    import cProfile

    profile = cProfile.Profile(time.process_time)
    profile.enable()
    for template in templates.values():
        for _ in range(requests):
            call(application, template)
    profile.disable()
    profile.dump_stats(path)


def group_cpu_seconds(pgid: int) -> float:
    """User + system CPU of every live process in the process group `pgid`."""
    ticks = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid:  # pgrp; utime and stime are fields 14 and 15 of stat
            ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def serve(tree: Path):
    import http.client
    import signal
    import socket
    import subprocess

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "PYTHONPATH": str(tree.resolve() / "src")}
    command = [sys.executable, "-m", "pazar", "serve", "--no-worker", "--workers", "1"]
    process = subprocess.Popen(
        [*command, "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    for _ in range(600):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            connection.request("GET", "/health/?scope=web")
            if connection.getresponse().status == 200:
                connection.close()
                break
        except OSError:
            time.sleep(0.1)
    else:
        raise RuntimeError("the server did not start")

    def stop():
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)

    return process, port, stop


def over_http(args, requests: dict) -> dict:
    import http.client

    samples = {str(t): {n: [] for n in requests} for t in args.http}
    cpu = {str(t): {n: [] for n in requests} for t in args.http}
    for _ in range(args.rounds):
        for tree in args.http:
            process, port, stop = serve(tree)
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                for name, template in requests.items():
                    headers = {"Authorization": template["HTTP_AUTHORIZATION"], "Accept": "*/*"}
                    if template["body"]:
                        headers["Content-Type"] = "application/json"
                    for i in range(50 + args.requests):
                        if i == 50:
                            server_cpu = group_cpu_seconds(process.pid)
                        started = time.perf_counter()
                        connection.request(
                            template["REQUEST_METHOD"],
                            template["PATH_INFO"],
                            body=template["body"] or None,
                            headers=headers,
                        )
                        connection.getresponse().read()
                        if i >= 50:
                            samples[str(tree)][name].append(time.perf_counter() - started)
                    cpu[str(tree)][name].append(
                        (group_cpu_seconds(process.pid) - server_cpu) / args.requests
                    )
                connection.close()
            finally:
                stop()
    return {
        tree: {
            name: {
                "latency_median_ms": round(statistics.median(samples[tree][name]) * 1000, 3),
                "latency_p90_ms": round(
                    statistics.quantiles(samples[tree][name], n=10)[-1] * 1000, 3
                ),
                "server_cpu_ms_per_request_by_round": [round(c * 1000, 3) for c in cpu[tree][name]],
            }
            for name in requests
        }
        for tree in samples
    }


def write(args, result: dict) -> None:
    print(json.dumps(result), flush=True)
    if args.out:
        runs = json.loads(args.out.read_text()) if args.out.exists() else []
        args.out.write_text(json.dumps([*runs, result], indent=2) + "\n")


def main() -> int:
    args = arguments()
    requests = setup(args)
    if args.http:
        write(
            args,
            {
                "label": args.label,
                "database": args.database,
                "redis": bool(args.redis),
                "rate_limits": args.rate_limits,
                "requests_per_endpoint_per_round": args.requests,
                "rounds": args.rounds,
                "http": over_http(args, requests),
                "load_average_after": [round(x, 2) for x in os.getloadavg()],
            },
        )
        return 0
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from pazar.wsgi import application

    expected = {"omnitron-404": 404}
    statements, headers = {}, {}
    # The access log is written as in production (to stderr: send it to /dev/null).
    for name, template in requests.items():
        for _ in range(50):  # warm the connection, the URL resolver and Django's caches
            status, answer_headers, _body = call(application, template)
            assert status == expected.get(name, 200), (name, status, _body[:300])
        with CaptureQueriesContext(connection) as queries:
            call(application, template)
        statements[name] = len(queries)
        headers[name] = sorted(answer_headers)
    samples = cpu_samples(application, requests, rounds=args.rounds, requests=args.requests)
    if args.profile:
        profile_calls(application, requests, requests=args.requests, path=args.profile)
    result = {
        "label": args.label,
        "database": args.database,
        "redis": bool(args.redis),
        "rate_limits": args.rate_limits,
        "requests_per_endpoint": args.requests * args.rounds,
        "cpu_median_ms": {n: round(statistics.median(s) * 1000, 3) for n, s in samples.items()},
        "cpu_mean_ms": {n: round(statistics.mean(s) * 1000, 3) for n, s in samples.items()},
        "statements": statements,
        "headers": headers,
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
    }
    write(args, result)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
