"""Reads behind /health/: is the database answering, are workers alive, is the queue moving."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone

from pazar.core.dates import utc_text
from pazar.core.dynamic_settings import DEFINITIONS
from pazar.core.models import DynamicSetting

# The queues of the apps above core that /health/ reports, by the report's key: each a read
# returning a dict with at least `oldest_waiting_seconds`. Apps register theirs from their
# AppConfig.ready() (`register_queue`), so core imports none of them.
QUEUES: dict[str, Callable[[], dict]] = {}


def register_queue(name: str, read: Callable[[], dict]) -> None:
    QUEUES[name] = read


def database_status() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        return {
            "status": "unavailable",
            "vendor": connection.vendor,
            "error": exc.__class__.__name__,
        }
    return {"status": "ok", "vendor": connection.vendor}


def worker_status() -> dict:
    from django_tasks_db.models import DBTaskResult

    from pazar.core.models import WorkerHeartbeat

    now = timezone.now()
    fresh_after = now - timedelta(seconds=settings.PAZAR_WORKER_STALE_SECONDS)
    alive = WorkerHeartbeat.objects.filter(last_seen__gte=fresh_after).count()
    last = (
        WorkerHeartbeat.objects.order_by("-last_seen").values_list("last_seen", flat=True).first()
    )
    ready = DBTaskResult.objects.ready()
    oldest = ready.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
    return {
        "status": "ok" if alive else "unavailable",
        "alive": alive,
        "last_seen": utc_text(last),
        "last_seen_seconds": round((now - last).total_seconds(), 3) if last else None,
        "queued": ready.count(),
        "oldest_queued_seconds": round((now - oldest).total_seconds(), 3) if oldest else 0,
    }


def health_report() -> tuple[dict, bool]:
    """The health document and whether all is well.

    Well means: the database answers, a worker reported in the last PAZAR_WORKER_STALE_SECONDS,
    neither a task nor a batch has waited longer than PAZAR_HEALTH_MAX_LAG_SECONDS, and no
    batch is overdue (processing too long, or left with a lease that ran out; each is named).
    """
    database = database_status()
    report = {"status": "ok", "database": database}
    if database["status"] != "ok":
        report["status"] = "unavailable"
        return report, False
    worker = report["worker"] = worker_status()
    for name, read in QUEUES.items():
        report[name] = read()
    limit = settings.PAZAR_HEALTH_MAX_LAG_SECONDS
    worker["lag_seconds"] = max(
        [worker["oldest_queued_seconds"]]
        + [report[name]["oldest_waiting_seconds"] for name in QUEUES]
    )
    worker["max_lag_seconds"] = limit
    problems = []
    if worker["status"] != "ok":
        problems.append(
            f"No worker has reported in the last {settings.PAZAR_WORKER_STALE_SECONDS} seconds."
        )
    if worker["lag_seconds"] > limit:
        problems.append(
            f"Work has waited {worker['lag_seconds']:.0f} seconds, longer than {limit} "
            "(PAZAR_HEALTH_MAX_LAG_SECONDS)."
        )
    for batch in report["batches"]["overdue"]:
        if batch["lease_expired_seconds"]:
            problems.append(
                f"Batch {batch['id']} has been processing for {batch['processing_seconds']:.0f} "
                f"seconds; its lease ran out {batch['lease_expired_seconds']:.0f} seconds ago "
                "and no worker has taken it over."
            )
        else:
            problems.append(
                f"Batch {batch['id']} has been processing for {batch['processing_seconds']:.0f} "
                f"seconds, longer than {settings.PAZAR_HEALTH_MAX_PROCESSING_SECONDS} "
                "(PAZAR_HEALTH_MAX_PROCESSING_SECONDS)."
            )
    if problems:
        report["status"], report["problems"] = "degraded", problems
    return report, not problems


def dynamic_setting_value(key: str):
    """The stored value of a dynamic setting, else its default (`pazar.core.dynamic_settings`)."""
    stored = DynamicSetting.objects.filter(key=key).values_list("value", flat=True).first()
    return DEFINITIONS[key].default if stored is None else stored
