"""Fetch a file from a URL an integration sent, within time and size limits, never from a
private network.

Every connection, redirects included, goes through `GuardedBackend`: it resolves the host
itself, refuses it when any address it resolves to is loopback, private, link-local or
otherwise not global (unless `PAZAR_ALLOW_PRIVATE_NETWORKS`), and connects to the address it
checked, so a DNS answer that changes between the check and the connection cannot slip by.
"""

from __future__ import annotations

import hashlib
import ipaddress
import socket
import tempfile
import time
from dataclasses import dataclass

import httpcore
import httpx
from django.conf import settings

from pazar.images.error_codes import ErrorCode

MAX_REDIRECTS = 5
# Downloads are held in memory up to this size, in a temporary file beyond it.
SPOOL_BYTES = 1024 * 1024


class DownloadFailed(Exception):
    def __init__(self, detail: str, *, code: ErrorCode):
        super().__init__(detail)
        self.detail = detail
        self.code = code


@dataclass
class Downloaded:
    file: tempfile.SpooledTemporaryFile
    size: int
    sha256: str

    def close(self) -> None:
        self.file.close()


@dataclass(frozen=True)
class Limits:
    connect_timeout: float
    read_timeout: float
    deadline: float
    max_bytes: int

    @classmethod
    def from_settings(cls) -> Limits:
        return cls(
            connect_timeout=settings.PAZAR_IMAGE_DOWNLOAD_CONNECT_TIMEOUT_SECONDS,
            read_timeout=settings.PAZAR_IMAGE_DOWNLOAD_READ_TIMEOUT_SECONDS,
            deadline=settings.PAZAR_IMAGE_DOWNLOAD_DEADLINE_SECONDS,
            max_bytes=settings.PAZAR_IMAGE_MAX_BYTES,
        )


class AddressRefused(Exception):
    pass


def allowed_addresses(host: str, port: int) -> list[str]:
    """The addresses `host` resolves to, all of them public unless private networks are allowed."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise AddressRefused(f"{host} does not resolve.") from exc
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    if not settings.PAZAR_ALLOW_PRIVATE_NETWORKS:
        for address in addresses:
            if not ipaddress.ip_address(address.split("%", 1)[0]).is_global:
                raise AddressRefused(f"{host} resolves to a non-public address ({address}).")
    return addresses


class GuardedBackend(httpcore.SyncBackend):
    """httpcore's socket backend, connecting only to addresses `allowed_addresses` returns."""

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        error: Exception | None = None
        for address in allowed_addresses(host, port):
            try:
                return super().connect_tcp(address, port, timeout, local_address, socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                error = exc
        raise error or httpcore.ConnectError(f"{host} has no address.")


def _client() -> httpx.Client:
    transport = httpx.HTTPTransport(retries=0)
    # httpx takes no network backend of its own; its pool creates every connection with this.
    transport._pool._network_backend = GuardedBackend()
    return httpx.Client(transport=transport, follow_redirects=False, trust_env=False)


def fetch(url: str, *, limits: Limits) -> Downloaded:
    """GET `url` (following up to 5 redirects) into a temporary file; raises DownloadFailed."""
    deadline = time.monotonic() + limits.deadline
    try:
        with _client() as client:
            request = client.build_request("GET", url, headers={"Accept": "image/*"})
            for _ in range(MAX_REDIRECTS + 1):
                request.extensions["timeout"] = _timeout(limits, deadline)
                response = client.send(request, stream=True)
                try:
                    if response.next_request is None:
                        return _read_body(response, limits=limits, deadline=deadline)
                    request = response.next_request
                finally:
                    response.close()
    except DownloadFailed:
        raise
    except AddressRefused as exc:
        raise DownloadFailed(str(exc), code=ErrorCode.ADDRESS_REFUSED) from None
    except httpx.TimeoutException:
        raise DownloadFailed("The server did not answer in time.", code=ErrorCode.TIMEOUT) from None
    except (httpx.UnsupportedProtocol, httpx.InvalidURL) as exc:
        raise DownloadFailed(f"Not an http(s) URL: {exc}", code=ErrorCode.INVALID_URL) from None
    except httpx.HTTPError as exc:
        raise DownloadFailed(
            f"The server could not be reached ({exc.__class__.__name__}).",
            code=ErrorCode.CONNECTION_FAILED,
        ) from None
    raise DownloadFailed(f"More than {MAX_REDIRECTS} redirects.", code=ErrorCode.TOO_MANY_REDIRECTS)


def _timeout(limits: Limits, deadline: float) -> dict:
    """This hop's timeouts, none longer than what is left before the deadline."""
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise DownloadFailed("The download did not finish in time.", code=ErrorCode.TIMEOUT)
    connect = min(limits.connect_timeout, remaining)
    read = min(limits.read_timeout, remaining)
    return httpx.Timeout(connect=connect, read=read, write=read, pool=connect).as_dict()


def _read_body(response: httpx.Response, *, limits: Limits, deadline: float) -> Downloaded:
    if response.status_code != 200:
        raise DownloadFailed(
            f"The server answered {response.status_code}.", code=ErrorCode.HTTP_STATUS
        )
    too_large = DownloadFailed(
        f"The file is larger than {limits.max_bytes} bytes.", code=ErrorCode.TOO_LARGE
    )
    declared = response.headers.get("Content-Length", "")
    if declared.isascii() and declared.isdigit() and int(declared) > limits.max_bytes:
        raise too_large
    sink = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 - returned open
    digest, size = hashlib.sha256(), 0
    try:
        for chunk in response.iter_bytes():  # as they arrive, so the deadline is checked often
            size += len(chunk)
            if size > limits.max_bytes:
                raise too_large
            if time.monotonic() > deadline:
                raise DownloadFailed("The download did not finish in time.", code=ErrorCode.TIMEOUT)
            digest.update(chunk)
            sink.write(chunk)
    except BaseException:
        sink.close()
        raise
    sink.seek(0)
    return Downloaded(sink, size, digest.hexdigest())
