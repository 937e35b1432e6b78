"""Per-site, per-family, per-seller rate limits (seed 004) as DRF throttles.

The logins' limits (`login`, `login-address`) are not throttles: they depend on whether the
password was right, so the accounts services apply them (pazar.accounts.logins).
"""

from __future__ import annotations

from django.conf import settings
from rest_framework.throttling import BaseThrottle

from pazar.api import ratelimit

RATE_LIMIT_ATTR = "pazar_rate_limit"


def family_rate(family: str | None):
    limits = settings.PAZAR_RATE_LIMITS
    if not family or limits is None:
        return None
    return limits.get(family)


def remember(request, decision: ratelimit.Decision) -> None:
    """Keep the tightest decision on the request so the response can carry X-RateLimit-*."""
    django_request = getattr(request, "_request", request)
    current = getattr(django_request, RATE_LIMIT_ATTR, None)
    if current is None or decision.remaining < current.remaining or not decision.allowed:
        setattr(django_request, RATE_LIMIT_ATTR, decision)


class ClientAddressThrottle(BaseThrottle):
    def get_ident(self, request) -> str:
        """The client address, as TrustedProxyMiddleware resolved it into REMOTE_ADDR.

        DRF's own `get_ident` believes any X-Forwarded-For header (NUM_PROXIES is unset), so a
        client could choose a fresh address for every request and escape `login-address`.
        """
        return request.META.get("REMOTE_ADDR", "")


class FamilyRateThrottle(ClientAddressThrottle):
    """Limits a view's `throttle_family` per site and per seller (or user, or address)."""

    def allow_request(self, request, view) -> bool:
        rate = family_rate(getattr(view, "throttle_family", None))
        if rate is None:
            return True
        site = request.resolver_match.namespace if request.resolver_match else ""
        key = f"{site}:{view.throttle_family}:{self.subject(request)}"
        self.decision = ratelimit.hit(key, rate)
        remember(request, self.decision)
        return self.decision.allowed

    def subject(self, request) -> str:
        seller_id = getattr(request.auth, "seller_id", None)
        if seller_id:
            return f"seller:{seller_id}"
        if request.user and request.user.is_authenticated:
            return f"user:{request.user.pk}"
        return f"addr:{self.get_ident(request)}"

    def wait(self) -> float | None:
        return self.decision.retry_after()
