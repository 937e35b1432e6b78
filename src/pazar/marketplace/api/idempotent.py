"""The answer of a Seller Center action sent with an `Idempotency-Key` header."""

from rest_framework.response import Response

from pazar.marketplace.services.idempotency import idempotent


def idempotent_response(request, *, seller, action) -> Response:
    """Run `action` (returning `(status, body)`) once per seller, key and path: a retry with the
    same key gets the first answer again, marked `Idempotent-Replayed: true`."""
    code, answer, replayed = idempotent(
        seller=seller,
        key=request.headers.get("Idempotency-Key"),
        path=request.path,
        data=request.data,
        action=action,
    )
    response = Response(answer, status=code)
    if replayed:
        response["Idempotent-Replayed"] = "true"
    return response
