import ipaddress

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.utils.crypto import constant_time_compare

from pazar.core.selectors import database_status, health_report

# Headers a reverse proxy adds: a request that carries one was not made on this machine.
FORWARDING_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_FORWARDED", "HTTP_X_REAL_IP")


def _method_not_allowed(request) -> JsonResponse | None:
    if request.method in {"GET", "HEAD"}:
        return None
    response = JsonResponse(
        {"detail": f'Method "{request.method}" not allowed.', "code": "method_not_allowed"},
        status=405,
    )
    response["Allow"] = "GET, HEAD"
    return response


def health(request):
    """200 when the database answers, a worker is alive and nothing waits too long; else 503.

    `?scope=web` asks only whether this web process can serve: whether the database answers.
    Load balancers use it, so that web processes keep serving while the workers are down.
    """
    if refused := _method_not_allowed(request):
        return refused
    if request.GET.get("scope") == "web":
        database = database_status()
        healthy = database["status"] == "ok"
        report = {"status": "ok" if healthy else "unavailable", "database": database}
    else:
        report, healthy = health_report()
    return JsonResponse(report, status=200 if healthy else 503)


def metrics_allowed(request) -> bool:
    """With PAZAR_METRICS_TOKEN, the bearer of that token; without, direct loopback clients."""
    token = settings.PAZAR_METRICS_TOKEN
    if token:
        scheme, _, given = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
        return scheme.lower() == "bearer" and constant_time_compare(given.strip(), token)
    if any(header in request.META for header in FORWARDING_HEADERS):
        return False
    try:
        return ipaddress.ip_address(request.META.get("REMOTE_ADDR", "")).is_loopback
    except ValueError:
        return False


def metrics(request):
    """Prometheus exposition: request latency, batch throughput, queue depth, worker liveness."""
    from pazar.core.metrics import exposition

    if refused := _method_not_allowed(request):
        return refused
    if not metrics_allowed(request):
        detail = (
            "Metrics are served to loopback clients or with the PAZAR_METRICS_TOKEN bearer token."
        )
        return JsonResponse({"detail": detail, "code": "permission_denied"}, status=403)
    body, content_type = exposition()
    return HttpResponse(body, content_type=content_type)
