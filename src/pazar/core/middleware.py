"""The outermost middleware: a request id for every request, an access log line, a latency sample."""

from __future__ import annotations

import logging
import re
import time
import uuid

from pazar.core.logs import log_context

access_log = logging.getLogger("pazar.access")

# A client's own id is kept if it is short printable ASCII without spaces, so that it can
# neither break a log line nor grow a log without bound; otherwise a fresh one is made.
REQUEST_ID = re.compile(r"[\x21-\x7e]{1,128}")
SITES = {"omnitron", "seller-center", "whippy-ware", "admin", "files", "health", "metrics"}
METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}


def request_id_of(request) -> str:
    given = request.META.get("HTTP_X_REQUEST_ID", "")
    return given if REQUEST_ID.fullmatch(given) else uuid.uuid4().hex


def labels_of(request, response) -> dict[str, str]:
    """Prometheus labels of bounded cardinality: the URL pattern, never the path itself."""
    site = request.path_info.lstrip("/").split("/", 1)[0]
    match = getattr(request, "resolver_match", None)
    return {
        "site": site if site in SITES else "other",
        "route": match.route if match is not None and match.route else "(unmatched)",
        "method": request.method if request.method in METHODS else "OTHER",
        "status": str(response.status_code),
    }


class RequestObservabilityMiddleware:
    """Bind `request_id` to the request's log lines and echo it in `X-Request-ID`; log the
    request once it is answered and record its latency in `pazar_http_request_duration_seconds`.
    """

    def __init__(self, get_response):
        from pazar.core.metrics import REQUEST_DURATION

        self.get_response = get_response
        self.histogram = REQUEST_DURATION

    def __call__(self, request):
        request.request_id = request_id_of(request)
        started = time.perf_counter()
        with log_context(request_id=request.request_id):
            response = self.get_response(request)
            elapsed = time.perf_counter() - started
            response["X-Request-ID"] = request.request_id
            labels = labels_of(request, response)
            self.histogram.labels(**labels).observe(elapsed)
            access_log.info(
                "%s %s %s %.1fms",
                request.method,
                request.path,  # not the query string: file links carry their token there
                response.status_code,
                elapsed * 1000,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "route": labels["route"],
                    "status": response.status_code,
                    "duration_ms": round(elapsed * 1000, 3),
                    "remote_addr": request.META.get("REMOTE_ADDR", ""),
                },
            )
        return response
