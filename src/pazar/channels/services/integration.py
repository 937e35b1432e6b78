"""Batch requests and integration actions: the moves of a connector's run (omnitron.md §11).

The rules, in one place:
* `commit` holds every committed object: its integration action (created if new) is set to
  `processing` under this batch. An object another open batch holds refuses the commit (406).
* `done` closes the batch: each object without `failed_reason_type` gets `status=success`, its
  `remote_id` (when sent) and `version_date` (the version the connector read); a failed object
  gets `status=error` and keeps its previous version, so the feeds offer it again.
* `fail` closes the batch too: every held object gets `status=error`, nothing else changes.
The feeds (pazar.channels.selectors) leave out `processing` objects, offer never-sent objects
as inserts and sent objects changed since their `version_date` as updates.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from rest_framework import status as http

from pazar.channels import selectors
from pazar.channels.error_codes import ErrorCode
from pazar.channels.models import (
    ActionStatus,
    AddressErrorReport,
    BatchRequest,
    BatchRequestEvent,
    BatchStatus,
    Channel,
    ErrorReport,
    IntegrationAction,
)
from pazar.channels.models.integration import BATCH_TRANSITIONS, OPEN_BATCH_STATUSES
from pazar.core.errors import ApplicationError
from pazar.core.prepared import PreparedLookup
from pazar.core.services import model_update
from pazar.core.sql import (
    Statement,
    execute_together,
    insert_statement,
    update_statement,
    upsert,
    upsert_statement,
)

# --- batch requests -------------------------------------------------------------------------


@transaction.atomic
def batch_request_create(*, channel: Channel, user=None) -> BatchRequest:
    return BatchRequest.objects.create(channel=channel)


_CHANNEL_EXISTS = (
    f"EXISTS (SELECT 1 FROM {Channel._meta.db_table} WHERE {Channel._meta.pk.column} = %s)"  # noqa: S608
)


@transaction.atomic
def batch_request_create_for(*, channel_id: int, user=None) -> BatchRequest | None:
    """`batch_request_create` for the channel with this id, in one statement that inserts the
    batch only if the channel exists: None (nothing written) when it does not."""
    batch = BatchRequest(channel_id=channel_id)
    rows = execute_together(
        [insert_statement(BatchRequest, [batch], where=_CHANNEL_EXISTS, where_params=[channel_id])]
    )
    if not rows:
        return None
    batch.pk = rows[0][0]
    batch._state.adding, batch._state.db = False, transaction.get_connection().alias
    return batch


def _refuse_move(batch: BatchRequest, to: str) -> ApplicationError:
    allowed = sorted(BATCH_TRANSITIONS[batch.status])
    return ApplicationError(
        f"batch_request_status_100_1: a batch request in status {batch.status!r} cannot move "
        f"to {to!r} (allowed: {', '.join(allowed) or 'none, it is closed'}).",
        code=ErrorCode.BATCH_REQUEST_STATUS,
        status_code=http.HTTP_406_NOT_ACCEPTABLE,
    )


# The batch a move locks, read on every PATCH (SQL compiled once; `FOR UPDATE` on PostgreSQL).
_LOCKED_BATCH = PreparedLookup(
    lambda pk: BatchRequest.objects.select_for_update().filter(pk=pk), int
)


def _locked(pk: int) -> BatchRequest:
    batch = _LOCKED_BATCH.get(pk)
    if batch is None:
        raise BatchRequest.DoesNotExist("BatchRequest matching query does not exist.")
    return batch


# The channel's batch a PATCH names, locked: the view's read of the row and the move's in one.
_LOCKED_CHANNEL_BATCH = PreparedLookup(
    lambda pk, channel_id: BatchRequest.objects.select_for_update().filter(
        pk=pk, channel_id=channel_id
    ),
    int,
    int,
)


@transaction.atomic
def batch_request_update(*, batch: BatchRequest, data: dict, user=None) -> BatchRequest:
    """Apply a PATCH: `remote_batch_id`, `content_type`, `objects` (merged) and a `status` move.

    `data["objects"]` are cleaned items `{pk, content_type, version_date, remote_id,
    failed_reason_type}`. An illegal move (BATCH_TRANSITIONS), or any change to a closed batch,
    is a 406 `batch_request_status_100_1`.
    """
    return _move(_locked(batch.pk), data, user)


@transaction.atomic
def batch_request_move(*, channel_id: int, pk: int, data: dict, user=None) -> BatchRequest | None:
    """`batch_request_update` of the batch `pk` of the channel `channel_id`, read once, locked;
    None (nothing read or written) when that channel has no such batch, or no channel has
    that id."""
    batch = _LOCKED_CHANNEL_BATCH.get(pk, channel_id)
    if batch is None:
        return None
    return _move(batch, data, user)


def _move(batch: BatchRequest, data: dict, user) -> BatchRequest:
    """`batch_request_update` of the batch read under its lock."""
    to = data.get("status") or batch.status
    if to not in BATCH_TRANSITIONS[batch.status]:
        raise _refuse_move(batch, to)
    if batch.status == BatchStatus.INITIALIZED and to == BatchStatus.DONE and data.get("objects"):
        # Nothing was committed, so there is nothing to record: closing with objects is a
        # mistake the connector must hear about.
        raise ApplicationError(
            "batch_request_status_100_1: a batch request in status 'initialized' closes "
            "'done' only without objects; commit its objects first.",
            code=ErrorCode.BATCH_REQUEST_STATUS,
            status_code=http.HTTP_406_NOT_ACCEPTABLE,
        )
    # Saved with the rest of the batch below (one UPDATE): an error before then rolls back.
    for field in ("remote_batch_id", "content_type"):
        if field in data:
            setattr(batch, field, data[field])
    items = data.get("objects") or []
    if items:
        for item in items:
            item.setdefault("content_type", batch.content_type)
            if not item["content_type"]:
                raise ApplicationError(
                    f"Object {item['pk']} names no content_type, nor does the batch.",
                    code=ErrorCode.UNKNOWN_CONTENT_TYPE,
                )
        batch.items = _merged(batch.items or [], items)
    if to == BatchStatus.COMMIT:
        _hold(batch, items, to, user)
        return batch
    if to == BatchStatus.DONE:
        _save_moved(batch, to, user, last=_close_done(batch))
        return batch
    if to == BatchStatus.FAIL:
        _close_failed(batch)
    _save_moved(batch, to, user)
    return batch


def _save_moved(batch: BatchRequest, to: str, user, last: Statement | None = None) -> list:
    """The columns a PATCH can change (the others stay as they were read under the lock), when
    the status moves the move's event, then `last` (another table's write, or None): one round
    trip on PostgreSQL. The rows `last` returns."""
    now = timezone.now()
    saved = update_statement(
        BatchRequest,
        pks=[batch.pk],
        values={"remote_batch_id": batch.remote_batch_id, "content_type": batch.content_type,
                "status": to, "items": batch.items, "updated_at": now},
    )  # fmt: skip
    event = None
    if to != batch.status:
        event = insert_statement(
            BatchRequestEvent,
            [BatchRequestEvent(batch_request=batch, from_status=batch.status, to_status=to,
                               user=user)],
        )  # fmt: skip
    rows = execute_together([saved, event, last])
    batch.status, batch.updated_at = to, now
    return rows


def batch_requests_expire(*, idle: timedelta | None = None, channel: Channel | None = None) -> int:
    """Fail the open batch requests nobody moved for `idle` (PAZAR_CHANNEL_BATCH_IDLE_MINUTES
    by default); returns how many. Periodic (PAZAR_WORKER_PERIODIC).

    A connector may leave a batch open for good: channel_app commits the prices, stocks or
    images it read, and returns without closing the batch when none of them can be sent yet
    (their product is not on the marketplace). Until the batch closes, what it holds is in no
    feed; failing it (a `fail` move by nobody) puts them back in `inserts/` or `updates/`.
    """
    if idle is None:
        idle = timedelta(minutes=settings.PAZAR_CHANNEL_BATCH_IDLE_MINUTES)
    stale = BatchRequest.objects.filter(
        status__in=[BatchStatus.INITIALIZED, *OPEN_BATCH_STATUSES],
        updated_at__lte=timezone.now() - idle,
    )
    if channel is not None:
        stale = stale.filter(channel=channel)
    failed = 0
    for batch in stale.order_by("pk")[:500]:
        with transaction.atomic():
            current = BatchRequest.objects.select_for_update().get(pk=batch.pk)
            if BatchStatus.FAIL not in BATCH_TRANSITIONS[current.status]:
                continue  # closed meanwhile
            if current.updated_at > timezone.now() - idle:
                continue  # moved meanwhile
            batch_request_update(batch=current, data={"status": BatchStatus.FAIL})
            failed += 1
    return failed


def _key(item: dict) -> tuple[str, int]:
    return (item["content_type"], item["pk"])


def _merged(stored: list[dict], items: list[dict]) -> list[dict]:
    by_key = {_key(item): item for item in stored}
    for item in items:
        previous = by_key.get(_key(item), {})
        # Keep what an earlier PATCH said unless this one says otherwise.
        by_key[_key(item)] = {
            **previous,
            **{name: value for name, value in item.items() if value is not None},
            "failed_reason_type": item.get("failed_reason_type"),
        }
    return list(by_key.values())


def _content_types(names) -> dict[str, ContentType]:
    found = selectors.content_types_named(set(names))
    unknown = sorted(set(names) - set(found))
    if unknown:
        raise ApplicationError(
            f"Unknown content type(s): {', '.join(unknown)}.", code=ErrorCode.UNKNOWN_CONTENT_TYPE
        )
    return found


def _hold(batch: BatchRequest, items: list[dict], to: str, user) -> None:
    """Create or take the actions of `items` under this batch, `processing`: one statement per
    model, the last sent with the batch's own write (`_save_moved`). A conflicting action is
    taken only where no other batch holds it (`DO UPDATE … WHERE`, which locks the row first:
    two commits of overlapping objects queue, the second sees the first's hold); what was
    neither inserted nor taken is held elsewhere, a 406 that rolls the whole commit back."""
    now = timezone.now()
    for item in batch.items or []:
        item.setdefault("version_date", now.isoformat())
    content_types = _content_types({item["content_type"] for item in items})
    by_type: dict[int, set[int]] = {}
    for item in items:
        by_type.setdefault(content_types[item["content_type"]].pk, set()).add(item["pk"])
    table = connection.ops.quote_name(IntegrationAction._meta.db_table)
    free = (
        f"{table}.status IS NULL OR {table}.status <> '{ActionStatus.PROCESSING}' "
        f"OR {table}.batch_request_id = EXCLUDED.batch_request_id"
    )
    holds = sorted(by_type.items())
    for index, (content_type_id, object_ids) in enumerate(holds):
        arguments = dict(
            columns=["object_id"],
            rows=[(object_id,) for object_id in sorted(object_ids)],  # locked in key order
            same={"channel": batch.channel_id, "content_type": content_type_id,
                  "status": ActionStatus.PROCESSING, "batch_request": batch.pk, "state": {},
                  "created_at": now, "updated_at": now},
            conflict=["channel", "content_type", "object_id"],
            update=["status", "batch_request", "updated_at"],
            where=free,
            returning=["object_id"],
        )  # fmt: skip
        if index < len(holds) - 1 or len(object_ids) > _ONE_STATEMENT:
            taken = upsert(IntegrationAction, **arguments)
        else:  # the last: with the batch's write
            taken = _save_moved(
                batch, to, user, last=upsert_statement(IntegrationAction, **arguments)
            )
        held = object_ids - {object_id for (object_id,) in taken}
        if held:
            raise ApplicationError(
                f"Another open batch request holds object(s) {sorted(held)[:20]}.",
                code=ErrorCode.BATCH_REQUEST_OBJECT_HELD,
                status_code=http.HTTP_406_NOT_ACCEPTABLE,
            )
    if not holds or len(holds[-1][1]) > _ONE_STATEMENT:
        _save_moved(batch, to, user)


# Objects of one model a commit holds in the statement it sends with the batch's own (SQLite
# binds at most `MAX_PARAMS` values a statement; more go by `upsert`, a statement per chunk).
_ONE_STATEMENT = 10_000


def _close_done(batch: BatchRequest) -> Statement | None:
    """Record the batch's outcome on every action it holds: `success` (the item's `remote_id`
    and `version_date` when it names them, the action's own otherwise), or `error` for an item
    with a `failed_reason_type` (the action keeps its remote id and version). On PostgreSQL
    the statement that does it, to send with the batch's write; elsewhere done here."""
    items = batch.items or []
    content_types = _content_types({item["content_type"] for item in items}) if items else {}
    now = timezone.now()
    if connection.vendor == "postgresql":
        return _close_done_statement(batch, items, content_types, now)
    wanted = {(content_types[i["content_type"]].pk, i["pk"]): i for i in items}
    actions = (
        IntegrationAction.objects.select_for_update()
        .filter(batch_request=batch, status=ActionStatus.PROCESSING)
        .order_by("pk")
        .values_list("content_type_id", "object_id", "remote_id", "version_date")
    )
    rows = []
    for content_type_id, object_id, remote_id, version_date in actions:
        item = wanted.get((content_type_id, object_id))
        status = ActionStatus.SUCCESS
        if item is not None and item.get("failed_reason_type"):
            status = ActionStatus.ERROR
        elif item is not None:
            if item.get("remote_id") is not None:
                remote_id = str(item["remote_id"])
            if item.get("version_date"):
                version_date = parse_datetime(item["version_date"])
        rows.append(
            (batch.channel_id, content_type_id, object_id, status, remote_id, version_date, {},
             now, now)
        )  # fmt: skip
    # One statement for the whole batch (the rows exist and are locked: never an insert).
    upsert(
        IntegrationAction,
        columns=["channel", "content_type", "object_id", "status", "remote_id", "version_date",
                 "state", "created_at", "updated_at"],
        rows=rows,
        conflict=["channel", "content_type", "object_id"],
        update=["status", "remote_id", "version_date", "updated_at"],
    )  # fmt: skip
    return None


# `done` on PostgreSQL: the held actions locked in key order and updated in the same statement.
# An action the PATCH names gets its item's outcome (NULL: keep the action's own value); one it
# does not name is a success with what it had. The items come as one JSON array of rows
# `[content type id, pk, status, remote id, version date]` (`json.dumps` writes it in C, where
# the driver adapts five arrays value by value in Python).
_ACTIONS = IntegrationAction._meta.db_table
_CLOSE_DONE = f"""
    WITH held AS MATERIALIZED (
        SELECT id, content_type_id, object_id FROM {_ACTIONS}
        WHERE batch_request_id = %s AND status = '{ActionStatus.PROCESSING}'
        ORDER BY id FOR UPDATE
    ), sent AS (
        SELECT (e ->> 0)::integer AS content_type_id, (e ->> 1)::bigint AS object_id,
               e ->> 2 AS status, e ->> 3 AS remote_id, (e ->> 4)::timestamptz AS version_date
        FROM json_array_elements(%s::json) AS e
    )
    UPDATE {_ACTIONS} AS a
    SET status = coalesce(sent.status, '{ActionStatus.SUCCESS}'),
        remote_id = coalesce(sent.remote_id, a.remote_id),
        version_date = coalesce(sent.version_date, a.version_date),
        updated_at = %s
    FROM held LEFT JOIN sent
        ON sent.content_type_id = held.content_type_id AND sent.object_id = held.object_id
    WHERE a.id = held.id
"""  # noqa: S608 - constant SQL


def _close_done_statement(batch: BatchRequest, items: list[dict], content_types, now) -> Statement:
    rows = []
    for item in items:
        failed = bool(item.get("failed_reason_type"))
        remote_id = item.get("remote_id")
        version_date = item.get("version_date")
        rows.append(
            (
                content_types[item["content_type"]].pk,
                item["pk"],
                ActionStatus.ERROR if failed else None,
                None if failed or remote_id is None else str(remote_id),
                _iso(version_date) if version_date and not failed else None,
            )
        )
    return _CLOSE_DONE, [batch.pk, json.dumps(rows), now]


def _iso(text: str) -> str | None:
    """`parse_datetime(text)` (None when it reads no date) in the ISO form PostgreSQL reads, as
    the driver would send the datetime (a naive one in the connection's time zone)."""
    try:
        return datetime.fromisoformat(text).isoformat()  # what `parse_datetime` tries first
    except ValueError:
        parsed = parse_datetime(text)
        return None if parsed is None else parsed.isoformat()


def _close_failed(batch: BatchRequest) -> None:
    IntegrationAction.objects.filter(batch_request=batch, status=ActionStatus.PROCESSING).update(
        status=ActionStatus.ERROR, updated_at=timezone.now()
    )


# --- integration actions --------------------------------------------------------------------

TAKEN = "This object already has an integration action for this channel."


@transaction.atomic
def integration_action_create(
    *,
    channel: Channel,
    content_type: ContentType,
    object_id: int,
    remote_id: str | None = None,
    version_date=None,
    state: dict | None = None,
    status: str | None = None,
) -> IntegrationAction:
    try:
        with transaction.atomic():
            return IntegrationAction.objects.create(
                channel=channel,
                content_type=content_type,
                object_id=object_id,
                remote_id=remote_id,
                version_date=version_date,
                state=state or {},
                status=status or ActionStatus.SUCCESS,
            )
    except IntegrityError:
        raise ApplicationError(TAKEN, code="unique") from None


ACTION_FIELDS = ["remote_id", "version_date", "state", "status"]


@transaction.atomic
def integration_action_update(*, action: IntegrationAction, data: dict) -> IntegrationAction:
    model_update(instance=action, fields=ACTION_FIELDS, data=data)
    return action


@transaction.atomic
def integration_action_delete(*, action: IntegrationAction) -> None:
    action.delete()


# --- error reports --------------------------------------------------------------------------


@transaction.atomic
def error_report_create(*, channel: Channel, data: dict) -> ErrorReport:
    return ErrorReport.objects.create(channel=channel, **data)


ADDRESS_FIELDS = ["name", "err_code", "err_desc"]


@transaction.atomic
def address_error_report(*, channel: Channel, type: str, data: dict) -> AddressErrorReport:
    """Record an unmapped place; the same place reported again refreshes its report."""
    fields = {name: str(data.get(name) or "") for name in ADDRESS_FIELDS}
    report, _ = AddressErrorReport.objects.update_or_create(
        channel=channel,
        type=type or str(data.get("type") or ""),
        remote_code=str(data.get("remote_code") or ""),
        integration_type=str(data.get("integration_type") or "sales_channel"),
        defaults={**fields, "data": data},
    )
    return report
