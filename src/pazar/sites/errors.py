"""Django-level error handlers (the root URLconf's handler400/403/404/500).

Requests that never reach a DRF view still get the APIs' JSON error body
(`pazar.api.exceptions`), except on the back office's pages, which people read in a browser.
"""

from __future__ import annotations

import sys

from django.conf import settings
from django.core.exceptions import RequestDataTooBig

from pazar.api.exceptions import json_error, unavailable, unavailable_response
from pazar.backoffice.errors import page_error
from pazar.backoffice.middleware import is_back_office


def bad_request(request, exception=None):
    if is_back_office(request):
        return page_error(request, 400)
    if isinstance(exception, RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        detail = f"The request body is larger than {limit} bytes; send fewer or smaller items."
        return json_error(detail, "request_too_large", 413)
    return json_error("Bad request.", "bad_request", 400)


def permission_denied(request, exception=None):
    if is_back_office(request):
        return page_error(request, 403)
    return json_error(
        "You do not have permission to perform this action.", "permission_denied", 403
    )


def not_found(request, exception=None):
    if is_back_office(request):
        return page_error(request, 404)
    return json_error("Not found.", "not_found", 404)


def server_error(request):
    # Django calls this while handling the exception, which is still in sys.exc_info().
    if is_back_office(request):
        return page_error(request, 500)
    if reason := unavailable(sys.exc_info()[1]):
        return unavailable_response(*reason)
    return json_error("A server error occurred.", "error", 500)
