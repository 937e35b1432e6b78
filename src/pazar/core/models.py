from django.db import models
from django.utils.translation import gettext_lazy as _
from django_tasks_db.models import DBTaskResult


class RateLimitCounter(models.Model):
    """One fixed-window request counter, used when no Redis is configured (pazar.api.ratelimit)."""

    key = models.CharField(max_length=255, primary_key=True, verbose_name=_("key"))
    count = models.PositiveIntegerField(default=0, verbose_name=_("count"))
    expires_at = models.DateTimeField(db_index=True, verbose_name=_("expires at"))

    class Meta:
        verbose_name = _("rate limit counter")
        verbose_name_plural = _("rate limit counters")


class WorkerHeartbeat(models.Model):
    """A background worker process reporting that it is alive (read by /health/)."""

    worker_id = models.CharField(max_length=64, primary_key=True, verbose_name=_("worker ID"))
    hostname = models.CharField(max_length=255, verbose_name=_("hostname"))
    pid = models.PositiveIntegerField(verbose_name=_("pid"))
    started_at = models.DateTimeField(verbose_name=_("started at"))
    last_seen = models.DateTimeField(db_index=True, verbose_name=_("last seen"))

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")


class DynamicSetting(models.Model):
    """A setting operators change at run time (`/api/v1/dynamic_settings/`).

    Only keys listed in `pazar.core.dynamic_settings.DEFINITIONS` are stored, each validated
    there; a key without a row has its default.
    """

    key = models.CharField(max_length=100, unique=True, verbose_name=_("key"))
    value = models.JSONField(verbose_name=_("value"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        verbose_name = _("dynamic setting")
        verbose_name_plural = _("dynamic settings")
        ordering = ["key"]

    def __str__(self) -> str:
        return self.key


class BackgroundTask(DBTaskResult):
    """A task of django-tasks-db's table, as the back office shows it (its words translated)."""

    class Meta:
        proxy = True
        verbose_name = _("background task")
        verbose_name_plural = _("background tasks")

    def __str__(self) -> str:
        return f"{self.task_name} · {self.get_status_display()}"
