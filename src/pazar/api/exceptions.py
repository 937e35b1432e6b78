"""One error shape for every API: DRF's, always JSON, with a machine-readable `code`.

Field errors stay DRF's `{"field": ["message"]}`; single errors are `{"detail": ..., "code": ...}`.
Services raise `ApplicationError` or Django's `ValidationError`; this handler turns them into
responses, so views never build error bodies themselves.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from rest_framework import exceptions
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))
    elif isinstance(exc, Http404):
        # Never name the model: "another seller's object" and "no object" must read the same.
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    data = response.data
    if (
        isinstance(data, dict)
        and set(data) == {"detail"}
        and isinstance(exc, exceptions.APIException)
    ):
        codes = exc.get_codes()
        if isinstance(codes, str):
            data["code"] = codes
    return response


def _json_error(detail: str, code: str, status_code: int) -> JsonResponse:
    return JsonResponse({"detail": detail, "code": code}, status=status_code)


# Django-level handlers (root urls.py): requests that never reach a DRF view still get JSON.
def bad_request(request, exception=None):
    return _json_error("Bad request.", "bad_request", 400)


def permission_denied(request, exception=None):
    return _json_error(
        "You do not have permission to perform this action.", "permission_denied", 403
    )


def not_found(request, exception=None):
    return _json_error("Not found.", "not_found", 404)


def server_error(request):
    return _json_error("A server error occurred.", "error", 500)
