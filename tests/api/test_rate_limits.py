"""Rate limits (seed 004) as a client sees them: X-RateLimit-* headers, 429 bodies, Retry-After.

Counters are fixed windows in Redis or, without Redis, in the database. Both stores are used
for real here (no mocks), including under parallel requests against a live server, where
exactly `limit` requests of a burst may pass.
"""

from __future__ import annotations

import logging
import os
import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from unittest.mock import ANY

import pytest
import redis
import requests
from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from pazar.accounts.models import SellerAccessToken
from pazar.api import ratelimit
from pazar.core import config
from pazar.core.config import Rate
from pazar.core.models import RateLimitCounter
from tests.factories import (
    PASSWORD,
    LanguageFactory,
    OperatorFactory,
    SellerMembershipFactory,
    seller_token,
)
from tests.windows import wait_for_window_room

ACCESS_TOKENS = "/seller-center/api/i2/access-tokens/"
LANGUAGES = "/seller-center/api/i1/languages/"
OPERATOR_LOGINS = [
    "/omnitron/api/i1/auth/login/",
    "/omnitron/api/v1/auth/login/",
    "/whippy-ware/api/v1/auth/login/",
]
SELLER_LOGIN = "/seller-center/api/i1/token/obtain/"
THROTTLED = re.compile(r"^Request was throttled\. Expected available in (\d+) seconds?\.$")
RATE_LIMIT_HEADERS = ("X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset")
CLOSED_REDIS_URL = "redis://127.0.0.1:1/0"


def assert_throttled(response, *, period: int = 60) -> int:
    """A 429 as DRF's clients expect it; returns the announced wait in seconds."""
    assert response.status_code == 429
    body = response.json()
    assert set(body) == {"detail", "code"}
    assert body["code"] == "throttled"
    match = THROTTLED.match(body["detail"])
    assert match, body["detail"]
    wait = int(match.group(1))
    assert 1 <= wait <= period
    assert body["detail"].endswith("second." if wait == 1 else "seconds.")
    assert response.headers["Retry-After"] == str(wait)
    return wait


def assert_lists_one_token(response) -> None:
    """A 200 of the access token list holding the caller's own token."""
    assert response.status_code == 200
    assert response.json() == {"count": 1, "next": None, "previous": None, "results": [ANY]}
    assert response.json()["results"][0]["status"] == "Active"


def assert_no_rate_limit_headers(response) -> None:
    for header in RATE_LIMIT_HEADERS:
        assert header not in response.headers


def client_for(api_client, membership):
    _, key = seller_token(membership)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api_client


# --- stores -------------------------------------------------------------------------------


def redis_test_url() -> str:
    return django_settings.REDIS_URL or os.environ.get(
        "PAZAR_TEST_REDIS_URL", "redis://127.0.0.1:6379/15"
    )


def delete_rate_limit_keys(client: redis.Redis) -> None:
    keys = list(client.scan_iter("pazar:rl:*", count=1000))
    if keys:
        client.delete(*keys)


@pytest.fixture
def redis_client():
    """A client of the test Redis; skips the test when none answers, fails it under CI=true."""
    url = redis_test_url()
    client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
    try:
        client.ping()
    except redis.RedisError as exc:
        client.close()
        reason = f"Redis not reachable at {url} ({exc}); start redis-server to run this test"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    client.url = url
    delete_rate_limit_keys(client)
    yield client
    delete_rate_limit_keys(client)
    client.close()


@pytest.fixture(params=["database", "redis"])
def store(request, settings):
    """The counter store, switched through settings.REDIS_URL; each test runs once per store.

    Returns (name, Redis client): for the Redis store the client of the store; for the database
    store the client of the Redis that the run was configured with (REDIS_URL), if any, which
    must then stay untouched.
    """
    if request.param == "database":
        configured = settings.REDIS_URL
        client = redis.Redis.from_url(configured) if configured else None
        settings.REDIS_URL = ""
        expected = ratelimit.DatabaseCounters
    else:
        client = request.getfixturevalue("redis_client")
        settings.REDIS_URL = client.url
        expected = ratelimit.RedisCounters
    assert isinstance(ratelimit.counters(), expected)
    yield request.param, client
    if request.param == "database" and client is not None:
        client.close()


def database_count(key_part: str) -> int:
    """The total counted in the database for the buckets whose key contains `key_part`."""
    counts = RateLimitCounter.objects.filter(key__contains=key_part).values_list("count", flat=True)
    return sum(counts)


def redis_count(client: redis.Redis, key_part: str) -> int:
    return sum(int(client.get(key)) for key in client.scan_iter(f"pazar:rl:*{key_part}*"))


def assert_counted_only_in(store, key_part: str, expected: int) -> None:
    """The requests were counted in the selected store and nowhere else."""
    name, client = store
    if name == "database":
        assert database_count(key_part) == expected
        if client is not None:
            assert redis_count(client, key_part) == 0
    else:
        assert redis_count(client, key_part) == expected
        assert database_count(key_part) == 0


# --- configuration ------------------------------------------------------------------------


def test_rate_limits_default_to_the_seller_center_seed_values():
    limits = config.rate_limits(None)

    assert limits["categories"] == Rate(limit=30, period=60)
    assert limits["products"] == Rate(limit=10, period=60)
    assert limits["packages"] == Rate(limit=20, period=60)
    assert limits["claims"] == Rate(limit=20, period=60)
    assert limits["languages"] is None
    assert set(limits) == set(config.DEFAULT_RATE_LIMITS)
    assert config.rate_limits("") == limits


def test_rate_limits_overrides_only_the_named_families():
    limits = config.rate_limits("products=100/min,categories=60/min")

    assert limits["products"] == Rate(limit=100, period=60)
    assert limits["categories"] == Rate(limit=60, period=60)
    defaults = config.rate_limits(None)
    assert {k: v for k, v in limits.items() if k not in {"products", "categories"}} == {
        k: v for k, v in defaults.items() if k not in {"products", "categories"}
    }


def test_rate_limits_accept_other_periods_spaces_and_off_for_one_family():
    limits = config.rate_limits(" Products = 5 / s , claims=7/hour, categories=off ")

    assert limits["products"] == Rate(limit=5, period=1)
    assert limits["claims"] == Rate(limit=7, period=3600)
    assert limits["categories"] is None


@pytest.mark.parametrize("raw", ["off", "OFF", " off ", "0", "false", "no"])
def test_rate_limits_off_switches_limiting_off(raw):
    assert config.rate_limits(raw) is None


@pytest.mark.parametrize(
    "raw",
    [
        "products",
        "products=",
        "=10/min",
        "products=10",
        "products=10/fortnight",
        "products=-1/min",
        "products=ten/min",
    ],
)
def test_rate_limits_malformed_values_raise_improperly_configured(raw):
    with pytest.raises(ImproperlyConfigured):
        config.rate_limits(raw)


# --- a family limit, as a client sees it --------------------------------------------------


def test_family_limit_counts_down_in_headers_then_answers_429(
    store, settings, api_client, seller_membership
):
    settings.PAZAR_RATE_LIMITS = config.rate_limits("access-tokens=3/min")
    client = client_for(api_client, seller_membership)
    wait_for_window_room(room=5)

    for remaining in (2, 1, 0):
        response = client.get(ACCESS_TOKENS)
        assert_lists_one_token(response)
        assert response.headers["X-RateLimit-Limit"] == "3"
        assert response.headers["X-RateLimit-Remaining"] == str(remaining)
        reset = int(response.headers["X-RateLimit-Reset"])
        assert time.time() < reset <= time.time() + 60
        assert reset % 60 == 0

    response = client.get(ACCESS_TOKENS)
    wait = assert_throttled(response)
    assert response.headers["X-RateLimit-Limit"] == "3"
    assert response.headers["X-RateLimit-Remaining"] == "0"
    assert int(response.headers["X-RateLimit-Reset"]) == reset
    assert abs(reset - time.time() - wait) <= 2
    subject = f"seller-center:access-tokens:seller:{seller_membership.seller_id}:"
    assert_counted_only_in(store, subject, 4)


def test_throttled_writes_are_not_performed(settings, seller_client):
    settings.PAZAR_RATE_LIMITS = config.rate_limits("access-tokens=1/min")
    wait_for_window_room(room=5)
    body = {"note": "ci", "valid_until": "2999-01-01T00:00:00Z"}

    assert seller_client.post(ACCESS_TOKENS, body).status_code == 201
    assert_throttled(seller_client.post(ACCESS_TOKENS, body))
    assert SellerAccessToken.objects.filter(seller=seller_client.seller, note="ci").count() == 1


def test_family_limit_is_per_seller_not_per_token(settings, api_client, seller_membership):
    settings.PAZAR_RATE_LIMITS = config.rate_limits("access-tokens=3/min")
    wait_for_window_room(room=5)
    client = client_for(api_client, seller_membership)
    for _ in range(3):
        assert client.get(ACCESS_TOKENS).status_code == 200
    assert_throttled(client.get(ACCESS_TOKENS))

    # Another token of the same seller shares the seller's budget...
    same_seller = client_for(type(api_client)(), seller_membership)
    assert_throttled(same_seller.get(ACCESS_TOKENS))

    # ...while another seller has its own.
    other = client_for(type(api_client)(), SellerMembershipFactory())
    response = other.get(ACCESS_TOKENS)
    assert_lists_one_token(response)
    assert response.headers["X-RateLimit-Limit"] == "3"
    assert response.headers["X-RateLimit-Remaining"] == "2"


def test_languages_are_unlimited_by_default(settings, seller_client):
    settings.PAZAR_RATE_LIMITS = config.rate_limits(None)
    LanguageFactory()

    for _ in range(50):
        response = seller_client.get(LANGUAGES)
        assert response.status_code == 200
        assert response.json()["count"] == 1
        assert_no_rate_limit_headers(response)


def test_rate_limits_off_disables_limiting(settings, seller_client):
    settings.PAZAR_RATE_LIMITS = config.rate_limits("off")
    assert settings.PAZAR_RATE_LIMITS is None

    for _ in range(40):
        response = seller_client.get(ACCESS_TOKENS)
        assert response.status_code == 200
        assert_no_rate_limit_headers(response)


def test_rate_limits_off_disables_login_throttling(settings, api_client, db):
    settings.PAZAR_RATE_LIMITS = None
    for _ in range(15):
        response = api_client.post(OPERATOR_LOGINS[0], {"username": "nobody", "password": "x"})
        assert response.status_code == 400


def test_unreachable_redis_counts_in_the_database_and_logs_the_outage_once(
    settings, seller_client, caplog
):
    settings.PAZAR_RATE_LIMITS = config.rate_limits("access-tokens=2/min")
    settings.REDIS_URL = CLOSED_REDIS_URL
    assert isinstance(ratelimit.counters(), ratelimit.RedisCounters)
    wait_for_window_room()

    with caplog.at_level(logging.WARNING):
        responses = [seller_client.get(ACCESS_TOKENS) for _ in range(3)]

    # the limit still holds: the requests were counted in the database
    for response in responses[:2]:
        assert_lists_one_token(response)
    assert responses[2].status_code == 429
    assert RateLimitCounter.objects.filter(key__contains=":access-tokens:").get().count == 3
    [error] = [r for r in caplog.records if r.name.startswith("pazar")]
    assert (error.name, error.levelno) == ("pazar.outage", logging.ERROR)
    assert error.getMessage().startswith(
        "Redis (rate limit counters) unavailable (ConnectionError: "
    )
    assert error.getMessage().endswith(
        "counting in the database until it answers again (retried every 5 s)"
    )


# --- login throttling ---------------------------------------------------------------------


@pytest.fixture(params=[*OPERATOR_LOGINS, SELLER_LOGIN])
def login(request, db):
    """(url, body): a login endpoint whose user "alice" exists, and its body for a name.

    `body("alice")` has the right password; Seller Center logs in with `<name>@example.com`.
    """
    url = request.param
    if url == SELLER_LOGIN:
        SellerMembershipFactory(user__username="alice", user__email="alice@example.com")
        return url, lambda who, password=PASSWORD: {
            "email": f"{who}@example.com",
            "password": password,
        }
    OperatorFactory(username="alice")
    return url, lambda who, password=PASSWORD: {"username": who, "password": password}


def test_login_is_limited_per_username_and_wrong_passwords_count(settings, api_client, login):
    url, body = login
    settings.PAZAR_RATE_LIMITS = config.rate_limits("login=3/min,login-address=100/min")
    wait_for_window_room(room=5)

    for _ in range(3):
        response = api_client.post(url, body("alice", "wrong-password"))
        assert response.status_code == 400
        assert response.json()["non_field_errors"] == [
            "Unable to log in with provided credentials."
        ]

    # The right password no longer helps: the username has used its attempts.
    assert_throttled(api_client.post(url, body("alice")))
    assert_throttled(api_client.post(url, body("ALICE")))  # counted case-insensitively

    # Another username from the same address is not affected by alice's limit.
    response = api_client.post(url, body("bob", "wrong-password"))
    assert response.status_code == 400


def test_login_succeeds_within_the_limit(settings, api_client, login):
    url, body = login
    settings.PAZAR_RATE_LIMITS = config.rate_limits("login=3/min,login-address=100/min")
    wait_for_window_room(room=5)

    assert api_client.post(url, body("alice", "wrong-password")).status_code == 400
    response = api_client.post(url, body("alice"))
    assert response.status_code == 200
    assert set(response.json()) == ({"access"} if url == SELLER_LOGIN else {"key"})


def test_login_is_limited_per_client_address(settings, api_client, login):
    url, body = login
    settings.PAZAR_RATE_LIMITS = config.rate_limits("login=100/min,login-address=3/min")
    wait_for_window_room(room=5)
    attacker = {"REMOTE_ADDR": "203.0.113.5"}

    for name in ("u1", "u2", "u3"):
        assert api_client.post(url, body(name, "guess"), **attacker).status_code == 400
    assert_throttled(api_client.post(url, body("u4", "guess"), **attacker))
    assert_throttled(api_client.post(url, body("alice"), **attacker))

    # Another client address still logs in.
    response = api_client.post(url, body("alice"), REMOTE_ADDR="198.51.100.7")
    assert response.status_code == 200


def test_login_address_cannot_be_spoofed_with_x_forwarded_for(settings, api_client, login):
    url, body = login
    settings.PAZAR_RATE_LIMITS = config.rate_limits("login=100/min,login-address=3/min")
    wait_for_window_room(room=5)

    # Sent directly from an address that is not a trusted proxy, X-Forwarded-For is ignored.
    for n in range(3):
        response = api_client.post(
            url,
            body(f"u{n}", "guess"),
            REMOTE_ADDR="203.0.113.5",
            HTTP_X_FORWARDED_FOR=f"10.0.0.{n}",
        )
        assert response.status_code == 400
    assert_throttled(
        api_client.post(
            url, body("u9", "guess"), REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_FOR="10.0.0.9"
        )
    )

    # Through a trusted proxy the client is the nearest untrusted address; what the client
    # itself puts in front of it changes nothing.
    for n in range(3):
        response = api_client.post(
            url,
            body(f"v{n}", "guess"),
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR=f"10.1.0.{n}, 198.51.100.20",
        )
        assert response.status_code == 400
    assert_throttled(
        api_client.post(
            url,
            body("v9", "guess"),
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR="10.1.0.9, 198.51.100.20",
        )
    )
    # ...and another client behind the same proxy has its own budget.
    response = api_client.post(
        url, body("alice"), REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.21"
    )
    assert response.status_code == 200


# --- exactness under concurrency ----------------------------------------------------------


def test_hit_lets_exactly_the_limit_through_under_a_thread_pool(store, transactional_db):
    rate = Rate(limit=7, period=60)
    now = time.time()
    key = f"test-hit:{os.getpid()}:{time.monotonic_ns()}"
    parallel = 32
    barrier = threading.Barrier(parallel)

    def one_hit(_):
        barrier.wait(timeout=30)
        try:
            return ratelimit.hit(key, rate, now=now)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=parallel) as pool:
        decisions = list(pool.map(one_hit, range(parallel)))

    assert sum(d.allowed for d in decisions) == 7
    assert sorted(d.remaining for d in decisions if d.allowed) == [0, 1, 2, 3, 4, 5, 6]
    assert {d.remaining for d in decisions if not d.allowed} == {0}
    assert {d.reset for d in decisions} == {(int(now // 60) + 1) * 60}
    assert_counted_only_in(store, key, parallel)


def test_parallel_requests_to_a_live_server_let_exactly_the_limit_through(
    store, settings, live_server
):
    settings.PAZAR_RATE_LIMITS = config.rate_limits("access-tokens=7/min")
    membership = SellerMembershipFactory()
    _, key = seller_token(membership)
    parallel = 30
    barrier = threading.Barrier(parallel)
    url = live_server.url + ACCESS_TOKENS
    wait_for_window_room(room=40)

    def one_request(_):
        with requests.Session() as session:
            barrier.wait(timeout=30)
            return session.get(url, headers={"Authorization": f"Token {key}"}, timeout=60)

    with ThreadPoolExecutor(max_workers=parallel) as pool:
        responses = list(pool.map(one_request, range(parallel)))

    assert sorted(r.status_code for r in responses) == [200] * 7 + [429] * (parallel - 7)
    ok = [r for r in responses if r.status_code == 200]
    remaining = sorted(int(r.headers["X-RateLimit-Remaining"]) for r in ok)
    assert remaining == [0, 1, 2, 3, 4, 5, 6]
    for response in ok:
        assert response.json() == {"count": 1, "next": None, "previous": None, "results": [ANY]}
    for response in responses:
        assert response.headers["X-RateLimit-Limit"] == "7"
        if response.status_code == 429:
            assert_throttled(response)
            assert response.headers["X-RateLimit-Remaining"] == "0"
    # The server's threads counted in the store this test selected.
    assert_counted_only_in(
        store, f"seller-center:access-tokens:seller:{membership.seller_id}:", parallel
    )
