"""The seed pages' own examples, sent over HTTP to a running server exactly as shown."""

import json

import pytest
import requests

from tests.factories import OperatorFactory


@pytest.fixture
def operator_test_pass(transactional_db):
    user = OperatorFactory(username="test")
    user.set_password("test_pass")
    user.save()
    return user


def test_seed_000_python_snippet_prints_a_key(live_server, operator_test_pass):
    # Seed 000's snippet, with its base URL pointed at the local Omnitron.
    url = f"{live_server.url}/omnitron/api/i1/auth/login/"
    headers = {"Content-Type": "application/json"}
    data = {"username": "test", "password": "test_pass"}
    response = requests.post(url, headers=headers, data=json.dumps(data), timeout=10)

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json"
    key = json.loads(response.text)["key"]
    assert len(key) == 40
    me = requests.get(
        f"{live_server.url}/omnitron/api/v1/active_user/",
        headers={"Authorization": f"Token {key}"},
        timeout=10,
    )
    assert me.json()["username"] == "test"


def test_seed_001_login_expire_and_400_examples(live_server, operator_test_pass):
    base = f"{live_server.url}/whippy-ware/api/v1"

    login = requests.post(
        f"{base}/auth/login/", json={"username": "test", "password": "test_pass"}, timeout=10
    )
    key = login.json()["key"]
    auth = {"Authorization": f"Token {key}"}
    empty_login = requests.post(f"{base}/auth/login/", json={}, timeout=10)
    bad_expire = requests.post(
        f"{base}/expire-token/", json={"email": "test@test.com"}, headers=auth, timeout=10
    )
    expire = requests.post(
        f"{base}/expire-token/", json={"username": "test"}, headers=auth, timeout=10
    )
    after = requests.post(
        f"{base}/expire-token/", json={"username": "test"}, headers=auth, timeout=10
    )

    assert login.status_code == 200
    assert empty_login.status_code == 400
    assert empty_login.json() == {
        "username": ["This field is required."],
        "password": ["This field is required."],
    }
    assert bad_expire.status_code == 400
    assert bad_expire.json() == {"username": ["This field is required."]}
    assert expire.status_code == 204
    assert expire.text == ""
    assert after.status_code == 401


def test_login_endpoints_only_accept_post(live_server, transactional_db):
    response = requests.get(f"{live_server.url}/whippy-ware/api/v1/auth/login/", timeout=10)

    assert response.status_code == 405
    assert response.json() == {"detail": 'Method "GET" not allowed.', "code": "method_not_allowed"}
