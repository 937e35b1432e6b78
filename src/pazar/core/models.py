from django.db import models


class RateLimitCounter(models.Model):
    """One fixed-window request counter, used when no Redis is configured (pazar.api.ratelimit)."""

    key = models.CharField(max_length=255, primary_key=True)
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)


class WorkerHeartbeat(models.Model):
    """A background worker process reporting that it is alive (read by /health/)."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    hostname = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    last_seen = models.DateTimeField(db_index=True)


class DynamicSetting(models.Model):
    """A setting operators change at run time (`/api/v1/dynamic_settings/`).

    Only keys listed in `pazar.core.dynamic_settings.DEFINITIONS` are stored, each validated
    there; a key without a row has its default.
    """

    key = models.CharField(max_length=100, unique=True)
    value = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["key"]

    def __str__(self) -> str:
        return self.key
