"""Redis down: rate limits keep counting in the database, the cache answers as an empty one,
neither waits on a hanging Redis in every request, and each outage is logged when it starts and
when it ends. bench/faults/redis_down.py does the same to a running deployment."""

from __future__ import annotations

import logging
import os
import shutil
import socket
import subprocess
import threading
import time

import pytest
import redis
from django.core.cache import caches

from pazar.api import ratelimit
from pazar.core import config
from pazar.core.cache import CACHE_OUTAGE
from pazar.core.models import RateLimitCounter

pytestmark = pytest.mark.django_db
CLOSED = "redis://127.0.0.1:1/0"
PRODUCTS = "/seller-center/api/i2/products/"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def hanging_redis():
    """A TCP server that accepts connections and never answers: a Redis that hangs."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    held, stop = [], threading.Event()

    def accept():
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"redis://127.0.0.1:{server.getsockname()[1]}/0"
    stop.set()
    thread.join(timeout=5)
    for conn in held:
        conn.close()
    server.close()


class RedisServer:
    """A redis-server of the test's own, which it stops and starts again."""

    def __init__(self, tmp_path) -> None:
        self.port, self.dir, self.process = free_port(), tmp_path, None
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--dir", str(self.dir)],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        client = redis.Redis.from_url(self.url, socket_connect_timeout=0.2)
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                return
            except redis.ConnectionError:
                assert time.monotonic() < deadline, "redis-server did not start"
                time.sleep(0.05)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


@pytest.fixture
def redis_server(tmp_path):
    if shutil.which("redis-server") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("redis-server is not installed")
        pytest.skip("redis-server is not installed")
    server = RedisServer(tmp_path)
    server.start()
    yield server
    if server.process.poll() is None:
        server.stop()


def redis_cache(settings, url: str):
    settings.CACHES = {
        "default": {
            "BACKEND": "pazar.core.cache.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "pazar-test",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    return caches["default"]


def outage_records(caplog) -> list[tuple[int, str]]:
    return [(r.levelno, r.getMessage()) for r in caplog.records if r.name == "pazar.outage"]


def test_the_product_list_answers_while_the_cache_redis_is_down_and_logs_it_once(
    settings, seller_client, caplog
):
    redis_cache(settings, CLOSED)

    with caplog.at_level(logging.INFO, logger="pazar.outage"):
        # a name filter: its count is the exact one, cached (the kept counts need no cache)
        answers = [seller_client.get(PRODUCTS, {"name__icontains": "shirt"}) for _ in range(3)]

    assert [a.status_code for a in answers] == [200, 200, 200]
    assert [a.json()["count"] for a in answers] == [0, 0, 0]
    [(level, message)] = outage_records(caplog)
    assert level == logging.ERROR
    assert message.startswith("Redis (cache) unavailable (ConnectionError: ")
    assert message.endswith(
        "the cache misses and stores nothing until it answers again (retried every 5 s)"
    )


def test_a_hanging_cache_redis_costs_one_timeout_then_nothing(settings, hanging_redis):
    cache = redis_cache(settings, hanging_redis)

    started = time.monotonic()
    first = cache.get("key", "fallback")
    first_took = time.monotonic() - started
    started = time.monotonic()
    later = [cache.get("key", "fallback"), cache.set("key", 1), cache.get_many(["a", "b"])]
    later_took = time.monotonic() - started

    assert first == "fallback"
    assert 0.4 < first_took < 2.0  # the socket timeout of settings.CACHES
    assert later == ["fallback", False, {}]
    assert later_took < 0.05  # skipped while the outage lasts
    assert CACHE_OUTAGE.skipped == 3


def test_a_hanging_rate_limit_redis_costs_one_timeout_and_limits_still_hold(
    settings, seller_client, hanging_redis
):
    settings.PAZAR_RATE_LIMITS = config.rate_limits("products=3/min")
    settings.REDIS_URL = hanging_redis
    redis_cache(settings, CLOSED)

    durations, statuses = [], []
    for _ in range(5):
        started = time.monotonic()
        statuses.append(seller_client.get(PRODUCTS).status_code)
        durations.append(time.monotonic() - started)

    assert statuses == [200, 200, 200, 429, 429]
    assert durations[0] < 3  # one counter timeout (1 s) and one cache timeout
    assert max(durations[1:]) < 0.5


def test_rate_limits_move_to_the_database_while_redis_is_down_and_back_once_it_answers(
    settings, seller_client, redis_server, caplog
):
    settings.PAZAR_RATE_LIMITS = config.rate_limits("products=100/min")
    settings.REDIS_URL = redis_server.url
    ratelimit.REDIS_OUTAGE.retry_after = 0.2
    client = redis.Redis.from_url(redis_server.url)

    def in_redis() -> int:
        return sum(int(client.get(k)) for k in client.scan_iter("pazar:rl:*products*"))

    def in_database() -> int:
        return sum(c.count for c in RateLimitCounter.objects.filter(key__contains="products"))

    try:
        with caplog.at_level(logging.INFO, logger="pazar.outage"):
            # up: counted in Redis
            assert seller_client.get(PRODUCTS).status_code == 200
            assert (in_redis(), in_database()) == (1, 0)

            # down: counted in the database, the outage logged once
            redis_server.stop()
            for _ in range(3):
                assert seller_client.get(PRODUCTS).status_code == 200
                time.sleep(0.1)
            assert in_database() == 3

            # back: once the retry pause is over, counted in Redis again
            redis_server.start()
            time.sleep(0.3)
            assert seller_client.get(PRODUCTS).status_code == 200
            assert (in_redis(), in_database()) == (1, 3)  # a new server: an empty Redis
    finally:
        ratelimit.REDIS_OUTAGE.retry_after = 5.0
        client.close()

    messages = outage_records(caplog)
    assert [level for level, _ in messages] == [logging.ERROR, logging.WARNING]
    assert messages[0][1].startswith("Redis (rate limit counters) unavailable (ConnectionError: ")
    assert messages[1][1].startswith("Redis (rate limit counters) answers again after ")
