"""Deployment settings read from the environment: connection pooling and S3-compatible storage.

Parsing is tested on its own; the pool is also tested against the real PostgreSQL server when
the suite runs on one. No test talks to a live S3 service: the storage is built from the parsed
options and its URLs (signed locally by boto3) are checked.
"""

import json
import os
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.utils import ConnectionHandler

from pazar.core import config

REPO = Path(__file__).resolve().parents[2]
PG_URL = "postgres://pazar:secret@db.internal:5432/pazar"


# --- PAZAR_DB_POOL / PAZAR_DB_PGBOUNCER ------------------------------------------------------


@pytest.mark.parametrize("raw", [None, "", "off", "0", "no"])
def test_without_a_pool_connections_persist_for_a_minute(raw):
    settings = config.database(PG_URL, pool=raw)

    assert settings["CONN_MAX_AGE"] == 60
    assert settings["CONN_HEALTH_CHECKS"] is True
    assert "pool" not in settings.get("OPTIONS", {})
    assert (settings["NAME"], settings["HOST"], settings["PORT"]) == ("pazar", "db.internal", 5432)


@pytest.mark.parametrize("raw", ["on", "1", "true", "YES"])
def test_a_pool_switched_on_has_the_default_sizes_and_no_persistent_connections(raw):
    settings = config.database(PG_URL, pool=raw)

    assert settings["OPTIONS"]["pool"] == {"min_size": 1, "max_size": 4, "timeout": 10.0}
    assert settings["CONN_MAX_AGE"] == 0  # Django refuses a pool with persistent connections


def test_pool_options_override_the_named_defaults_only():
    settings = config.database(PG_URL, pool="max_size=12, timeout=2.5,max_idle=300")

    assert settings["OPTIONS"]["pool"] == {
        "min_size": 1,
        "max_size": 12,
        "timeout": 2.5,
        "max_idle": 300.0,
    }


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("size=4", "is not one of"),
        ("max_size", "is not one of"),
        ("max_size=many", "must be a number"),
        ("min_size=5,max_size=2", "at least min_size"),
    ],
)
def test_a_malformed_pool_setting_is_a_configuration_error(raw, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        config.database(PG_URL, pool=raw)


def test_pooling_and_pgbouncer_need_postgresql():
    with pytest.raises(ImproperlyConfigured, match="PostgreSQL"):
        config.database("sqlite:////tmp/pazar.sqlite3", pool="on")
    with pytest.raises(ImproperlyConfigured, match="PostgreSQL"):
        config.database("sqlite:////tmp/pazar.sqlite3", pgbouncer=True)


def test_behind_pgbouncer_no_server_side_cursors():
    settings = config.database(PG_URL, pgbouncer=True)

    assert settings["DISABLE_SERVER_SIDE_CURSORS"] is True
    assert "prepare_threshold" not in settings.get("OPTIONS", {})  # Django's default: none
    assert settings["CONN_MAX_AGE"] == 60  # a client keeps its connection to PgBouncer


def test_the_settings_module_reads_the_pool_and_the_bucket_from_the_environment(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PAZAR_", "AWS_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="pazar.settings",
        PAZAR_DATA_DIR=str(tmp_path),
        DATABASE_URL=PG_URL,
        PAZAR_DB_POOL="max_size=6",
        PAZAR_DB_PGBOUNCER="1",
        PAZAR_S3_BUCKET="pazar-files",
        PAZAR_S3_ENDPOINT_URL="http://127.0.0.1:9000",
    )
    script = (
        "import json; from django.conf import settings as s; db = s.DATABASES['default']; "
        "print(json.dumps([db['CONN_MAX_AGE'], db['OPTIONS'], db['DISABLE_SERVER_SIDE_CURSORS'],"
        " s.STORAGES['default']['BACKEND'], s.STORAGES['default']['OPTIONS']['bucket_name'],"
        " s.STORAGES['default']['OPTIONS']['endpoint_url']]))"
    )

    out = subprocess.run(
        [sys.executable, "-c", script],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == [
        0,
        {"pool": {"min_size": 1, "max_size": 6, "timeout": 10.0}},
        True,
        "storages.backends.s3.S3Storage",
        "pazar-files",
        "http://127.0.0.1:9000",
    ]


on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the pool is psycopg's, for PostgreSQL"
)


def pooled_connections(alias: str, *, pool: str | None, pgbouncer: bool = False):
    """Another connection handler on the test database, configured as `config.database` says."""
    own = connection.settings_dict
    url = (
        f"postgres://{own['USER']}:{own['PASSWORD']}@{own['HOST'] or '127.0.0.1'}:"
        f"{own['PORT'] or 5432}/{own['NAME']}"
    )
    return ConnectionHandler(
        {"default": own, alias: config.database(url, pool=pool, pgbouncer=pgbouncer)}
    )


@on_postgresql
@pytest.mark.django_db
def test_on_postgresql_requests_in_threads_share_the_pools_few_server_connections():
    # given: a pool of at most 2 connections
    handler = pooled_connections("pooled", pool="min_size=1,max_size=2,timeout=20")
    pids, errors, barrier = [], [], threading.Barrier(6)

    def request():
        # each thread is a request: it takes a connection, queries, and gives it back
        conn = handler["pooled"]
        try:
            barrier.wait(timeout=20)
            for _ in range(5):
                with conn.cursor() as cursor:
                    cursor.execute("SELECT pg_backend_pid(), pg_sleep(0.01)")
                    pids.append(cursor.fetchone()[0])
                conn.close()  # the end of a request: back to the pool, not closed
        except Exception as exc:  # reported below, with the thread's failure
            errors.append(exc)

    # when: 6 threads make 5 requests each
    threads = [threading.Thread(target=request) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    pool = handler["pooled"].pool
    stats = pool.get_stats()
    handler["pooled"].close_pool()

    # then: all 30 queries ran, over no more than 2 server connections
    assert errors == []
    assert len(pids) == 30
    assert 1 <= len(set(pids)) <= 2
    assert stats["pool_max"] == 2
    assert stats["requests_num"] >= 30


ITERATE_SCRIPT = """
import django
django.setup()
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder

with transaction.atomic():
    rows = MigrationRecorder.Migration.objects.iterator(chunk_size=10)
    next(rows)
    with connection.cursor() as cursor:
        for _ in range(10):  # psycopg would prepare a statement it ran 5 times
            cursor.execute("SELECT count(*) FROM django_migrations WHERE id > %s", [0])
        cursor.execute(
            "SELECT (SELECT count(*) FROM pg_cursors), (SELECT count(*) FROM pg_prepared_statements)"
        )
        print(*cursor.fetchone())
"""


@on_postgresql
@pytest.mark.django_db
def test_on_postgresql_pgbouncer_mode_opens_no_server_side_cursor_and_prepares_nothing(tmp_path):
    own = connection.settings_dict
    env = {k: v for k, v in os.environ.items() if not k.startswith("PAZAR_")}
    env.update(
        DJANGO_SETTINGS_MODULE="pazar.settings",
        PAZAR_DATA_DIR=str(tmp_path),
        DATABASE_URL=(
            f"postgres://{own['USER']}:{own['PASSWORD']}@{own['HOST'] or '127.0.0.1'}:"
            f"{own['PORT'] or 5432}/{own['NAME']}"
        ),
    )
    seen = {}
    for mode in ("0", "1"):
        env["PAZAR_DB_PGBOUNCER"] = mode
        out = subprocess.run(
            [sys.executable, "-c", ITERATE_SCRIPT],
            env=env,
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert out.returncode == 0, out.stderr
        seen[mode] = out.stdout.split()

    # (server-side cursors open, prepared statements) while a QuerySet.iterator() reads
    assert seen == {"0": ["1", "0"], "1": ["0", "0"]}


# --- PAZAR_S3_* --------------------------------------------------------------------------------


@pytest.fixture
def s3_env(monkeypatch):
    for name in list(os.environ):
        if name.startswith(("PAZAR_S3_", "AWS_")):
            monkeypatch.delenv(name)
    return monkeypatch


def test_without_a_bucket_files_stay_in_the_data_directory(s3_env, tmp_path):
    assert config.default_storage(tmp_path / "files") == {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": tmp_path / "files"},
    }


def test_a_bucket_on_an_s3_compatible_service_signs_its_file_urls(s3_env, tmp_path):
    from storages.backends.s3 import S3Storage

    # given: a MinIO-like service at its own endpoint, addressed by path, under a prefix
    s3_env.setenv("PAZAR_S3_BUCKET", "pazar-files")
    s3_env.setenv("PAZAR_S3_ENDPOINT_URL", "http://127.0.0.1:9000")
    s3_env.setenv("PAZAR_S3_REGION", "eu-central-1")
    s3_env.setenv("PAZAR_S3_ACCESS_KEY_ID", "AKIDEXAMPLE")
    s3_env.setenv("PAZAR_S3_SECRET_ACCESS_KEY", "a-secret")
    s3_env.setenv("PAZAR_S3_PREFIX", "/shop-1/")
    s3_env.setenv("PAZAR_S3_ADDRESSING_STYLE", "path")

    # when
    storage_settings = config.default_storage(tmp_path / "files")
    storage = S3Storage(**storage_settings["OPTIONS"])
    url = urlsplit(storage.url("product_images/7/ab12.png"))

    # then: the object is under the prefix, the URL is signed for an hour
    assert storage_settings["BACKEND"] == "storages.backends.s3.S3Storage"
    assert storage_settings["OPTIONS"]["file_overwrite"] is True
    assert (url.scheme, url.netloc, url.path) == (
        "http",
        "127.0.0.1:9000",
        "/pazar-files/shop-1/product_images/7/ab12.png",
    )
    query = parse_qs(url.query)
    assert query["X-Amz-Expires"] == ["3600"]
    assert query["X-Amz-Credential"][0].startswith("AKIDEXAMPLE/")
    assert "X-Amz-Signature" in query


def test_a_custom_domain_in_front_of_the_bucket_gives_plain_public_urls(s3_env, tmp_path):
    from storages.backends.s3 import S3Storage

    s3_env.setenv("PAZAR_S3_BUCKET", "pazar-files")
    s3_env.setenv("PAZAR_S3_CUSTOM_DOMAIN", "cdn.example.com")

    options = config.default_storage(tmp_path / "files")["OPTIONS"]

    assert options["querystring_auth"] is False
    assert S3Storage(**options).url("product_images/7/ab12.png") == (
        "https://cdn.example.com/product_images/7/ab12.png"
    )


def test_an_unknown_addressing_style_is_a_configuration_error(s3_env, tmp_path):
    s3_env.setenv("PAZAR_S3_BUCKET", "pazar-files")
    s3_env.setenv("PAZAR_S3_ADDRESSING_STYLE", "sideways")

    with pytest.raises(ImproperlyConfigured, match="PAZAR_S3_ADDRESSING_STYLE"):
        config.default_storage(tmp_path / "files")
