"""The batch engine: accept a bulk body at once, apply it later in the seller's order.

- `batch_accept` stores the request file, creates the batch (waiting) and enqueues its task in
  one transaction, so a task never runs for a batch that was not committed.
- `batch_run` applies the seller's batches oldest first. A worker claims a batch by a
  conditional UPDATE that sets a short lease; only the lease holder applies it, in one
  transaction with the batch's final state, so a worker that dies leaves nothing half-applied.
  The worker's keeper thread (`pazar.core.heartbeat`) renews the lease while the batch makes
  progress; inside the apply transaction the batch's row lock (SQLite: the write lock) guards
  it instead. A batch that stalls is given up, and `pazar worker` exits.
- `batch_recover` (run every few seconds by every worker) re-enqueues batches whose lease ran
  out or whose task was lost; `batch_release_worker` (run by `pazar serve` when its worker
  process ends) gives back at once what that process held. After `PAZAR_BATCH_MAX_ATTEMPTS`
  claims a batch ends failed.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid
import weakref
from collections.abc import Callable
from contextlib import nullcontext
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.db import DatabaseError, OperationalError, connection, connections, transaction
from django.db.models import F, Max, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from pazar.batches import files
from pazar.batches.models import BatchImport, BatchRequest, BatchStatus
from pazar.core import metrics
from pazar.core.dates import utc_text
from pazar.core.heartbeat import Hold, holding
from pazar.core.logs import log_context
from pazar.core.prepared import PreparedLookup
from pazar.core.transactions import savepoints_spared

logger = logging.getLogger(__name__)

# A batch kind → the function applying its rows: called as `handler(seller=…, rows=[…])` inside
# the batch's transaction, it returns an outcome with `succeeded` and `failed` rows. The app
# that owns the rows registers it (`register_handler`, from its AppConfig.ready()): the
# Seller Center's handlers are marketplace's, and batches imports no app above it.
HANDLERS: dict[str, Callable] = {}


def register_handler(kind: str, handler: Callable) -> None:
    HANDLERS[kind] = handler


OPEN = (BatchStatus.WAITING, BatchStatus.PROCESSING)
# A waiting batch whose task has not run for this long is queued again (its task was lost).
REQUEUE_WAITING_AFTER = timedelta(seconds=60)


def _lease() -> timedelta:
    return timedelta(seconds=settings.PAZAR_BATCH_LEASE_SECONDS)


def worker_identity() -> str:
    return f"{socket.gethostname()[:40]}-{os.getpid()}"


@transaction.atomic
def batch_accept(
    *,
    seller,
    kind: str,
    body: bytes | None,
    rows: list[dict],
    language: str = "",
    file_import: BatchImport | None = None,
    import_offset: int | None = None,
) -> BatchRequest:
    """Store the request and queue it; the caller has checked the envelope already."""
    from pazar.batches.tasks import process_batch

    batch = BatchRequest(
        seller=seller,
        kind=kind,
        total=len(rows),
        language=language,
        last_enqueued_at=timezone.now(),
        file_import=file_import,
        import_offset=import_offset,
    )
    if body is None:
        batch.request_file = files.write_json(batch.id, "request", rows)
    else:
        batch.request_file = files.write_bytes(batch.id, "request", body)
    batch.save(force_insert=True)
    _queue_after_previous(batch)
    process_batch.enqueue(batch_id=str(batch.id))
    return batch


@transaction.atomic
def batch_import_accept(
    *,
    seller,
    kind: str,
    file_name: str,
    file_format: str,
    rows: list[dict],
    table: dict,
    delimiter: str = "",
    language: str = "",
) -> BatchImport:
    """Queue the rows of an uploaded file as batches of at most `PAZAR_BULK_MAX_ITEMS` rows, in
    the file's order, all or none; the caller has read the file and checked its rows' keys.
    `table` keeps the file's cells for the failed rows' file."""
    if not rows:
        raise ValueError("a file import needs rows")
    file_import = BatchImport(
        seller=seller,
        kind=kind,
        file_name=file_name[:255],
        file_format=file_format,
        delimiter=delimiter,
        total=len(rows),
    )
    file_import.table_file = files.write_import_table(file_import.id, table)
    file_import.save(force_insert=True)
    size = settings.PAZAR_BULK_MAX_ITEMS
    for offset in range(0, len(rows), size):
        batch_accept(
            seller=seller,
            kind=kind,
            body=None,
            rows=rows[offset : offset + size],
            language=language,
            file_import=file_import,
            import_offset=offset,
        )
    return file_import


def _queue_after_previous(batch: BatchRequest) -> None:
    """Keep a seller's open batches in arrival order even when the clock does not tell them
    apart: SQLite's clock has millisecond resolution, and clocks may step back. A batch not later
    than the seller's latest open one is moved one microsecond after it."""
    latest = (
        BatchRequest.objects.filter(seller_id=batch.seller_id, status__in=OPEN)
        .exclude(pk=batch.pk)
        .aggregate(latest=Max("created_at"))["latest"]
    )
    if latest is None:
        return
    after = latest + timedelta(microseconds=1)
    if BatchRequest.objects.filter(pk=batch.pk, created_at__lte=latest).update(created_at=after):
        batch.created_at = after


def batch_claim_next(*, seller_id, worker: str) -> BatchRequest | None:
    """Claim the seller's oldest open batch, unless another worker holds a live lease on it."""
    while True:
        now = timezone.now()
        head = (
            BatchRequest.objects.filter(seller_id=seller_id, status__in=OPEN)
            .order_by("created_at", "id")
            .first()
        )
        if head is None:
            return None
        if (
            head.status == BatchStatus.PROCESSING
            and head.lease_expires_at
            and head.lease_expires_at > now
        ):
            return None  # its holder goes on to the seller's next batch when done
        with transaction.atomic():
            # PostgreSQL: a row locked by an apply transaction is being applied, whatever its
            # lease says (the lock is not renewed while it guards the batch); do not wait on it.
            unlocked = BatchRequest.objects.select_for_update(skip_locked=True).filter(pk=head.pk)
            if unlocked.values_list("pk", flat=True).first() is None:
                return None
            if head.attempts >= settings.PAZAR_BATCH_MAX_ATTEMPTS:
                _fail(head, f"The batch could not be applied after {head.attempts} attempts.")
                continue
            claimed = BatchRequest.objects.filter(
                Q(lease_expires_at__isnull=True) | Q(lease_expires_at=head.lease_expires_at),
                pk=head.pk,
                status=head.status,
                attempts=head.attempts,
            ).update(
                status=BatchStatus.PROCESSING,
                lease_expires_at=now + _lease(),
                leased_by=worker,
                attempts=F("attempts") + 1,
                started_at=Coalesce("started_at", now),
                updated_at=now,
            )
        if not claimed:
            return None  # another worker claimed it first
        head.refresh_from_db()
        return head


def _claim_head(*, worker: str, seller_id=None, batch_id=None) -> BatchRequest | None:
    """`batch_claim_next`'s claim in one statement, for the usual case: the head of the queue
    of the seller (given, or the one of `batch_id`) is waiting, or processing with its lease run
    out, has attempts left, and no apply transaction holds its row (PostgreSQL: skipped when
    locked, as `batch_claim_next` does). None when any of that is not so; `batch_claim_next`
    then looks closer (a live lease, a batch out of attempts, a race lost).

    One conditional `UPDATE … RETURNING` instead of reading the head, locking it, updating it
    and reading it again: the conditions are checked on the row as it is when updated (SQLite
    holds the write lock for the statement; PostgreSQL re-checks them on the newest version of
    the row it has locked), so a batch is claimed by one worker only."""
    meta = BatchRequest._meta
    if seller_id is None:
        seller_param = meta.pk.get_db_prep_value(meta.pk.to_python(batch_id), connection)
    else:
        target = meta.get_field("seller").target_field
        seller_param = target.get_db_prep_value(seller_id, connection)
    claim = _claim_statement(seller_id is None)
    now = timezone.now()
    at = connection.ops.adapt_datetimefield_value
    params = [at(now + _lease()), worker, at(now), at(now), seller_param, at(now)]
    params.append(settings.PAZAR_BATCH_MAX_ATTEMPTS)
    with connection.cursor() as cursor:
        cursor.execute(claim.sql, params)
        rows = cursor.fetchall()  # SQLite: the statement runs to its end, and commits
    if not rows:
        return None
    values = list(rows[0])
    for position, (converters, expression) in claim.converters:
        for convert in converters:
            values[position] = convert(values[position], expression, connection)
    return BatchRequest.from_db(connection.alias, claim.attnames, values)


class _Claim:
    """`_claim_head`'s statement and how to read its row, for one database connection."""

    __slots__ = ("attnames", "converters", "sql")


# `_claim_head`'s statements by connection, then by whether the batch names the seller.
_CLAIMS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_CLAIMS_LOCK = threading.Lock()


def _claim_statement(by_batch: bool) -> _Claim:
    """`_claim_head`'s SQL (the seller given, or read from the batch) and the converters of
    the row it returns: built once per database connection, the same text every time."""
    real = connections[connection.alias]  # the thread's connection, not the proxy
    by_kind = _CLAIMS.get(real)
    if by_kind is None:
        with _CLAIMS_LOCK:
            by_kind = _CLAIMS.setdefault(real, {})
    claim = by_kind.get(by_batch)
    if claim is not None:
        return claim
    meta, quote = BatchRequest._meta, real.ops.quote_name
    table = quote(meta.db_table)
    fields = meta.concrete_fields
    seller_sql = f"(SELECT seller_id FROM {table} WHERE id = %s)" if by_batch else "%s"  # noqa: S608
    skip_locked = (
        " FOR UPDATE SKIP LOCKED" if real.features.has_select_for_update_skip_locked else ""
    )
    waiting, processing = int(BatchStatus.WAITING), int(BatchStatus.PROCESSING)
    claim = _Claim()
    claim.sql = (  # names from the model, values as parameters
        f"UPDATE {table} SET status = {processing}, lease_expires_at = %s, leased_by = %s, "  # noqa: S608
        f"attempts = attempts + 1, started_at = COALESCE(started_at, %s), updated_at = %s "
        f"WHERE id = (SELECT id FROM {table} WHERE id = ("
        f"SELECT id FROM {table} WHERE seller_id = {seller_sql} "
        f"AND status IN ({waiting}, {processing}) ORDER BY created_at, id LIMIT 1){skip_locked}) "
        f"AND status IN ({waiting}, {processing}) AND (status = {waiting} "
        f"OR lease_expires_at IS NULL OR lease_expires_at <= %s) AND attempts < %s "
        f"RETURNING {', '.join(quote(field.column) for field in fields)}"
    )
    compiler = BatchRequest.objects.none().query.get_compiler(connection=real)
    columns = [field.get_col(meta.db_table) for field in fields]
    claim.converters = list(compiler.get_converters(columns).items())
    claim.attnames = [field.attname for field in fields]
    by_kind[by_batch] = claim
    return claim


def _has_open_batches(*, seller_id) -> bool:
    """Whether the seller has a batch waiting or being applied (one plain statement: the
    question a worker asks after each batch, usually answered no)."""
    table = connection.ops.quote_name(BatchRequest._meta.db_table)
    target = BatchRequest._meta.get_field("seller").target_field
    waiting, processing = int(BatchStatus.WAITING), int(BatchStatus.PROCESSING)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT 1 FROM {table} WHERE seller_id = %s "  # noqa: S608
            f"AND status IN ({waiting}, {processing}) LIMIT 1",
            [target.get_db_prep_value(seller_id, connection)],
        )
        return cursor.fetchone() is not None


def _renew_lease(*, batch_id, worker: str) -> bool | None:
    """Extend the lease this worker holds: True when renewed, False when the batch was taken
    over or ended, None when the database was busy (the keeper tries again shortly)."""
    held = BatchRequest.objects.filter(pk=batch_id, leased_by=worker, status=BatchStatus.PROCESSING)
    try:
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:  # the keeper's own connection: do not queue long
                cursor.execute("PRAGMA busy_timeout = 1000")
        with transaction.atomic():
            if held.select_for_update(skip_locked=True).values_list("pk", flat=True).first():
                held.update(lease_expires_at=timezone.now() + _lease())
                return True
            return None if held.exists() else False
    except OperationalError:
        return None


def batch_run(*, batch_id, worker: str | None = None) -> None:
    """Apply the seller's open batches, oldest first, as long as this worker can claim them."""
    worker = worker or worker_identity()
    batch = _claim_head(worker=worker, batch_id=batch_id)
    if batch is None:
        seller_id = (
            BatchRequest.objects.filter(pk=batch_id).values_list("seller_id", flat=True).first()
        )
        if seller_id is None:
            return
        batch = batch_claim_next(seller_id=seller_id, worker=worker)
    while batch is not None:
        with holding(
            f"batch {batch.pk}",
            renew=partial(_renew_lease, batch_id=batch.pk, worker=worker),
            every=settings.PAZAR_BATCH_LEASE_SECONDS / 3,
            stall_after=settings.PAZAR_BATCH_STALL_SECONDS,
        ) as hold:
            batch_apply(batch=batch, worker=worker, hold=hold)
        if not _has_open_batches(seller_id=batch.seller_id):
            return
        batch = batch_claim_next(seller_id=batch.seller_id, worker=worker)


def batch_apply(*, batch: BatchRequest, worker: str, hold: Hold | None = None) -> None:
    with log_context(batch_id=str(batch.pk)):
        started = time.perf_counter()
        try:
            rows = files.read_json(batch.request_file)
            with hold.protected() if hold else nullcontext(), transaction.atomic():
                _end_if_left_idle()
                # The batch's row locked, with its seller (whom the handler and the callback
                # need) read by the same statement.
                held = _HELD.get(batch.pk, worker)
                if held is None:
                    return  # the lease expired and another worker took the batch over
                batch.seller = held.seller
                outcome = HANDLERS[batch.kind](seller=batch.seller, rows=rows)
                now = timezone.now()
                batch.success_file = files.write_json(batch.id, "success", outcome.succeeded)
                batch.error_file = files.write_json(batch.id, "error", outcome.failed)
                batch.succeeded, batch.failed = len(outcome.succeeded), len(outcome.failed)
                batch.status = BatchStatus.COMPLETED
                batch.processed_in = round(time.perf_counter() - started, 4)
                batch.finished_at = batch.updated_at = now
                batch.lease_expires_at, batch.error = None, ""
                _save_ended(batch)
                with savepoints_spared():  # an error here fails the whole apply, as it must
                    _notify_later(batch)
        except Exception as exc:
            logger.exception("batch %s failed on attempt %s", batch.pk, batch.attempts)
            _release_after_error(batch, worker, exc)
            return
        _observe_completed(batch)


# The lock of `batch_apply` (SQL compiled once per connection): the batch's row if this worker
# still holds its lease, `FOR UPDATE OF` it on PostgreSQL, with its seller.
_HELD = PreparedLookup(
    lambda pk, worker: (
        BatchRequest.objects.select_related("seller")
        .select_for_update(of=("self",))
        .filter(pk=pk, leased_by=worker, status=BatchStatus.PROCESSING)
    ),
    uuid.UUID,
    str,
)
# What `batch_apply` writes of an ended batch.
_ENDED_FIELDS = ("success_file", "error_file", "succeeded", "failed", "status", "processed_in",
                 "finished_at", "updated_at", "lease_expires_at", "error")  # fmt: skip


def _save_ended(batch: BatchRequest) -> None:
    """`batch.save(update_fields=_ENDED_FIELDS)` as one plain `UPDATE` of those columns by the
    batch's pk: no query to compile. `updated_at` is stamped now, as its `auto_now` does."""
    batch.updated_at = timezone.now()
    real = connections[connection.alias]  # the thread's connection, looked up once
    sql, fields = _ended_statement(real)
    params = [field.get_db_prep_save(getattr(batch, field.attname), real) for field in fields]
    params.append(BatchRequest._meta.pk.get_db_prep_value(batch.pk, real))
    with real.cursor() as cursor:
        cursor.execute(sql, params)
        if cursor.rowcount == 0:  # what `save(update_fields=…)` says of a row gone
            raise DatabaseError("Save with update_fields did not affect any rows.")


# `_save_ended`'s statement and fields, by database connection.
_ENDED: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _ended_statement(real) -> tuple[str, list]:
    found = _ENDED.get(real)
    if found is None:
        meta, quote = BatchRequest._meta, real.ops.quote_name
        fields = [meta.get_field(name) for name in _ENDED_FIELDS]
        assignments = ", ".join(f"{quote(field.column)} = %s" for field in fields)
        sql = (
            f"UPDATE {quote(meta.db_table)} SET {assignments} "  # noqa: S608 - names from the model
            f"WHERE {quote(meta.pk.column)} = %s"
        )
        with _CLAIMS_LOCK:
            found = _ENDED.setdefault(real, (sql, fields))
    return found


def _end_if_left_idle() -> None:
    """PostgreSQL ends this transaction, and its locks, if its worker stops talking to it for
    the stall time: a process frozen or cut off inside the apply cannot hold the batch."""
    if connection.vendor == "postgresql":
        timeout_ms = int(settings.PAZAR_BATCH_STALL_SECONDS * 1000)
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL idle_in_transaction_session_timeout = {timeout_ms}")


def _observe_completed(batch: BatchRequest) -> None:
    metrics.BATCH_ROWS.labels(kind=batch.kind, outcome="succeeded").inc(batch.succeeded)
    metrics.BATCH_ROWS.labels(kind=batch.kind, outcome="failed").inc(batch.failed)
    metrics.BATCH_DURATION.labels(kind=batch.kind).observe(batch.processed_in)
    metrics.BATCHES_ENDED.labels(kind=batch.kind, status="completed").inc()
    logger.info(
        "batch %s completed: %s rows applied, %s failed, in %.3fs",
        batch.pk,
        batch.succeeded,
        batch.failed,
        batch.processed_in,
        extra={
            "kind": batch.kind,
            "seller_id": batch.seller_id,
            "rows_succeeded": batch.succeeded,
            "rows_failed": batch.failed,
            "attempt": batch.attempts,
            "duration_seconds": batch.processed_in,
        },
    )


def _release_after_error(batch: BatchRequest, worker: str, exc: Exception) -> None:
    """Give the batch back after a failed attempt, to be retried once a pause has passed.

    It stays at the head of the seller's queue (status 2) with a lease that nobody holds; when
    the lease runs out, `batch_recover` queues it again. The pause grows with the attempts, so
    a passing fault (a locked database, a restarting server) does not use up every attempt.
    """
    message = f"{exc.__class__.__name__}: {exc}"[:2000]
    if batch.attempts >= settings.PAZAR_BATCH_MAX_ATTEMPTS:
        _fail(batch, message)
        return
    now = timezone.now()
    BatchRequest.objects.filter(
        pk=batch.pk, leased_by=worker, status=BatchStatus.PROCESSING
    ).update(
        lease_expires_at=now
        + timedelta(seconds=settings.PAZAR_BATCH_RETRY_SECONDS * batch.attempts),
        leased_by="",
        error=message,
        updated_at=now,
    )


@transaction.atomic
def _fail(batch: BatchRequest, message: str) -> None:
    now = timezone.now()
    ended = BatchRequest.objects.filter(pk=batch.pk, status__in=OPEN).update(
        status=BatchStatus.FAILED,
        error=message,
        finished_at=now,
        updated_at=now,
        lease_expires_at=None,
    )
    batch.refresh_from_db()
    if ended:  # another worker may have ended it already, and told the seller
        _notify_later(batch)
        transaction.on_commit(
            lambda: metrics.BATCHES_ENDED.labels(kind=batch.kind, status="failed").inc()
        )
        logger.error("batch %s failed: %s", batch.pk, message, extra={"batch_id": str(batch.pk)})


def batch_recover() -> int:
    """Re-enqueue batches whose lease expired or whose task went missing; returns how many."""
    from pazar.batches.tasks import process_batch

    now = timezone.now()
    stale = now - REQUEUE_WAITING_AFTER
    candidates = BatchRequest.objects.filter(
        Q(status=BatchStatus.PROCESSING, lease_expires_at__lt=now)
        | Q(status=BatchStatus.WAITING, last_enqueued_at__lt=stale)
        | Q(status=BatchStatus.WAITING, last_enqueued_at__isnull=True)
    ).values_list("pk", flat=True)[:500]
    count = 0
    for batch_id in candidates:
        with transaction.atomic():
            if (
                BatchRequest.objects.filter(pk=batch_id)
                .filter(
                    Q(last_enqueued_at__isnull=True)
                    | Q(last_enqueued_at__lt=now - timedelta(seconds=1))
                )
                .update(last_enqueued_at=now)
            ):
                process_batch.enqueue(batch_id=str(batch_id))
                count += 1
    if count:
        logger.info("re-enqueued %s stale batch requests", count)
    return count


def batch_release_worker(*, pid: int) -> int:
    """Give back at once the batches that a worker process of this machine, now ended, held:
    they are queued again with their lease ended instead of waiting for it to run out."""
    from pazar.batches.tasks import process_batch

    identity = f"{socket.gethostname()[:40]}-{pid}"
    held = BatchRequest.objects.filter(leased_by=identity, status=BatchStatus.PROCESSING)
    count = 0
    for batch_id in held.values_list("pk", flat=True):
        with transaction.atomic():
            now = timezone.now()
            if held.filter(pk=batch_id).update(lease_expires_at=now, last_enqueued_at=now):
                process_batch.enqueue(batch_id=str(batch_id))
                count += 1
    if count:
        logger.warning("worker %s ended holding %s batches; they are queued again", pid, count)
    return count


# --- seller callbacks ---------------------------------------------------------------------


def _notify_later(batch: BatchRequest) -> None:
    """Tell the seller the batch ended: a signed callback event, in this transaction."""
    from pazar.callbacks.services import callback_publish

    callback_publish(
        seller=batch.seller, event="batch_request.finished", fields=callback_fields(batch)
    )


def callback_fields(batch: BatchRequest) -> dict:
    return {
        "batch_request_id": str(batch.pk),
        "status": batch.status,
        "state": {"total": batch.total, "succeeded": batch.succeeded, "failed": batch.failed},
        "finished_at": utc_text(batch.finished_at),
    }


def batch_notify(*, batch_id, attempt: int = 1) -> None:
    """A callback task queued before callbacks had their own log: publish the event now."""
    batch = BatchRequest.objects.select_related("seller").filter(pk=batch_id).first()
    if batch is not None and batch.finished_at is not None:
        with transaction.atomic():
            _notify_later(batch)
