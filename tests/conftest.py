import pytest
from django.conf import settings
from rest_framework.test import APIClient

from tests.factories import OperatorFactory, SellerMembershipFactory, operator_token, seller_token


@pytest.fixture(autouse=True)
def _fresh_rate_limit_counters():
    """Redis keeps counters between tests (the database rolls back); start each test at zero."""
    if settings.REDIS_URL:
        import redis

        client = redis.Redis.from_url(settings.REDIS_URL)
        keys = list(client.scan_iter("pazar:rl:*", count=1000))
        if keys:
            client.delete(*keys)
    yield


@pytest.fixture(autouse=True)
def _no_outage_carried_over():
    """A test that made Redis unreachable leaves no "Redis is down" state to the next one."""
    from pazar.api.ratelimit import REDIS_OUTAGE
    from pazar.core.cache import CACHE_OUTAGE

    REDIS_OUTAGE.reset()
    CACHE_OUTAGE.reset()
    yield


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Argon2 is deliberately slow; tests that are not about hashing use a fast hasher."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def operator(db):
    return OperatorFactory(is_superuser=True)


@pytest.fixture
def operator_client(operator):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {operator_token(operator)}")
    return client


@pytest.fixture
def seller_membership(db):
    return SellerMembershipFactory()


@pytest.fixture
def seller_client(seller_membership):
    _, key = seller_token(seller_membership)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    client.seller = seller_membership.seller
    return client


def pytest_collection_modifyitems(config, items):
    """`postgres_only` tests race real connections; SQLite serializes whole databases, so they
    prove nothing there and are skipped (they run on PostgreSQL)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (DATABASE_URL=postgres://…)")
    for item in items:
        if "postgres_only" in item.keywords:
            item.add_marker(skip)
