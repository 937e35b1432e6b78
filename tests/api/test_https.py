"""HTTPS only (seed 004), except the embedded loopback mode."""

import os
import subprocess
import sys

import pytest

from pazar.core.config import is_loopback_host

pytestmark = pytest.mark.django_db


@pytest.fixture
def production(settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True


def test_plain_http_is_redirected_to_https_in_production(production, client):
    response = client.get("/seller-center/api/i1/languages/?page=2", REMOTE_ADDR="203.0.113.9")

    assert response.status_code == 301
    assert response["Location"] == "https://testserver/seller-center/api/i1/languages/?page=2"


def test_https_from_a_trusted_proxy_is_served_with_hsts(production, client):
    response = client.get(
        "/seller-center/api/i1/languages/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_PROTO="https"
    )

    assert response.status_code == 401  # served (and asks for credentials), not redirected
    assert response["Strict-Transport-Security"] == "max-age=31536000"


def test_x_forwarded_proto_from_an_untrusted_address_is_ignored(production, client):
    response = client.get(
        "/seller-center/api/i1/languages/",
        REMOTE_ADDR="203.0.113.9",
        HTTP_X_FORWARDED_PROTO="https",
    )

    assert response.status_code == 301


def test_x_forwarded_for_from_a_trusted_proxy_gives_the_client_address():
    from django.http import HttpRequest

    from pazar.api.middleware import TrustedProxyMiddleware

    seen = {}

    def view(request: HttpRequest):
        seen["addr"] = request.META["REMOTE_ADDR"]
        return None

    middleware = TrustedProxyMiddleware(view)
    for remote, forwarded, expected in [
        ("127.0.0.1", "198.51.100.7, 127.0.0.1", "198.51.100.7"),
        ("203.0.113.9", "198.51.100.7", "203.0.113.9"),
    ]:
        request = HttpRequest()
        request.META = {"REMOTE_ADDR": remote, "HTTP_X_FORWARDED_FOR": forwarded}
        middleware(request)
        assert seen["addr"] == expected


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("localhost", True),
        ("::1", True),
        ("[::1]", True),
        ("0.0.0.0", False),
        ("10.0.0.5", False),
        ("pazar.example.com", False),
    ],
)
def test_only_loopback_addresses_count_as_local(host, loopback):
    assert is_loopback_host(host) is loopback


def settings_in_process(tmp_path, **env) -> dict:
    script = (
        "import django, json; django.setup()\n"
        "from django.conf import settings as s\n"
        "print(json.dumps({k: getattr(s, k) for k in ['SECURE_SSL_REDIRECT', 'SECURE_HSTS_SECONDS', "
        "'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE']}))\n"
    )
    base = {k: v for k, v in os.environ.items() if not k.startswith("PAZAR_")}
    full_env = {
        **base,
        "DJANGO_SETTINGS_MODULE": "pazar.settings",
        "PAZAR_DATA_DIR": str(tmp_path),
        **env,
    }
    result = subprocess.run(
        [sys.executable, "-c", script], env=full_env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    import json

    return json.loads(result.stdout)


def test_https_is_required_off_loopback_and_relaxed_on_it(tmp_path):
    public = settings_in_process(tmp_path, PAZAR_HOST="0.0.0.0")
    local = settings_in_process(tmp_path, PAZAR_HOST="127.0.0.1")
    forced = settings_in_process(tmp_path, PAZAR_HOST="127.0.0.1", PAZAR_REQUIRE_HTTPS="1")
    relaxed = settings_in_process(tmp_path, PAZAR_HOST="0.0.0.0", PAZAR_REQUIRE_HTTPS="0")

    assert public == {
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
    }
    assert forced == public
    assert local == {
        "SECURE_SSL_REDIRECT": False,
        "SECURE_HSTS_SECONDS": 0,
        "SESSION_COOKIE_SECURE": False,
        "CSRF_COOKIE_SECURE": False,
    }
    assert relaxed == local


def test_deploy_check_is_clean_in_production_mode(tmp_path):
    base = {k: v for k, v in os.environ.items() if not k.startswith("PAZAR_")}
    env = {**base, "PAZAR_DATA_DIR": str(tmp_path), "PAZAR_HOST": "0.0.0.0"}

    result = subprocess.run(
        [sys.executable, "-m", "pazar", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
