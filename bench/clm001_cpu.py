"""CPU of a CLM001 page in process: `GET /seller-center/api/i2/claims/?limit=50…` through the
WSGI application, `time.process_time()` around each call.

    .venv/bin/python bench/clm001_cpu.py --database postgres --label after
    .venv/bin/python bench/clm001_cpu.py --tree /tmp/base-clm --label before   # another checkout
    .venv/bin/python bench/clm001_cpu.py --profile /tmp/clm.prof

A throwaway database (PostgreSQL: `PAZAR_BENCH_DATABASE_URL`, default pazar_clmcpu_bench,
dropped and created afresh; or a SQLite file) gets one seller's claims of every kind through
the claims services (tests/claims/variety.py of this checkout: cancels, refusals, requests,
returns in each status with their history; `--orders` orders of 11 claims each), and
`--filler` more claims copied from one of them without history (the shape of bench/claims.py's
million). The pages read, each `limit=50`, alternate in `--rounds` rounds of `--requests`:

- `all`: no filter (the count from the kept counts)
- `status__in`: `status__in=open,waiting,approved,rejected,completed`
- `type`: `type=refund`

The median CPU of each over every request is printed as one JSON line (with the rows and
statements of each), and appended to `--out` when given.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = {
    "all": "limit=50",
    "status__in": "limit=50&status__in=open%2Cwaiting%2Capproved%2Crejected%2Ccompleted",
    "type": "limit=50&type=refund",
}


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="postgres")
    parser.add_argument("--orders", type=int, default=5, help="orders of 11 claims each")
    parser.add_argument("--filler", type=int, default=0, help="claims without history")
    parser.add_argument("--requests", type=int, default=200, help="per page per round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--tree", type=Path, default=ROOT, help="the checkout to measure")
    parser.add_argument("--label", default="")
    parser.add_argument("--profile", type=Path)
    parser.add_argument("--out", type=Path)
    return parser.parse_args()


def setup(args: argparse.Namespace) -> dict[str, dict]:
    tree = args.tree.resolve()
    sys.path[:0] = [str(tree / "src"), str(tree), str(ROOT / "bench")]
    os.environ.update(
        {
            "PAZAR_DATA_DIR": tempfile.mkdtemp(prefix="pazar-clmcpu-"),
            "DJANGO_SETTINGS_MODULE": "pazar.settings",
            "PAZAR_RATE_LIMITS": "off",
        }
    )
    os.environ.pop("REDIS_URL", None)
    os.environ.pop("DATABASE_URL", None)
    if args.database == "postgres":
        from cluster import fresh_database

        default = "postgres://postgres@127.0.0.1:5432/pazar_clmcpu_bench"
        os.environ["DATABASE_URL"] = fresh_database(
            os.environ.get("PAZAR_BENCH_DATABASE_URL", default)
        )
    import django

    django.setup()
    import pazar

    assert Path(pazar.__file__).resolve().is_relative_to(tree), pazar.__file__
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from rest_framework.test import APIClient
    from tests.factories import LanguageFactory, OperatorFactory, operator_token, seller_token

    from pazar.claims.models import Claim

    LanguageFactory()
    LanguageFactory(code="tr-tr", name="Türkçe")
    spec = importlib.util.spec_from_file_location(
        "clm_variety", ROOT / "tests" / "claims" / "variety.py"
    )
    variety_module = importlib.util.module_from_spec(spec)
    sys.modules["clm_variety"] = variety_module
    spec.loader.exec_module(variety_module)
    operator_client = APIClient()
    operator_client.credentials(
        HTTP_AUTHORIZATION=f"Token {operator_token(OperatorFactory(is_superuser=True))}"
    )
    variety = variety_module.claims_of_every_kind(operator_client, orders=args.orders)
    if args.filler:
        template = Claim.objects.filter(seller=variety.seller).order_by("pk").first()
        fields = {
            f.attname: getattr(template, f.attname)
            for f in Claim._meta.concrete_fields
            if not f.primary_key and f.name not in ("uuid", "created_at", "updated_at")
        }
        Claim.objects.bulk_create([Claim(**fields) for _ in range(args.filler)], batch_size=2000)
        from pazar.claims import services

        services.claim_counts_rebuild(seller_ids=[variety.seller.pk])
    _, token = seller_token(variety.seller_user.seller_membership)
    return {
        name: environ("/seller-center/api/i2/claims/", query, token=token)
        for name, query in PAGES.items()
    }


def environ(path: str, query: str, *, token: str) -> dict:
    """What granian's WSGI interface gives the application (its keys, as strings)."""
    return {
        "REQUEST_METHOD": "GET",
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
    }


def call(application, template: dict) -> tuple[int, bytes]:
    import io

    env = dict(template)
    env["wsgi.input"] = io.BytesIO(b"")
    answer = {}

    def start_response(status, headers, exc_info=None):
        answer["status"] = int(status.split()[0])

    result = application(env, start_response)
    try:
        content = b"".join(result)
    finally:
        if hasattr(result, "close"):
            result.close()
    return answer["status"], content


def main() -> int:
    args = arguments()
    pages = setup(args)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from pazar.wsgi import application

    statements, rows = {}, {}
    for name, template in pages.items():
        for _ in range(30):  # warm the connection, the URL resolver and Django's caches
            status, body = call(application, template)
            assert status == 200, (name, status, body[:300])
        with CaptureQueriesContext(connection) as queries:
            _, body = call(application, template)
        statements[name] = len(queries)
        rows[name] = len(json.loads(body)["results"])
    samples: dict[str, list[float]] = {name: [] for name in pages}
    for _ in range(args.rounds):
        for name, template in pages.items():
            for _ in range(args.requests):
                cpu = time.process_time()
                call(application, template)
                samples[name].append(time.process_time() - cpu)
    if args.profile:
        import cProfile

        profile = cProfile.Profile(time.process_time)
        profile.enable()
        for template in pages.values():
            for _ in range(args.requests):
                call(application, template)
        profile.disable()
        profile.dump_stats(args.profile)
    result = {
        "label": args.label,
        "tree": str(args.tree),
        "database": args.database,
        "orders": args.orders,
        "filler": args.filler,
        "requests_per_page": args.requests * args.rounds,
        "cpu_median_ms": {n: round(statistics.median(s) * 1000, 3) for n, s in samples.items()},
        "cpu_mean_ms": {n: round(statistics.mean(s) * 1000, 3) for n, s in samples.items()},
        "rows": rows,
        "statements": statements,
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
    }
    print(json.dumps(result), flush=True)
    if args.out:
        runs = json.loads(args.out.read_text()) if args.out.exists() else []
        args.out.write_text(json.dumps([*runs, result], indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
