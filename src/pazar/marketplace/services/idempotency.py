"""Seller actions made safe to retry with an `Idempotency-Key` header (as Stripe's API does).

The first request with a key runs the action and stores its answer in the same transaction;
a retry with the same key, seller and path gets the stored answer without running anything.
Two requests with one key at once: the database's unique constraint makes the second wait for
the first and then answer with its result. The same key with a different body is a 422
`idempotency_key_reused`. An action that fails stores nothing, so a retry runs it again.
Answers are kept `PAZAR_IDEMPOTENCY_KEEP_HOURS` (pruned by `idempotent_responses_prune`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from pazar.core.errors import ApplicationError
from pazar.marketplace.error_codes import ErrorCode
from pazar.marketplace.models import IdempotentResponse

KEY_MAX_LENGTH = 255


def request_hash(data) -> str:
    return hashlib.sha256(
        json.dumps(data, sort_keys=True, separators=(",", ":"), default=str).encode()
    ).hexdigest()


def _replay(stored: IdempotentResponse, digest: str) -> tuple[int, dict]:
    if stored.request_hash != digest:
        raise ApplicationError(
            "This Idempotency-Key was used with a different request body.",
            code=ErrorCode.IDEMPOTENCY_KEY_REUSED,
            status_code=422,
        )
    return stored.status_code, json.loads(stored.body)


def idempotent(
    *, seller, key: str | None, path: str, data, action: Callable[[], tuple[int, dict]]
) -> tuple[int, dict, bool]:
    """Run `action` (→ `(status, body)`) once per `(seller, key, path)`; `(status, body,
    replayed)`. Without a key the action simply runs."""
    if not key:
        status, body = action()
        return status, body, False
    if len(key) > KEY_MAX_LENGTH:
        raise ApplicationError(
            f"An Idempotency-Key has at most {KEY_MAX_LENGTH} characters.",
            code=ErrorCode.IDEMPOTENCY_KEY_INVALID,
        )
    digest = request_hash(data)
    stored = IdempotentResponse.objects.filter(seller=seller, key=key, path=path).first()
    if stored is not None:
        return (*_replay(stored, digest), True)
    with transaction.atomic():
        try:
            with transaction.atomic():
                # Claim the key first: a concurrent request with it waits here for this one.
                claim = IdempotentResponse.objects.create(
                    seller=seller, key=key, path=path, request_hash=digest, status_code=0, body=""
                )
        except IntegrityError:
            stored = IdempotentResponse.objects.filter(seller=seller, key=key, path=path).first()
            if stored is None:  # the other request failed meanwhile and stored nothing
                raise ApplicationError(
                    "A request with this Idempotency-Key was running; send it again.",
                    code=ErrorCode.IDEMPOTENCY_KEY_IN_USE,
                    status_code=409,
                ) from None
            return (*_replay(stored, digest), True)
        status, body = action()
        IdempotentResponse.objects.filter(pk=claim.pk).update(
            status_code=status, body=json.dumps(body, separators=(",", ":"))
        )
        return status, body, False


@transaction.atomic
def idempotent_responses_prune() -> int:
    before = timezone.now() - timedelta(hours=settings.PAZAR_IDEMPOTENCY_KEEP_HOURS)
    deleted, _ = IdempotentResponse.objects.filter(created_at__lt=before).delete()
    return deleted
