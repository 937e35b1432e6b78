"""The app proxy through a running Pazar server, end to end over real sockets."""

import hashlib

import pytest
import requests

from pazar.applications import signing
from tests.applications.factories import ProxiedApplicationFactory
from tests.applications.upstream import BIG, LocalApp
from tests.factories import OperatorFactory, operator_token


@pytest.fixture
def running(live_server, transactional_db, settings):
    settings.PAZAR_ALLOW_PRIVATE_NETWORKS = True
    user = OperatorFactory(is_superuser=True)
    headers = {"Authorization": f"Token {operator_token(user)}"}
    with LocalApp() as local_app:
        application = ProxiedApplicationFactory(web_url=local_app.base_url)
        base = f"{live_server.url}/omnitron/api/v1/app_proxy/{application.pk}/"
        yield base, headers, local_app, application, user


def test_a_5_mb_response_streams_through_the_running_server_intact(running):
    base, headers, _, _, _ = running

    with requests.get(f"{base}big", headers=headers, stream=True, timeout=10) as response:
        chunks = list(response.iter_content(chunk_size=64 * 1024))

    assert response.status_code == 200
    assert response.headers["Content-Length"] == str(len(BIG))
    assert hashlib.sha256(b"".join(chunks)).hexdigest() == hashlib.sha256(BIG).hexdigest()


def test_the_running_server_relays_the_first_bytes_before_the_rest_exists(running):
    base, headers, local_app, _, _ = running

    with requests.get(f"{base}gated", headers=headers, stream=True, timeout=5) as response:
        chunks = response.iter_content(chunk_size=1024)
        first = next(chunks)  # would time out if anything buffered the whole body
        local_app.gate.set()
        rest = b"".join(chunks)

    assert first + rest == BIG


def test_a_post_through_the_running_server_arrives_signed(running):
    base, headers, local_app, application, user = running

    response = requests.post(
        f"{base}orders/?dry_run=1", json={"sku": "RED-TEE"}, headers=headers, timeout=10
    )

    received = local_app.last
    assert response.status_code == 200
    assert received.body == b'{"sku": "RED-TEE"}'
    assert received.target == "/app/orders/?dry_run=1"
    assert "authorization" not in received.headers
    assert received.headers["x-pazar-user-id"] == str(user.pk)
    assert signing.verify(
        secret=application.proxy_secret,
        signature=received.headers["x-pazar-signature"],
        method="POST",
        target=received.target,
        timestamp=received.headers["x-pazar-timestamp"],
        user_id=received.headers["x-pazar-user-id"],
    )
