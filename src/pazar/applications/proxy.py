"""The app proxy: an operator's request, forwarded to an application's `config.web_url`.

Only the application's own origin and path prefix are reachable: the path is decoded once,
refused when it has `.` or `..` segments, re-encoded and appended to the prefix; the resulting
URL is checked to be under the prefix again. Redirects are relayed, never followed. The caller's
credentials (`Authorization`, `Cookie`) never leave; the application learns who called from the
signed `X-Pazar-*` headers (see `pazar.applications.signing` and docs/applications.md).
"""

from __future__ import annotations

import logging
import threading
import time
from http.cookiejar import CookieJar, DefaultCookiePolicy
from urllib.parse import quote, urlsplit

import httpx
from django.conf import settings
from django.http import StreamingHttpResponse
from django.urls import reverse

from pazar.api.outbound import OutboundRefused, check_public_url
from pazar.applications import signing
from pazar.applications.error_codes import ErrorCode
from pazar.applications.models import Application
from pazar.core.errors import ApplicationError

logger = logging.getLogger(__name__)

CHUNK_BYTES = 64 * 1024
# RFC 9110 §7.6.1: meaningful for one connection only, never forwarded.
HOP_BY_HOP = {
    "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "proxy-connection",
    "te", "trailer", "transfer-encoding", "upgrade",
}  # fmt: skip
# The caller's credentials and whatever could pass for our own identity headers.
REQUEST_DROPPED = HOP_BY_HOP | {
    "host", "content-length", "authorization", "cookie", "x-csrftoken", "forwarded", "x-real-ip",
    "expect",
}  # fmt: skip
REQUEST_DROPPED_PREFIXES = ("x-pazar-", "x-forwarded-")
# Set by our own server, or not the application's to set for the Pazar host.
RESPONSE_DROPPED = HOP_BY_HOP | {
    "set-cookie", "set-cookie2", "server", "date", "strict-transport-security", "alt-svc",
}  # fmt: skip
RESPONSE_DROPPED_PREFIXES = ("access-control-",)
# Characters left as they are when the decoded path is encoded again (RFC 3986 pchar and "/").
PATH_SAFE = "/:@!$&'()*+,;=-._~"
# The raw query string is sent as it came; only bytes that may not appear in a URL are escaped.
QUERY_SAFE = "/:@!$&'()*+,;=-._~?%[]"
# Scripts of a proxied page run in an opaque origin: they cannot read Pazar's cookies or pages.
SANDBOX_POLICY = "sandbox allow-scripts allow-forms allow-popups allow-downloads"

_client: httpx.Client | None = None
_client_lock = threading.Lock()


def client() -> httpx.Client:
    """One pooled client per process, made on first use (so after a server forks its workers)."""
    global _client
    with _client_lock:
        if _client is None:
            limit = settings.PAZAR_APP_PROXY_MAX_CONNECTIONS
            _client = httpx.Client(
                follow_redirects=False,
                trust_env=False,  # no proxy or .netrc from the environment
                # The client is shared by every caller: it must keep no application's cookies.
                cookies=CookieJar(policy=DefaultCookiePolicy(allowed_domains=[])),
                limits=httpx.Limits(max_connections=limit, max_keepalive_connections=limit),
            )
            # httpx adds these when the caller did not send them: a client that never asked
            # for gzip must not get it, and the application should see the caller's agent.
            for name in ["Accept", "Accept-Encoding", "User-Agent"]:
                del _client.headers[name]
        return _client


def timeout() -> httpx.Timeout:
    connect = settings.PAZAR_APP_PROXY_CONNECT_TIMEOUT_SECONDS
    read = settings.PAZAR_APP_PROXY_TIMEOUT_SECONDS
    return httpx.Timeout(connect=connect, read=read, write=read, pool=connect)


# --- the upstream URL -----------------------------------------------------------------------


def _prefix(web_url: str) -> str:
    path = urlsplit(web_url).path
    return path if path.endswith("/") else path + "/"


def upstream_url(web_url: str, path: str, query: str) -> httpx.URL:
    """`web_url`'s origin and path prefix + `path` (decoded, as Django gives it) + `?query`."""
    segments = path.replace("\\", "/").split("/")
    if any(segment in {".", ".."} for segment in segments):
        raise ApplicationError(
            "The path may not contain . or .. segments.",
            code=ErrorCode.PROXY_PATH_INVALID,
        )
    base = urlsplit(web_url)
    prefix = _prefix(web_url)
    target = prefix + quote(path.lstrip("/"), safe=PATH_SAFE)
    if query:
        target += "?" + _encoded_query(query)
    url = httpx.URL(f"{base.scheme}://{base.netloc}{target}")
    origin = httpx.URL(web_url)
    same_origin = (url.scheme, url.host, url.port) == (origin.scheme, origin.host, origin.port)
    if not same_origin or not _target(url).startswith(prefix):
        raise ApplicationError(
            "The path leaves the application.", code=ErrorCode.PROXY_PATH_INVALID
        )
    return url


def _encoded_query(query: str) -> str:
    """WSGI hands the query string over as latin-1 text of its raw bytes; send those bytes."""
    try:
        raw = query.encode("latin-1")
    except UnicodeEncodeError:
        raw = query.encode()
    return quote(raw, safe=QUERY_SAFE)


def _target(url: httpx.URL) -> str:
    return url.raw_path.decode("ascii")


# --- the request ----------------------------------------------------------------------------


def read_body(request) -> bytes:
    """The request body, refused with a 413 past PAZAR_APP_PROXY_MAX_BODY_BYTES.

    Bodies are read whole (up to the cap) so that an oversized one is refused before anything
    reaches the application.
    """
    cap = settings.PAZAR_APP_PROXY_MAX_BODY_BYTES
    too_large = ApplicationError(
        f"The request body is larger than {cap} bytes.",
        code=ErrorCode.PROXY_BODY_TOO_LARGE,
        status_code=413,
    )
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > cap:
        raise too_large
    stream = request
    chunked = "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower()
    if not declared and chunked:
        # Django reads nothing without a Content-Length; servers that end a chunked body
        # themselves (gunicorn) say so with wsgi.input_terminated, and then it can be read.
        if not request.META.get("wsgi.input_terminated"):
            raise ApplicationError(
                "Send the body with a Content-Length.",
                code=ErrorCode.PROXY_LENGTH_REQUIRED,
                status_code=411,
            )
        stream = request.META["wsgi.input"]
    parts, size = [], 0
    while chunk := stream.read(min(CHUNK_BYTES, cap + 1 - size)):
        parts.append(chunk)
        size += len(chunk)
        if size > cap:
            raise too_large
    return b"".join(parts)


def request_headers(request, *, application: Application, user, url: httpx.URL) -> list:
    connection = {
        token.strip().lower() for token in request.headers.get("Connection", "").split(",")
    }
    headers = [
        (name, value)
        for name, value in request.headers.items()
        if value
        and name.lower() not in REQUEST_DROPPED
        and name.lower() not in connection
        and not name.lower().startswith(REQUEST_DROPPED_PREFIXES)
    ]
    timestamp = str(int(time.time()))
    user_id = str(user.pk)
    signature = signing.sign(
        secret=application.proxy_secret,
        method=request.method,
        target=_target(url),
        timestamp=timestamp,
        user_id=user_id,
    )
    return [
        *headers,
        ("X-Pazar-Application-Id", str(application.pk)),
        ("X-Pazar-User-Id", user_id),
        ("X-Pazar-Username", quote(user.get_username(), safe="@.+-_")),
        ("X-Pazar-Timestamp", timestamp),
        ("X-Pazar-Signature", signature),
        ("X-Forwarded-For", request.META.get("REMOTE_ADDR", "")),
        ("X-Forwarded-Proto", request.scheme),
        ("X-Forwarded-Host", request.get_host()),
        ("X-Forwarded-Prefix", proxy_prefix(application).rstrip("/")),
    ]


def proxy_prefix(application: Application) -> str:
    return reverse("omnitron:app-proxy", kwargs={"application_id": application.pk, "path": ""})


# --- the response ---------------------------------------------------------------------------


class UpstreamBody:
    """The upstream body, relayed as it arrives; closing it gives the connection back."""

    def __init__(self, upstream: httpx.Response, application_id: int):
        self.upstream = upstream
        self.application_id = application_id
        self.chunks = upstream.iter_raw(CHUNK_BYTES)

    def __iter__(self):
        return self

    def __next__(self) -> bytes:
        try:
            return next(self.chunks)
        except httpx.HTTPError as exc:
            # The status is sent already; the client sees a body shorter than its length.
            logger.warning("app proxy %s: upstream body cut short: %r", self.application_id, exc)
            self.close()
            raise StopIteration from None

    def close(self) -> None:
        self.upstream.close()


def _relayed_location(location: str, application: Application) -> str:
    """A redirect to the application's own prefix goes through the proxy again; others as is."""
    parts = urlsplit(location)
    base = urlsplit(application.web_url)
    if not parts.path.startswith("/") or parts.scheme not in {"", base.scheme}:
        return location
    if parts.netloc not in {"", base.netloc}:
        return location
    prefix = _prefix(application.web_url)
    if not parts.path.startswith(prefix):
        return location
    relayed = proxy_prefix(application) + parts.path[len(prefix) :]
    return relayed + (f"?{parts.query}" if parts.query else "")


def relay(upstream: httpx.Response, application: Application) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        UpstreamBody(upstream, application.pk),
        status=upstream.status_code,
        reason=upstream.reason_phrase or None,
    )
    del response["Content-Type"]  # the upstream's own, or none
    values: dict[str, list[str]] = {}
    for name, value in upstream.headers.multi_items():
        lowered = name.lower()
        if lowered in RESPONSE_DROPPED or lowered.startswith(RESPONSE_DROPPED_PREFIXES):
            continue
        values.setdefault(name, []).append(value)
    for name, items in values.items():
        response[name] = ", ".join(items)
    if "Location" in response:
        response["Location"] = _relayed_location(response["Location"], application)
    if settings.PAZAR_APP_PROXY_SANDBOX:
        policy = response.get("Content-Security-Policy")
        response["Content-Security-Policy"] = ", ".join(filter(None, [policy, SANDBOX_POLICY]))
    return response


# --- the whole exchange ---------------------------------------------------------------------


def forward(*, request, application: Application, user, path: str) -> StreamingHttpResponse:
    """Send `request` on to the application and stream its answer back.

    Raises ApplicationError: 400 for a path that would leave the application, 413 for a body
    over the cap, 502 when the address is refused or the upstream fails, 504 on a timeout.
    """
    url = upstream_url(application.web_url, path, request.META.get("QUERY_STRING", ""))
    body = read_body(request)
    try:
        check_public_url(str(url))
    except OutboundRefused as exc:
        raise ApplicationError(str(exc), code=ErrorCode.PROXY_REFUSED, status_code=502) from None
    outgoing = client().build_request(
        request.method,
        url,
        headers=request_headers(request, application=application, user=user, url=url),
        content=body,
        timeout=timeout(),
    )
    try:
        upstream = client().send(outgoing, stream=True)
    except httpx.TimeoutException:
        logger.warning("app proxy %s: %s timed out", application.pk, url.host)
        raise ApplicationError(
            "The application did not answer in time.",
            code=ErrorCode.UPSTREAM_TIMEOUT,
            status_code=504,
        ) from None
    except httpx.HTTPError as exc:
        logger.warning("app proxy %s: %s failed: %r", application.pk, url.host, exc)
        raise ApplicationError(
            "The application could not be reached.",
            code=ErrorCode.UPSTREAM_UNAVAILABLE,
            status_code=502,
        ) from None
    return relay(upstream, application)
