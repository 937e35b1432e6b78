"""Helpers shared by the apps' services, and the writes of core's tables: dynamic settings,
workers' heartbeats and the database's rate limit counters."""

import os
import socket
from datetime import UTC, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.db.models import F
from django.utils import timezone

from pazar.core.dynamic_settings import DEFINITIONS
from pazar.core.models import DynamicSetting, RateLimitCounter, WorkerHeartbeat


def model_update(*, instance: models.Model, fields: list[str], data: dict) -> bool:
    """Set those of `fields` that `data` carries and save only them (with `updated_at`).

    Many-to-many fields are the caller's to set. Returns whether anything changed.
    """
    changed = []
    for field in fields:
        if field in data and getattr(instance, field) != data[field]:
            setattr(instance, field, data[field])
            changed.append(field)
    if changed:
        if any(field.name == "updated_at" for field in instance._meta.concrete_fields):
            changed.append("updated_at")
        instance.save(update_fields=changed)
    return bool(changed)


def field_error(field: str, message: str, code: str) -> ValidationError:
    """A `{field: [message]}` validation error whose message carries `code`."""
    return ValidationError({field: ValidationError(message, code=code)})


@transaction.atomic
def dynamic_setting_set(*, key: str, value) -> tuple[DynamicSetting, bool]:
    """Store a known setting's value (checked by its definition); returns (row, created)."""
    definition = DEFINITIONS.get(key)
    if definition is None:
        known = ", ".join(sorted(DEFINITIONS))
        raise field_error("key", f"Unknown setting {key!r}; known settings: {known}.", "unknown")
    try:
        cleaned = definition.clean(value)
    except ValidationError as exc:
        raise ValidationError({"value": exc.error_list}) from None
    return DynamicSetting.objects.update_or_create(key=key, defaults={"value": cleaned})


@transaction.atomic
def dynamic_setting_delete(*, setting: DynamicSetting) -> None:
    """Forget a stored value: the setting has its default again."""
    setting.delete()


def worker_heartbeat_beat(*, worker_id: str, started) -> None:
    """This worker process is alive now (read by /health/)."""
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "hostname": socket.gethostname()[:255],
            "pid": os.getpid(),
            "started_at": started,
            "last_seen": timezone.now(),
        },
    )


def worker_heartbeat_remove(*, worker_id: str) -> None:
    """The worker stopped."""
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


def worker_heartbeat_remove_process(*, pid: int) -> None:
    """The worker process `pid` of this machine ended."""
    WorkerHeartbeat.objects.filter(hostname=socket.gethostname()[:255], pid=pid).delete()


def rate_limit_count(*, key: str, ttl: int) -> int:
    """One more request in the window `key` (which ends `ttl` seconds after its first); the
    window's count, from one atomic `INSERT … ON CONFLICT DO UPDATE … RETURNING`."""
    table = connection.ops.quote_name(RateLimitCounter._meta.db_table)
    expires_at = datetime.now(UTC) + timedelta(seconds=ttl)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (key, count, expires_at) VALUES (%s, 1, %s) "  # noqa: S608
            f"ON CONFLICT (key) DO UPDATE SET count = {table}.count + 1 RETURNING count",
            [key, expires_at],
        )
        (count,) = cursor.fetchone()
    return int(count)


def rate_limit_failure_add(*, key: str, keep: int) -> int:
    """One more failure under `key`, forgotten `keep` seconds after the last one; the count
    (1 again once the previous ones were forgotten), from one atomic statement."""
    now = datetime.now(UTC)
    table = connection.ops.quote_name(RateLimitCounter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (key, count, expires_at) VALUES (%s, 1, %s) "  # noqa: S608
            f"ON CONFLICT (key) DO UPDATE SET count = CASE WHEN {table}.expires_at <= %s "
            f"THEN 1 ELSE {table}.count + 1 END, expires_at = excluded.expires_at "
            "RETURNING count",
            [key, now + timedelta(seconds=keep), now],
        )
        (count,) = cursor.fetchone()
    return int(count)


def rate_limit_take_back(*, key: str) -> None:
    """One failure fewer under `key`, if any is still counted."""
    RateLimitCounter.objects.filter(key=key, count__gt=0, expires_at__gt=datetime.now(UTC)).update(
        count=F("count") - 1
    )


def rate_limit_lock(*, key: str, seconds: int, only_if_free: bool) -> bool:
    """Hold the lock `key` for `seconds`; with `only_if_free`, only when nobody holds it.
    Whether this call took it (one atomic statement)."""
    now = datetime.now(UTC)
    table = connection.ops.quote_name(RateLimitCounter._meta.db_table)
    condition = f" WHERE {table}.expires_at <= %s" if only_if_free else ""
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (key, count, expires_at) VALUES (%s, 1, %s) "  # noqa: S608
            "ON CONFLICT (key) DO UPDATE SET count = 1, expires_at = excluded.expires_at"
            f"{condition} RETURNING count",
            [key, now + timedelta(seconds=max(1, seconds)), *([now] if only_if_free else [])],
        )
        return cursor.fetchone() is not None


def rate_limit_keys_delete(*, keys: tuple[str, ...]) -> None:
    RateLimitCounter.objects.filter(key__in=keys).delete()


def rate_limit_counters_prune() -> None:
    """Forget the windows that have ended."""
    RateLimitCounter.objects.filter(expires_at__lt=datetime.now(UTC)).delete()
