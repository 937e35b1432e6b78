"""The app proxy against a real application server on 127.0.0.1 (omnitron.md §3)."""

import gzip
import io
import json
from urllib.parse import quote

import pytest
from django.test import RequestFactory
from rest_framework.test import APIClient

from pazar.applications import proxy, signing
from pazar.core.errors import ApplicationError
from tests.applications.factories import ApplicationFactory, ProxiedApplicationFactory
from tests.applications.upstream import BIG, LocalApp, closed_port
from tests.factories import (
    OperatorFactory,
    SellerMembershipFactory,
    operator_token,
    seller_token,
    staff_with_perms,
)

pytestmark = pytest.mark.django_db

NOT_FOUND = {"detail": "Not found.", "code": "not_found"}


@pytest.fixture
def local_app(settings):
    settings.PAZAR_ALLOW_PRIVATE_NETWORKS = True
    with LocalApp() as app:
        yield app


@pytest.fixture
def application(local_app):
    return ProxiedApplicationFactory(web_url=local_app.base_url)


def proxied(application, rest: str = "") -> str:
    return f"/omnitron/api/v1/app_proxy/{application.pk}/{rest}"


def body_of(response) -> bytes:
    return b"".join(response.streaming_content)


def client_for(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {operator_token(user)}")
    return client


# --- forwarding -----------------------------------------------------------------------------


def test_a_get_is_forwarded_with_its_path_and_query_string(operator_client, application, local_app):
    response = operator_client.get(proxied(application, "orders/42/?status=new&page=2&q=a%20b"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert json.loads(body_of(response)) == {
        "method": "GET",
        "target": "/app/orders/42/?status=new&page=2&q=a%20b",
        "body": "",
    }
    assert len(local_app.received) == 1


def test_a_post_is_forwarded_with_its_body_and_content_type(
    operator_client, application, local_app
):
    response = operator_client.post(
        proxied(application, "orders/"), {"sku": "RED-TEE", "quantity": 2}, format="json"
    )

    assert response.status_code == 200
    assert json.loads(body_of(response))["method"] == "POST"
    assert json.loads(local_app.last.body) == {"sku": "RED-TEE", "quantity": 2}
    assert local_app.last.headers["content-type"] == "application/json"
    assert local_app.last.headers["content-length"] == str(len(local_app.last.body))


@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE", "OPTIONS"])
def test_every_method_is_forwarded(operator_client, application, local_app, method):
    response = operator_client.generic(
        method, proxied(application, "things/1/"), b"payload", content_type="text/plain"
    )

    assert response.status_code == 200
    assert local_app.last.method == method
    assert local_app.last.target == "/app/things/1/"
    assert local_app.last.body == b"payload"


def test_a_head_is_forwarded_and_answered_without_a_body(operator_client, application, local_app):
    response = operator_client.head(proxied(application, "things/1/"))

    assert response.status_code == 200
    assert local_app.last.method == "HEAD"
    assert body_of(response) == b""


@pytest.mark.parametrize("url_rest", ["", None])
def test_the_application_root_is_reachable_with_or_without_the_trailing_slash(
    operator_client, application, local_app, url_rest
):
    url = proxied(application) if url_rest == "" else proxied(application).rstrip("/")

    response = operator_client.get(url)

    assert response.status_code == 200
    assert local_app.last.target == "/app/"


def test_safe_headers_are_forwarded_and_credentials_and_spoofed_identities_are_not(
    operator, operator_client, application, local_app
):
    token = operator_token(operator)

    response = operator_client.get(
        proxied(application, "echo"),
        HTTP_ACCEPT="text/html",
        HTTP_ACCEPT_LANGUAGE="tr-tr",
        HTTP_X_REQUEST_ID="req-1",
        HTTP_COOKIE="sessionid=pazar-session; csrftoken=abc",
        HTTP_X_CSRFTOKEN="abc",
        HTTP_X_PAZAR_USER_ID="1",
        HTTP_X_PAZAR_SIGNATURE="sha256=forged",
        HTTP_X_FORWARDED_FOR="203.0.113.9",
        HTTP_FORWARDED="for=203.0.113.9",
        HTTP_CONNECTION="keep-alive, X-Hop",
        HTTP_X_HOP="only for this connection",
        HTTP_PROXY_AUTHORIZATION="Basic c2VjcmV0",
        HTTP_EXPECT="100-continue",
        REMOTE_ADDR="198.51.100.7",  # not a trusted proxy: its X-Forwarded-For is not believed
    )

    headers = local_app.last.headers
    assert response.status_code == 200  # text/html accepted: the proxy never answers 406
    assert headers["accept"] == "text/html"
    assert headers["accept-language"] == "tr-tr"
    assert headers["x-request-id"] == "req-1"
    assert headers["host"] == f"127.0.0.1:{local_app.port}"
    for dropped in ["authorization", "cookie", "x-csrftoken", "forwarded", "x-hop", "expect"]:
        assert dropped not in headers
    assert "proxy-authorization" not in headers
    assert token not in json.dumps(headers)
    assert headers["x-pazar-user-id"] == str(operator.pk)
    assert headers["x-pazar-username"] == operator.username
    assert headers["x-pazar-application-id"] == str(application.pk)
    assert headers["x-forwarded-for"] == "198.51.100.7"
    assert headers["x-forwarded-proto"] == "http"
    assert headers["x-forwarded-host"] == "testserver"
    assert headers["x-forwarded-prefix"] == f"/omnitron/api/v1/app_proxy/{application.pk}"


def test_the_http_clients_own_defaults_are_not_added(operator_client, application, local_app):
    operator_client.get(proxied(application, "echo"))

    assert "accept-encoding" not in local_app.last.headers
    assert "user-agent" not in local_app.last.headers
    assert "accept" not in local_app.last.headers


def test_the_raw_query_string_is_sent_byte_for_byte():
    # WSGI gives "q=café" sent unencoded as the latin-1 text of its UTF-8 bytes.
    raw = "q=café&a=%2F&b=x y&c=[1]".encode().decode("latin-1")

    url = proxy.upstream_url("https://app.example/base", "list", raw)

    assert url.raw_path == b"/base/list?q=caf%C3%A9&a=%2F&b=x%20y&c=[1]"


def test_the_signature_verifies_with_the_applications_secret(
    operator, operator_client, application, local_app
):
    operator_client.post(proxied(application, "orders/?page=2"), {"a": 1}, format="json")

    received = local_app.last
    arguments = {
        "method": received.method,
        "target": received.target,
        "timestamp": received.headers["x-pazar-timestamp"],
        "user_id": received.headers["x-pazar-user-id"],
    }
    assert received.headers["x-pazar-signature"].startswith("sha256=")
    assert signing.verify(
        secret=application.proxy_secret,
        signature=received.headers["x-pazar-signature"],
        **arguments,
    )
    assert not signing.verify(
        secret="another secret", signature=received.headers["x-pazar-signature"], **arguments
    )
    assert not signing.verify(
        secret=application.proxy_secret,
        signature=received.headers["x-pazar-signature"],
        **{**arguments, "user_id": "999999"},
    )
    assert not signing.verify(
        secret=application.proxy_secret,
        signature=received.headers["x-pazar-signature"],
        **{**arguments, "target": "/app/orders/?page=3"},
    )


def test_a_stale_signature_does_not_verify():
    signature = signing.sign(
        secret="s", method="GET", target="/app/", timestamp="1000", user_id="7"
    )

    fresh = signing.verify(
        secret="s",
        signature=signature,
        method="GET",
        target="/app/",
        timestamp="1000",
        user_id="7",
        now=1000 + 299,
    )
    stale = signing.verify(
        secret="s",
        signature=signature,
        method="GET",
        target="/app/",
        timestamp="1000",
        user_id="7",
        now=1000 + 301,
    )

    assert fresh is True
    assert stale is False


def test_the_signature_is_hmac_sha256_of_method_target_timestamp_and_user_id():
    import hashlib
    import hmac

    expected = hmac.new(b"key", b"POST\n/app/x?y=1\n1700000000\n42", hashlib.sha256).hexdigest()

    assert (
        signing.sign(
            secret="key", method="post", target="/app/x?y=1", timestamp="1700000000", user_id="42"
        )
        == f"sha256={expected}"
    )


# --- the answer -----------------------------------------------------------------------------


def test_a_large_response_is_streamed_back_intact(operator_client, application):
    response = operator_client.get(proxied(application, "big"))

    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Length"] == str(len(BIG))
    assert body_of(response) == BIG


def test_the_first_bytes_arrive_before_the_application_has_sent_the_rest(
    operator_client, application, local_app
):
    response = operator_client.get(proxied(application, "gated"))
    chunks = iter(response.streaming_content)

    first = next(chunks)  # the application is still holding the rest back
    local_app.gate.set()
    rest = b"".join(chunks)

    assert first == BIG[: len(first)]
    assert first + rest == BIG


def test_the_applications_status_headers_and_body_are_relayed_and_cookies_are_not(
    operator_client, application
):
    response = operator_client.get(proxied(application, "teapot"))

    assert response.status_code == 418
    assert json.loads(body_of(response)) == {"error": "teapot"}
    assert response["X-App"] == "kept"
    assert response["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in response
    assert "Access-Control-Allow-Origin" not in response
    assert "Strict-Transport-Security" not in response
    assert response.cookies == {}
    assert response["Content-Security-Policy"] == proxy.SANDBOX_POLICY
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_sandbox_can_be_turned_off(operator_client, application, settings):
    settings.PAZAR_APP_PROXY_SANDBOX = False

    response = operator_client.get(proxied(application, "teapot"))

    assert "Content-Security-Policy" not in response


def test_cookies_an_application_sets_are_never_sent_back_by_the_proxy(
    operator_client, application, local_app
):
    operator_client.get(proxied(application, "teapot"))  # answers with Set-Cookie

    client_for(OperatorFactory(is_superuser=True)).get(proxied(application, "echo"))

    assert "cookie" not in local_app.last.headers


def test_a_compressed_body_is_relayed_as_the_application_sent_it(operator_client, application):
    response = operator_client.get(proxied(application, "gzip"), HTTP_ACCEPT_ENCODING="gzip")

    assert response["Content-Encoding"] == "gzip"
    assert json.loads(gzip.decompress(body_of(response))) == {"compressed": True}


def test_redirects_are_relayed_not_followed(operator_client, application, local_app):
    to = quote(f"{local_app.base_url}next/step?x=1", safe="")
    inside = operator_client.get(proxied(application, f"redirect?to={to}"))
    relative = operator_client.get(proxied(application, "redirect?to=/app/next"))
    elsewhere = operator_client.get(
        proxied(application, "redirect?to=https://elsewhere.example/steal")
    )

    assert inside.status_code == 302
    assert inside["Location"] == f"/omnitron/api/v1/app_proxy/{application.pk}/next/step?x=1"
    assert relative["Location"] == f"/omnitron/api/v1/app_proxy/{application.pk}/next"
    assert elsewhere.status_code == 302
    assert elsewhere["Location"] == "https://elsewhere.example/steal"
    assert [request.target.split("?")[0] for request in local_app.received] == ["/app/redirect"] * 3


def test_consecutive_requests_reuse_one_pooled_connection(operator_client, application, local_app):
    for _ in range(3):
        body_of(operator_client.get(proxied(application, "echo")))

    ports = {request.client_port for request in local_app.received}
    assert len(local_app.received) == 3
    assert len(ports) == 1


# --- failures -------------------------------------------------------------------------------


def test_an_application_that_does_not_answer_in_time_is_a_504(
    operator_client, application, local_app, settings
):
    settings.PAZAR_APP_PROXY_TIMEOUT_SECONDS = 0.3
    local_app.slow_seconds = 2

    response = operator_client.get(proxied(application, "slow"))

    assert response.status_code == 504
    assert response.json() == {
        "detail": "The application did not answer in time.",
        "code": "gateway_timeout",
    }


def test_an_application_that_is_down_is_a_502(operator_client, settings):
    settings.PAZAR_ALLOW_PRIVATE_NETWORKS = True
    application = ProxiedApplicationFactory(web_url=f"http://127.0.0.1:{closed_port()}/")

    response = operator_client.get(proxied(application, "orders/"))

    assert response.status_code == 502
    assert response.json() == {
        "detail": "The application could not be reached.",
        "code": "bad_gateway",
    }


def test_an_application_that_does_not_speak_http_is_a_502(operator_client, application):
    response = operator_client.get(proxied(application, "garbage"))

    assert response.status_code == 502
    assert response.json()["code"] == "bad_gateway"


@pytest.mark.parametrize(
    "application_kwargs",
    [
        {"is_active": False},
        {"is_proxy_available": False},
        {"config": {"visible_type": "empty"}},  # no web_url
        {"config": None},
    ],
    ids=["inactive", "proxy-disabled", "no-web-url", "null-config"],
)
def test_an_application_that_is_not_proxied_is_a_404(
    operator_client, local_app, application_kwargs
):
    application = ProxiedApplicationFactory(web_url=local_app.base_url, **application_kwargs)

    response = operator_client.post(proxied(application, "orders/"), {"a": 1}, format="json")

    assert response.status_code == 404
    assert response.json() == NOT_FOUND
    assert local_app.received == []


def test_an_unknown_application_is_a_404(operator_client):
    response = operator_client.get("/omnitron/api/v1/app_proxy/999999/orders/")

    assert response.status_code == 404
    assert response.json() == NOT_FOUND


def test_a_soft_deleted_application_is_no_longer_proxied(operator_client, application, local_app):
    operator_client.delete(f"/omnitron/api/v1/applications/{application.pk}/")

    response = operator_client.get(proxied(application, "echo"))

    assert response.status_code == 404
    assert local_app.received == []


def test_a_body_over_the_cap_is_a_413_and_never_sent(
    operator_client, application, local_app, settings
):
    settings.PAZAR_APP_PROXY_MAX_BODY_BYTES = 1000

    at_cap = operator_client.post(
        proxied(application, "upload"), b"x" * 1000, content_type="application/octet-stream"
    )
    over = operator_client.post(
        proxied(application, "upload"), b"x" * 1001, content_type="application/octet-stream"
    )

    assert at_cap.status_code == 200
    assert over.status_code == 413
    assert over.json() == {
        "detail": "The request body is larger than 1000 bytes.",
        "code": "request_too_large",
    }
    assert [len(request.body) for request in local_app.received] == [1000]


# --- no open proxy --------------------------------------------------------------------------


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "10.0.0.8", "169.254.169.254"])
def test_private_addresses_are_refused_unless_allowed(operator_client, settings, host):
    settings.PAZAR_ALLOW_PRIVATE_NETWORKS = False
    with LocalApp() as local_app:
        application = ProxiedApplicationFactory(
            web_url=local_app.base_url.replace("127.0.0.1", host)
        )

        response = operator_client.get(proxied(application, "echo"))

        assert response.status_code == 502
        assert response.json()["code"] == "proxy_refused"
        assert "non-public address" in response.json()["detail"]
        assert local_app.received == []


@pytest.mark.parametrize(
    "rest",
    [
        "../secret",
        "a/../../secret",
        "%2e%2e/secret",
        "..%2fsecret",
        "a/%2E%2E/%2e%2e/secret",
        "..%5csecret",
        "./echo",
    ],
)
def test_path_traversal_is_refused(operator_client, application, local_app, rest):
    response = operator_client.get(proxied(application, rest))

    assert response.status_code == 400
    assert response.json() == {
        "detail": "The path may not contain . or .. segments.",
        "code": "proxy_path_invalid",
    }
    assert local_app.received == []


@pytest.mark.parametrize(
    ("rest", "target"),
    [
        ("http://elsewhere.example/x", "/app/http://elsewhere.example/x"),
        ("//elsewhere.example/x", "/app/elsewhere.example/x"),
        ("@elsewhere.example/x", "/app/@elsewhere.example/x"),
        ("a%2Fb%3Fc=1", "/app/a/b%3Fc=1"),
        ("%252e%252e/x", "/app/%252e%252e/x"),
        ("caf%C3%A9", "/app/caf%C3%A9"),
    ],
)
def test_absolute_urls_and_encoded_characters_stay_inside_the_application(
    operator_client, application, local_app, rest, target
):
    response = operator_client.get(proxied(application, rest))

    assert response.status_code == 200
    assert local_app.last.target == target


# --- who may call ---------------------------------------------------------------------------


def test_only_operators_who_may_view_applications_may_use_the_proxy(application, api_client):
    _, seller_key = seller_token(SellerMembershipFactory())
    seller = APIClient()
    seller.credentials(HTTP_AUTHORIZATION=f"Token {seller_key}")
    url = proxied(application, "echo")

    anonymous = api_client.get(url)
    with_seller_token = seller.get(url)
    without_permission = client_for(OperatorFactory()).post(url, {}, format="json")
    viewer = client_for(staff_with_perms("applications.view_application"))
    superuser = client_for(OperatorFactory(is_superuser=True))

    assert anonymous.status_code == 401
    assert with_seller_token.status_code == 401
    assert with_seller_token.json() == {"detail": "Invalid token.", "code": "authentication_failed"}
    assert without_permission.status_code == 403
    assert without_permission.json()["code"] == "permission_denied"
    assert viewer.get(url).status_code == 200
    assert viewer.post(url, {}, format="json").status_code == 200
    assert superuser.delete(url).status_code == 200


def test_unknown_applications_are_a_404_only_after_authentication(api_client):
    response = api_client.get(f"/omnitron/api/v1/app_proxy/{ApplicationFactory().pk + 1}/x")

    assert response.status_code == 401


# --- request bodies as servers hand them over ---------------------------------------------


def chunked_request(body: bytes, *, terminated: bool):
    request = RequestFactory().post(
        "/", b"", content_type="application/octet-stream", HTTP_TRANSFER_ENCODING="chunked"
    )
    request.META.pop("CONTENT_LENGTH", None)
    request.META["wsgi.input"] = io.BytesIO(body)
    if terminated:
        request.META["wsgi.input_terminated"] = True
    return request


def test_a_chunked_body_is_read_from_servers_that_end_it(settings):
    settings.PAZAR_APP_PROXY_MAX_BODY_BYTES = 300_000

    body = proxy.read_body(chunked_request(b"a" * 200_000, terminated=True))

    assert body == b"a" * 200_000


def test_a_chunked_body_over_the_cap_is_a_413(settings):
    settings.PAZAR_APP_PROXY_MAX_BODY_BYTES = 100_000

    with pytest.raises(ApplicationError) as refused:
        proxy.read_body(chunked_request(b"a" * 100_001, terminated=True))

    assert refused.value.status_code == 413
    assert refused.value.get_codes() == "request_too_large"


def test_a_chunked_body_a_server_cannot_end_is_a_411():
    with pytest.raises(ApplicationError) as refused:
        proxy.read_body(chunked_request(b"abc", terminated=False))

    assert refused.value.status_code == 411
    assert refused.value.get_codes() == "length_required"


@pytest.mark.parametrize("method", ["TRACE", "CONNECT", "PROPFIND"])
def test_a_method_the_proxy_does_not_forward_is_a_405_naming_those_it_does(
    operator_client, application, local_app, method
):
    response = operator_client.generic(method, proxied(application, "echo"))

    assert response.status_code == 405
    assert response.json() == {
        "detail": f'Method "{method}" not allowed.',
        "code": "method_not_allowed",
    }
    allowed = {name.strip() for name in response["Allow"].split(",")}
    assert allowed == {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"}
    assert local_app.received == []
