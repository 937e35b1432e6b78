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
from pathlib import Path

from request_cost import call, cpu_samples, environ, profile_calls

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
        name: environ("GET", "/seller-center/api/i2/claims/", token=token, query=query)
        for name, query in PAGES.items()
    }


def main() -> int:
    args = arguments()
    pages = setup(args)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from pazar.wsgi import application

    statements, rows = {}, {}
    for name, template in pages.items():
        for _ in range(30):  # warm the connection, the URL resolver and Django's caches
            status, _, body = call(application, template)
            assert status == 200, (name, status, body[:300])
        with CaptureQueriesContext(connection) as queries:
            _, _, body = call(application, template)
        statements[name] = len(queries)
        rows[name] = len(json.loads(body)["results"])
    samples = cpu_samples(application, pages, rounds=args.rounds, requests=args.requests)
    if args.profile:
        profile_calls(application, pages, requests=args.requests, path=args.profile)
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
