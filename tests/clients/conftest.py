"""A live `pazar serve` over HTTPS for the open-source Omnitron clients (omnisdk, channel_app).

The clients run in their own environment, `.venv-clients/` (made by `make test` from
tests/clients/requirements.txt), and talk to the server only over HTTPS. The server runs on an
embedded SQLite database of its own, or, when the suite runs on PostgreSQL, on a fresh
PostgreSQL database next to the suite's; Redis, when the suite uses it, is shared.
"""

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
import requests
from tests.core.test_serve import free_port, self_signed_pair

ROOT = Path(__file__).resolve().parents[2]
CLIENTS_PYTHON = ROOT / ".venv-clients" / "bin" / "python"
CONNECTOR = Path(__file__).resolve().parent / "connector"
SEED = Path(__file__).resolve().parent / "seed.py"
USERNAME, PASSWORD = "connector", "connector-password-1"
# channel_app keeps its login token in Redis (and counts its logins there).
CLIENTS_REDIS_URL = (
    os.environ.get("PAZAR_TEST_CLIENTS_REDIS_URL")
    or os.environ.get("REDIS_URL")
    or "redis://127.0.0.1:6379/0"
)
TOKEN_KEYS = ["omnitron_auth_token_prefix", "retry_count"]


@dataclass
class LivePazar:
    base: str  # https://127.0.0.1:<port>
    certificate: Path
    env: dict  # the server's environment (for the seed steps)
    log: Path  # the server's output
    session: requests.Session = field(default_factory=requests.Session)

    @property
    def api(self) -> str:
        return f"{self.base}/omnitron/api/v1/"

    def seed(self, step: str, **arguments) -> dict:
        """An operator's set-up step through Pazar's services (tests/clients/seed.py)."""
        result = subprocess.run(
            [sys.executable, str(SEED), step, json.dumps(arguments)],
            env=self.env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout.strip().splitlines()[-1])

    def run(
        self,
        channel: dict,
        *flows: str,
        errors_expected: bool = False,
        marketplace: dict | None = None,
    ) -> list[dict]:
        """channel_app's services, unchanged, for `channel` (a seeded channel), one per flow;
        `marketplace` is what the in-memory marketplace holds (its orders, its changes to order
        lines). Any error channel_app logs fails the test, unless `errors_expected`."""
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": os.environ.get("HOME", "/tmp"),
            "PYTHONPATH": str(CONNECTOR),
            "MAIN_APP_URL": f"{urlsplit(self.base).netloc}/omnitron",
            "OMNITRON_CHANNEL_ID": str(channel["channel"]),
            "OMNITRON_CATALOG_ID": str(channel["catalog"]),
            "OMNITRON_USERNAME": USERNAME,
            "OMNITRON_PASSWORD": PASSWORD,
            "OMNITRON_MODULE": "channel_app.omnitron.integration",
            "CHANNEL_MODULE": "marketplace",
            "REQUESTS_CA_BUNDLE": str(self.certificate),
            "MARKETPLACE_STATE": json.dumps(marketplace or {}),
            **clients_redis_env(),
        }
        try:
            result = subprocess.run(
                [str(CLIENTS_PYTHON), str(CONNECTOR / "run.py"), *flows],
                env=env,
                cwd=CONNECTOR,
                capture_output=True,
                text=True,
                timeout=240,  # a 5xx costs the client ~100 s of retries: never wait for two
            )
        except subprocess.TimeoutExpired:
            pytest.fail(f"{flows} did not finish; the server said:\n{self.log.read_text()[-5000:]}")
        assert result.returncode == 0, result.stderr
        results = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
        assert [r["flow"] for r in results] == list(flows), result.stdout + result.stderr
        for r in results:
            assert errors_expected or r["errors"] == [], (r["flow"], r["errors"])
        return results

    def get(self, path: str, **params) -> dict:
        response = self.session.get(f"{self.api}{path}", params=params, timeout=30)
        assert response.status_code == 200, response.text
        return response.json()

    def all(self, path: str, **params) -> list[dict]:
        """Every item of a list, all pages."""
        items, page = [], 1
        while True:
            body = self.get(path, page=page, limit=100, **params)
            items += body["results"]
            if not body["next"]:
                return items
            page += 1


def clients_redis_env() -> dict:
    url = urlsplit(CLIENTS_REDIS_URL)
    return {
        "CACHE_HOST": url.hostname or "127.0.0.1",
        "CACHE_PORT": str(url.port or 6379),
        "CACHE_DATABASE_INDEX": (url.path.strip("/") or "0"),
    }


def forget_client_token() -> None:
    """A token cached by an earlier server is worthless here: channel_app logs in afresh."""
    import redis

    redis.Redis.from_url(CLIENTS_REDIS_URL).delete(*TOKEN_KEYS)


def fresh_postgres(url: str) -> tuple[str, str]:
    """A new empty database next to the suite's; its URL and name."""
    import psycopg

    parts = urlsplit(url)
    name = f"{parts.path.strip('/') or 'pazar'}_clients_live"
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}")), name


def drop_postgres(url: str, name: str) -> None:
    import psycopg

    admin = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def live_pazar(tmp_path_factory):
    assert CLIENTS_PYTHON.exists(), (
        f"{CLIENTS_PYTHON} is missing: `make test` (or `make clients`) installs the clients."
    )
    directory = tmp_path_factory.mktemp("live")
    certificate, key = self_signed_pair(directory)
    port = free_port()
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("PAZAR_") and k not in {"DATABASE_URL", "REDIS_URL"}
    }
    env.update(
        PAZAR_DATA_DIR=str(directory),
        PAZAR_TLS_CERTIFICATE=str(certificate),
        PAZAR_TLS_KEYFILE=str(key),
        DJANGO_SETTINGS_MODULE="pazar.settings",
    )
    database = None
    suite_database = os.environ.get("DATABASE_URL", "")
    if suite_database.startswith("postgres"):
        env["DATABASE_URL"], database = fresh_postgres(suite_database)
    if os.environ.get("REDIS_URL"):
        env["REDIS_URL"] = os.environ["REDIS_URL"]
    log = directory / "serve.log"
    process = subprocess.Popen(
        [sys.executable, "-m", "pazar", "serve", "--port", str(port), "--workers", "1",
         "--no-worker"],
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )  # fmt: skip
    base = f"https://127.0.0.1:{port}"
    try:
        # Migrating a fresh PostgreSQL database takes over two minutes on a busy machine.
        deadline, up = time.monotonic() + 300, False
        while time.monotonic() < deadline and process.poll() is None:
            try:
                requests.get(f"{base}/health/", verify=str(certificate), timeout=5)
                up = True
                break
            except requests.ConnectionError:  # migrating, or not listening yet
                time.sleep(0.3)
        if not up:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
            pytest.fail(f"pazar serve did not come up:\n{log.read_text()}")
        pazar = LivePazar(base=base, certificate=certificate, env=env, log=log)
        pazar.seed("operator", username=USERNAME, password=PASSWORD)
        pazar.session.verify = str(certificate)
        pazar.session.trust_env = False  # REQUESTS_CA_BUNDLE of the machine would win over verify
        login = pazar.session.post(
            f"{pazar.api}auth/login/", json={"username": USERNAME, "password": PASSWORD}
        )
        assert login.status_code == 200, login.text
        pazar.session.headers["Authorization"] = f"Token {login.json()['key']}"
        forget_client_token()
        yield pazar
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
        if database:
            drop_postgres(suite_database, database)


@pytest.fixture
def channel(live_pazar):
    """A sales channel of its own: a catalog of three products with prices, stocks, images."""
    return live_pazar.seed("channel", name=f"shop-{uuid.uuid4().hex[:8]}", products=3)
