"""Requests Pazar makes to URLs that users configured: never to this machine's private networks.

`check_public_url` resolves the host and refuses loopback, private, link-local and reserved
addresses unless `PAZAR_ALLOW_PRIVATE_NETWORKS` is set (for local development and tests).
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings


class OutboundRefused(Exception):
    pass


def check_public_url(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise OutboundRefused(f"{url!r} is not an http(s) URL.")
    if settings.PAZAR_ALLOW_PRIVATE_NETWORKS:
        return
    try:
        infos = socket.getaddrinfo(
            parts.hostname, parts.port or (443 if parts.scheme == "https" else 80)
        )
    except socket.gaierror as exc:
        raise OutboundRefused(f"{parts.hostname} does not resolve.") from exc
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if not address.is_global:
            raise OutboundRefused(f"{parts.hostname} resolves to a non-public address ({address}).")
