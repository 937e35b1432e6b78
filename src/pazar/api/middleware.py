"""Request plumbing shared by the three API sites."""

from __future__ import annotations

import ipaddress
from functools import cached_property

from django.conf import settings
from django.http import JsonResponse
from django.urls import Resolver404, get_resolver

from pazar.api.throttling import RATE_LIMIT_ATTR

API_PREFIXES = ("/omnitron/", "/seller-center/", "/whippy-ware/")
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


class TrustedProxyMiddleware:
    """Believe X-Forwarded-Proto / X-Forwarded-For only from PAZAR_TRUSTED_PROXIES.

    Behind such a proxy, `request.is_secure()` and the client address reflect the original
    request; from anyone else the headers are ignored, so they cannot be spoofed.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    @cached_property
    def networks(self):
        return [ipaddress.ip_network(item, strict=False) for item in settings.PAZAR_TRUSTED_PROXIES]

    def trusted(self, address: str) -> bool:
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(ip in network for network in self.networks)

    def __call__(self, request):
        meta = request.META
        if self.trusted(meta.get("REMOTE_ADDR", "")):
            proto = meta.get("HTTP_X_FORWARDED_PROTO", "").split(",")[0].strip().lower()
            if proto in {"http", "https"}:
                meta["wsgi.url_scheme"] = proto
            forwarded_for = [a.strip() for a in meta.get("HTTP_X_FORWARDED_FOR", "").split(",")]
            # The nearest address that is not one of our proxies is the client.
            for address in reversed([a for a in forwarded_for if a]):
                if not self.trusted(address):
                    meta["REMOTE_ADDR"] = address
                    break
        return self.get_response(request)


class ApiRequestMiddleware:
    """For the API sites: optional trailing slashes, JSON-only bodies, rate-limit headers;
    for every path: no NUL characters in the URL."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path_info or "%00" in request.META.get("QUERY_STRING", ""):
            # No database stores the NUL character (PostgreSQL refuses it outright).
            return JsonResponse(
                {"detail": "The URL may not contain the NUL character.", "code": "parse_error"},
                status=400,
            )
        if not request.path_info.startswith(API_PREFIXES):
            return self.get_response(request)
        self.add_missing_slash(request)
        if self.has_body_without_type(request):
            return JsonResponse(
                {
                    "detail": "Missing Content-Type header; send the body as application/json.",
                    "code": "unsupported_media_type",
                },
                status=415,
            )
        response = self.get_response(request)
        decision = getattr(request, RATE_LIMIT_ATTR, None)
        if decision is not None:
            response["X-RateLimit-Limit"] = str(decision.limit)
            response["X-RateLimit-Remaining"] = str(decision.remaining)
            response["X-RateLimit-Reset"] = str(decision.reset)
        return response

    @staticmethod
    def add_missing_slash(request) -> None:
        """Serve `/x` as `/x/` in place (never a redirect, which would turn a POST into a GET)."""
        path = request.path_info
        if path.endswith("/"):
            return
        resolver = get_resolver()
        try:
            resolver.resolve(path)
        except Resolver404:
            try:
                resolver.resolve(path + "/")
            except Resolver404:
                return
            request.path_info = path + "/"
            request.path = request.path + "/"

    @staticmethod
    def has_body_without_type(request) -> bool:
        if request.method not in WRITE_METHODS or request.META.get("CONTENT_TYPE"):
            return False
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        return length > 0 or "HTTP_TRANSFER_ENCODING" in request.META
