from django.http import JsonResponse

from pazar.core.selectors import health_report


def health(request):
    """200 while the database answers (with worker state); 503 when it does not."""
    if request.method not in {"GET", "HEAD"}:
        response = JsonResponse(
            {"detail": f'Method "{request.method}" not allowed.', "code": "method_not_allowed"},
            status=405,
        )
        response["Allow"] = "GET, HEAD"
        return response
    report, healthy = health_report()
    return JsonResponse(report, status=200 if healthy else 503)
