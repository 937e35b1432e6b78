"""Signed callbacks to sellers, at least once: every event a seller is told of goes through here.

- `callback_publish` stores the event (its body and `event_id`) and queues its delivery in the
  caller's transaction: an event exists only if what it tells of was committed;
  `callbacks_publish` does the same for several events with one insert. Inside a caller's
  `savepoints_spared()` neither opens a savepoint: a failed insert fails the caller's
  transaction, as the event must.
- `callback_deliver` POSTs the body to the seller's `callback_url`, signed with the seller's
  `callback_secret` (`X-Pazar-Signature: sha256=<HMAC of the body>`); a failure is retried
  later with a doubling pause (`PAZAR_CALLBACK_BACKOFF_SECONDS`, 2×, 4×, …) up to
  `PAZAR_CALLBACK_MAX_ATTEMPTS`. Each attempt is written to the event's row, the delivery log.
- `callbacks_replay` sends again a seller's events after a cursor (their `id`), e.g. after the
  seller's endpoint was down longer than the retries last.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import uuid
from collections.abc import Sequence
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from pazar.callbacks.models import Callback, CallbackStatus
from pazar.core.sql import bulk_insert
from pazar.core.transactions import atomic

logger = logging.getLogger(__name__)

REPLAY_MAX = 1000


def callback_signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def encode_body(event_id: uuid.UUID, event: str, fields: dict) -> str:
    return json.dumps(
        {"event": event, "event_id": str(event_id), **fields},
        separators=(",", ":"),
        default=str,
    )


@atomic
def callback_publish(*, seller, event: str, fields: dict) -> Callback:
    """Store the event `{"event", "event_id", **fields}` for the seller and queue its delivery
    (only when the seller has a callback URL; the event is in the log either way)."""
    return callbacks_publish(events=[(seller, event, fields)])[0]


@atomic
def callbacks_publish(
    *, events: list[tuple[object, str, dict]], before: Sequence = ()
) -> list[Callback]:
    """`callback_publish` for several `(seller, event, fields)` at once: one insert, each
    delivery queued as the single call queues it. `before`: the caller's other write
    statements of this transaction, run first in the same round trip on PostgreSQL
    (`core.sql.bulk_insert`'s)."""
    rows = []
    for seller, event, fields in events:
        event_id = uuid.uuid4()
        rows.append(
            Callback(
                event_id=event_id,
                seller=seller,
                event=event,
                body=encode_body(event_id, event, fields),
                status=CallbackStatus.PENDING if seller.callback_url else CallbackStatus.REFUSED,
                last_error="" if seller.callback_url else "The seller has no callback URL.",
            )
        )
    callbacks = bulk_insert(Callback, rows, before=before)
    for callback in callbacks:
        if callback.seller.callback_url:
            _queue(callback.pk, attempt=1)
    return callbacks


def _queue(callback_id: int, *, attempt: int, delay: float = 0) -> None:
    from pazar.callbacks.tasks import deliver_callback

    if delay:
        deliver_callback.using(run_after=timezone.now() + timedelta(seconds=delay)).enqueue(
            callback_id=callback_id, attempt=attempt
        )
    else:
        deliver_callback.enqueue(callback_id=callback_id)


def retry_delay(attempt: int) -> float:
    """The pause after the `attempt`-th failed attempt: the back-off doubles each time."""
    return settings.PAZAR_CALLBACK_BACKOFF_SECONDS * 2 ** (attempt - 1)


def callback_deliver(*, callback_id: int, attempt: int = 1) -> None:
    """POST the event to the seller's callback URL; on failure queue the next attempt."""
    import httpx

    from pazar.api.outbound import OutboundRefused, check_public_url

    callback = Callback.objects.select_related("seller").filter(pk=callback_id).first()
    if callback is None or callback.status == CallbackStatus.DELIVERED:
        return
    seller = callback.seller
    if not seller.callback_url:
        _record(callback, status=CallbackStatus.REFUSED, error="The seller has no callback URL.")
        return
    body = callback.body.encode()
    headers = {
        "Content-Type": "application/json",
        "X-Pazar-Event": callback.event,
        "X-Pazar-Event-Id": str(callback.event_id),
        "X-Pazar-Signature": callback_signature(seller.callback_secret, body),
    }
    response_status = None
    try:
        check_public_url(seller.callback_url)
        response = httpx.post(
            seller.callback_url, content=body, headers=headers, timeout=5, follow_redirects=False
        )
        response_status = response.status_code
        if response.status_code < 300:
            _record(callback, status=CallbackStatus.DELIVERED, response_status=response_status)
            return
        reason = f"HTTP {response.status_code}"
    except OutboundRefused as exc:
        logger.warning("callback %s refused: %s", callback_id, exc)
        _record(callback, status=CallbackStatus.REFUSED, error=str(exc))
        return
    except httpx.HTTPError as exc:
        reason = exc.__class__.__name__
    if attempt >= settings.PAZAR_CALLBACK_MAX_ATTEMPTS:
        logger.warning(
            "callback %s (%s) abandoned after %s attempts (%s)",
            callback_id, callback.event, attempt, reason,
        )  # fmt: skip
        _record(
            callback, status=CallbackStatus.FAILED, error=reason, response_status=response_status
        )
        return
    delay = retry_delay(attempt)
    logger.info("callback %s failed (%s); retry %s in %ss", callback_id, reason, attempt + 1, delay)
    _record(
        callback,
        status=CallbackStatus.PENDING,
        error=reason,
        response_status=response_status,
        next_attempt_at=timezone.now() + timedelta(seconds=delay),
    )
    _queue(callback_id, attempt=attempt + 1, delay=delay)


def _record(callback: Callback, *, status: str, error: str = "", response_status=None,
            next_attempt_at=None) -> None:  # fmt: skip
    now = timezone.now()
    Callback.objects.filter(pk=callback.pk).update(
        status=status,
        attempts=F("attempts") + 1,
        last_error=error[:255],
        last_response_status=response_status,
        next_attempt_at=next_attempt_at,
        delivered_at=now if status == CallbackStatus.DELIVERED else None,
        updated_at=now,
    )


@transaction.atomic
def callbacks_replay(*, seller, after: int, limit: int = REPLAY_MAX) -> list[int]:
    """Send again the seller's events whose id is above `after` (at most `limit`, oldest first),
    whatever became of them; each gets a fresh round of attempts. Returns their ids."""
    ids = list(
        Callback.objects.filter(seller=seller, pk__gt=after)
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )
    if not ids or not seller.callback_url:
        return []
    Callback.objects.filter(pk__in=ids).update(
        status=CallbackStatus.PENDING, next_attempt_at=None, updated_at=timezone.now()
    )
    for callback_id in ids:
        _queue(callback_id, attempt=1)
    return ids
