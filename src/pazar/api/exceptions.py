"""One error shape for every API: DRF's, always JSON, with a machine-readable `code`.

Field errors stay DRF's `{"field": ["message"]}`; single errors are `{"detail": ..., "code": ...}`.
Services raise `ApplicationError` or Django's `ValidationError`; this handler turns them into
responses, so views never build error bodies themselves.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from rest_framework import exceptions
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler

from pazar.backoffice.errors import page_error
from pazar.backoffice.middleware import is_back_office


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


# Django-level handlers (root urls.py): requests that never reach a DRF view still get JSON,
# except on the back office's pages, which people read in a browser.
def bad_request(request, exception=None):
    if is_back_office(request):
        return page_error(request, 400)
    if isinstance(exception, RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        detail = f"The request body is larger than {limit} bytes; send fewer or smaller items."
        return _json_error(detail, "request_too_large", 413)
    return _json_error("Bad request.", "bad_request", 400)


def permission_denied(request, exception=None):
    if is_back_office(request):
        return page_error(request, 403)
    return _json_error(
        "You do not have permission to perform this action.", "permission_denied", 403
    )


def not_found(request, exception=None):
    if is_back_office(request):
        return page_error(request, 404)
    return _json_error("Not found.", "not_found", 404)


def server_error(request):
    if is_back_office(request):
        return page_error(request, 500)
    return _json_error("A server error occurred.", "error", 500)
