"""Login limits (pazar.accounts.logins) on every login, on both counter stores: escalating locks
per account, the lockout notice by email, and a per-address budget that does not refuse
another account's right password."""

import threading
import time

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from rest_framework.exceptions import Throttled
from rest_framework.test import APIClient

from pazar.accounts import logins, services
from pazar.api import ratelimit
from pazar.core import config
from tests.api.test_rate_limits import assert_throttled, redis_client  # noqa: F401
from tests.factories import PASSWORD, OperatorFactory, SellerMembershipFactory

OMNITRON_V1 = "/omnitron/api/v1/auth/login/"
OMNITRON_I1 = "/omnitron/api/i1/auth/login/"
WHIPPY = "/whippy-ware/api/v1/auth/login/"
SELLER = "/seller-center/api/i1/token/obtain/"
ADMIN = "/admin/login/"
PANEL = "/seller-center/panel/sign-in/"
OFFICE = {"REMOTE_ADDR": "203.0.113.5"}
ELSEWHERE = {"REMOTE_ADDR": "198.51.100.7"}

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["database", "redis"])
def store(request, settings):
    """Each test runs on the database store and on Redis (REDIS_URL, or PAZAR_TEST_REDIS_URL)."""
    if request.param == "database":
        settings.REDIS_URL = ""
        assert isinstance(ratelimit.counters(), ratelimit.DatabaseCounters)
    else:
        client = request.getfixturevalue("redis_client")
        settings.REDIS_URL = client.url
        assert isinstance(ratelimit.counters(), ratelimit.RedisCounters)
    return request.param


@pytest.fixture
def limits(settings, store):
    settings.PAZAR_RATE_LIMITS = config.rate_limits("login=3/min,login-address=100/hour")
    settings.PAZAR_LOGIN_LOCK_MAX_SECONDS = 3600
    return settings


def operator_login(who: str, password: str = "wrong", url: str = OMNITRON_V1, **extra):
    return APIClient().post(url, {"username": who, "password": password}, format="json", **extra)


def seller_login(email: str, password: str = "wrong", **extra):
    return APIClient().post(SELLER, {"email": email, "password": password}, format="json", **extra)


def admin_sign_in(who: str, password: str = "wrong", **extra):
    return Client().post(ADMIN, {"username": who, "password": password, "next": "/admin/"}, **extra)


def lock_left(name: str) -> float:
    return ratelimit.failures.seconds_left(f"{logins.PREFIX}:lock:{name}")


def expire_lock(name: str) -> None:
    ratelimit.failures.delete(f"{logins.PREFIX}:lock:{name}")


# --- the escalation -------------------------------------------------------------------------


def test_lock_seconds_double_after_the_free_failures_up_to_the_cap(settings):
    settings.PAZAR_LOGIN_LOCK_MAX_SECONDS = 3600

    waits = [logins.lock_seconds(failures=n, first=60, free=5) for n in range(1, 14)]

    assert waits == [0, 0, 0, 0, 60, 120, 240, 480, 960, 1920, 3600, 3600, 3600]


def test_defaults_give_five_free_failures_and_a_hundred_an_hour_per_address():
    limits = config.rate_limits(None)

    assert limits["login"] == config.Rate(limit=5, period=60)
    assert limits["login-address"] == config.Rate(limit=100, period=3600)


def test_each_failure_past_the_free_ones_locks_the_account_twice_as_long(limits):
    OperatorFactory(username="alice")

    answers = [operator_login("alice").status_code for _ in range(3)]
    first = lock_left("alice")
    refused = operator_login("alice", PASSWORD)
    expire_lock("alice")  # the first lock ends
    fourth = operator_login("alice")
    second = lock_left("alice")

    assert answers == [400, 400, 400]
    assert 55 <= first <= 60
    assert assert_throttled(refused) in range(55, 61)
    assert fourth.status_code == 400
    assert 115 <= second <= 120
    assert assert_throttled(operator_login("alice", PASSWORD), period=120) > 60


def test_a_refused_attempt_is_not_counted_and_a_right_password_clears_the_count(limits):
    OperatorFactory(username="alice")
    for _ in range(3):
        operator_login("alice")
    for _ in range(10):
        assert_throttled(operator_login("alice"))
    expire_lock("alice")

    assert operator_login("alice", PASSWORD).status_code == 200  # the 4th evaluated attempt
    assert [operator_login("alice").status_code for _ in range(3)] == [400, 400, 400]
    assert_throttled(operator_login("alice"))


def test_the_same_account_is_counted_across_omnitron_whippy_ware_and_the_admin(limits):
    OperatorFactory(username="alice")

    operator_login("alice", url=OMNITRON_V1)
    operator_login("ALICE", url=WHIPPY)  # case-insensitive
    admin_sign_in("alice")

    assert_throttled(operator_login("alice", PASSWORD, url=OMNITRON_I1))
    assert admin_sign_in("alice", PASSWORD).status_code == 200  # refused: the form again
    assert "Too many sign-in attempts" in admin_sign_in("alice", PASSWORD).content.decode()


def test_a_sellers_email_is_counted_across_the_token_obtain_and_the_panel(limits):
    SellerMembershipFactory(user__email="owner@acme.example")

    for _ in range(2):
        assert seller_login("owner@acme.example").status_code == 400
    panel = Client().post(PANEL, {"email": "owner@acme.example", "password": "wrong"})

    assert panel.status_code == 200
    assert_throttled(seller_login("owner@acme.example", PASSWORD))
    locked = Client().post(PANEL, {"email": "owner@acme.example", "password": PASSWORD})
    assert locked.status_code == 429


# --- the lockout notice ---------------------------------------------------------------------


def test_the_lock_is_notified_once_per_run_to_the_accounts_email(limits):
    OperatorFactory(username="alice", email="alice@example.com")

    for _ in range(3):
        operator_login("alice", **OFFICE)
    assert_throttled(operator_login("alice"))
    expire_lock("alice")
    operator_login("alice")  # a longer lock, same run: no second notice

    [notice] = mail.outbox
    assert notice.to == ["alice@example.com"]
    assert notice.subject == logins.LOCKOUT_SUBJECT
    assert "203.0.113.5" in notice.body
    assert "3 wrong passwords" in notice.body


def test_a_seller_users_notice_goes_to_their_email(limits):
    SellerMembershipFactory(user__email="owner@acme.example")

    for _ in range(3):
        seller_login("Owner@Acme.example")

    assert [message.to for message in mail.outbox] == [["owner@acme.example"]]


def test_an_unknown_account_is_locked_alike_and_nobody_is_mailed(limits):
    answers = [operator_login("nobody").status_code for _ in range(3)]

    assert answers == [400, 400, 400]
    assert_throttled(operator_login("nobody"))
    assert mail.outbox == []


def test_a_failing_mail_server_does_not_change_the_answer(limits, caplog):
    limits.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    limits.EMAIL_HOST, limits.EMAIL_PORT, limits.EMAIL_TIMEOUT = "127.0.0.1", 1, 1
    OperatorFactory(username="alice", email="alice@example.com")

    answers = [operator_login("alice").status_code for _ in range(3)]

    assert answers == [400, 400, 400]
    [warning] = [r for r in caplog.records if r.name == "pazar.accounts.logins"]
    assert warning.getMessage().startswith("lockout notice to user ")
    assert warning.exc_info is None


# --- the address ----------------------------------------------------------------------------


def test_hammering_admin_from_an_address_refuses_no_other_login_from_it(limits):
    OperatorFactory(username="admin")
    OperatorFactory(username="bob")
    SellerMembershipFactory(user__email="owner@acme.example")

    answers = {operator_login("admin", **OFFICE).status_code for _ in range(30)}

    assert answers == {400, 429}
    assert operator_login("bob", PASSWORD, **OFFICE).status_code == 200
    assert operator_login("bob", PASSWORD, url=WHIPPY, **OFFICE).status_code == 200
    assert seller_login("owner@acme.example", PASSWORD, **OFFICE).status_code == 200
    assert operator_login("bob", PASSWORD, url=OMNITRON_I1, **OFFICE).status_code == 200


def test_past_the_address_budget_only_accounts_known_there_still_sign_in(limits):
    limits.PAZAR_RATE_LIMITS = config.rate_limits("login=3/min,login-address=4/min")
    OperatorFactory(username="bob")
    OperatorFactory(username="carol")
    assert operator_login("bob", PASSWORD, **OFFICE).status_code == 200  # bob is known here

    for name in ("u1", "u2", "u3", "u4"):
        assert operator_login(name, **OFFICE).status_code == 400
    refused = operator_login("carol", PASSWORD, **OFFICE)

    assert_throttled(refused)
    assert operator_login("bob", PASSWORD, **OFFICE).status_code == 200
    assert admin_sign_in("bob", PASSWORD, **OFFICE).status_code == 302
    assert operator_login("carol", PASSWORD, **ELSEWHERE).status_code == 200
    assert_throttled(operator_login("u5", **OFFICE))


def test_right_passwords_do_not_use_the_address_budget(limits):
    limits.PAZAR_RATE_LIMITS = config.rate_limits("login=3/min,login-address=2/min")
    OperatorFactory(username="bob")

    answers = [operator_login("bob", PASSWORD, **OFFICE).status_code for _ in range(10)]

    assert answers == [200] * 10
    assert operator_login("u1", **OFFICE).status_code == 400


# --- at once --------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_parallel_burst_gets_the_free_attempts_and_then_one_per_lock(limits):
    OperatorFactory(username="alice")
    parallel = 12

    def burst() -> list[str]:
        barrier = threading.Barrier(parallel)
        outcomes: list[str] = []

        def attempt(_):
            try:
                barrier.wait(timeout=10)
                services.operator_login(username="alice", password="wrong", address="x")
            except Throttled:
                outcomes.append("refused")
            except Exception:
                outcomes.append("checked")
            finally:
                connection.close()

        threads = [threading.Thread(target=attempt, args=(n,)) for n in range(parallel)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        return sorted(outcomes)

    assert burst() == ["checked"] * 3 + ["refused"] * (parallel - 3)
    expire_lock("alice")
    assert burst() == ["checked"] + ["refused"] * (parallel - 1)
    assert lock_left("alice") >= 115  # the attempt let through holds a longer lock


def test_counters_are_forgotten_a_period_after_the_last_failure(limits):
    limits.PAZAR_RATE_LIMITS = config.rate_limits("login=3/s,login-address=100/hour")
    limits.PAZAR_LOGIN_FAILURES_KEPT_SECONDS = 2
    OperatorFactory(username="alice")

    for _ in range(2):
        operator_login("alice")
    time.sleep(2.2)

    assert [operator_login("alice").status_code for _ in range(3)] == [400, 400, 400]
    assert_throttled(operator_login("alice"), period=1)
