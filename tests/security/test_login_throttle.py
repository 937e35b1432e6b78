"""Every password form is limited like the API logins (tests/api/test_rate_limits.py): per
username (`login`) and per client address (`login-address`). Here: the admin's own login page,
which operators — superusers included — sign in with."""

import pytest
from django.test import Client

from pazar.core import config
from tests.factories import PASSWORD, OperatorFactory
from tests.windows import wait_for_window_room

pytestmark = pytest.mark.django_db

ADMIN_LOGIN = "/admin/login/"
TOO_MANY = "Too many sign-in attempts. Try again later."


def sign_in(client, username, password, **extra):
    return client.post(
        ADMIN_LOGIN, {"username": username, "password": password, "next": "/admin/"}, **extra
    )


def signed_in(response) -> bool:
    return response.status_code == 302 and response["Location"] == "/admin/"


def test_admin_login_is_limited_per_username(settings):
    settings.PAZAR_RATE_LIMITS = config.rate_limits("login=3/min,login-address=100/min")
    wait_for_window_room(room=5)
    OperatorFactory(username="root", is_superuser=True)
    client = Client()

    for _ in range(3):
        assert sign_in(client, "root", "guess").status_code == 200

    refused = sign_in(client, "root", PASSWORD)
    assert not signed_in(refused)
    assert TOO_MANY in refused.content.decode()
    assert not signed_in(sign_in(client, "ROOT", PASSWORD))  # counted case-insensitively


def test_admin_login_is_limited_per_client_address(settings):
    settings.PAZAR_RATE_LIMITS = config.rate_limits("login=100/min,login-address=3/min")
    wait_for_window_room(room=5)
    OperatorFactory(username="root", is_superuser=True)
    attacker = {"REMOTE_ADDR": "203.0.113.5"}

    for name in ("u1", "u2", "u3"):
        assert sign_in(Client(), name, "guess", **attacker).status_code == 200
    assert not signed_in(sign_in(Client(), "root", PASSWORD, **attacker))

    assert signed_in(sign_in(Client(), "root", PASSWORD, REMOTE_ADDR="198.51.100.7"))


def test_admin_login_within_the_limit_signs_in(settings):
    settings.PAZAR_RATE_LIMITS = config.rate_limits("login=3/min,login-address=100/min")
    wait_for_window_room(room=5)
    OperatorFactory(username="root", is_superuser=True)
    client = Client()

    assert sign_in(client, "root", "guess").status_code == 200
    assert signed_in(sign_in(client, "root", PASSWORD))
