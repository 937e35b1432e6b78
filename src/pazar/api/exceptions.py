"""One error shape for every API: DRF's, always JSON, with a machine-readable `code`.

Field errors stay DRF's `{"field": ["message"]}`; single errors are `{"detail": ..., "code": ...}`.
Services raise `ApplicationError` or Django's `ValidationError`; this handler turns them into
responses, so views never build error bodies themselves. Requests that never reach a DRF view
get the same bodies from the root URLconf's handlers (`pazar.sites.errors`).
"""

from __future__ import annotations

import errno
import logging

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import InterfaceError, OperationalError
from django.http import Http404, JsonResponse
from rest_framework import exceptions
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler

from pazar.core.errors import ApplicationError, RowsInvalid

logger = logging.getLogger(__name__)

# Retry-After of an answer given while a backing service is unavailable.
UNAVAILABLE_RETRY_SECONDS = 5


def unavailable(exc: BaseException | None) -> tuple[str, str] | None:
    """(detail, code) when `exc` says that a backing service cannot be used right now: the
    database does not answer (restarting, unreachable, a connection cut), or the file storage
    is full. These pass by themselves; the client should retry, so they are 503s, not 500s."""
    if isinstance(exc, OperationalError | InterfaceError):
        return (
            "The database is unavailable; retry in a few seconds.",
            "database_unavailable",
        )
    if isinstance(exc, OSError) and exc.errno in {errno.ENOSPC, errno.EDQUOT}:
        return ("The file storage is full; retry later.", "storage_full")
    return None


def unavailable_response(detail: str, code: str) -> JsonResponse:
    response = json_error(detail, code, 503)
    response["Retry-After"] = str(UNAVAILABLE_RETRY_SECONDS)
    return response


def exception_handler(exc, context):
    if reason := unavailable(exc):
        logger.warning("answered 503 %s: %s: %s", reason[1], exc.__class__.__name__, exc)
        return unavailable_response(*reason)
    if isinstance(exc, ApplicationError):
        exc = _api_exception(exc)
    elif isinstance(exc, RowsInvalid):
        exc = exceptions.ValidationError(_error_details(exc.detail))
    elif isinstance(exc, DjangoValidationError):
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


def _api_exception(error: ApplicationError) -> exceptions.APIException:
    exc = exceptions.APIException(detail=error.detail, code=error.code)
    exc.status_code = error.status_code
    return exc


def _error_details(errors):
    """Messages as DRF's ErrorDetail with their codes (`pazar.core.errors.Message`)."""
    if isinstance(errors, dict):
        return {key: _error_details(value) for key, value in errors.items()}
    if isinstance(errors, list):
        return [_error_details(value) for value in errors]
    return exceptions.ErrorDetail(str(errors), getattr(errors, "code", "invalid"))


def json_error(detail: str, code: str, status_code: int) -> JsonResponse:
    return JsonResponse({"detail": detail, "code": code}, status=status_code)
