"""A sales channel's bookkeeping with its connector (omnitron.md §11, real-clients.md §3, §7, §8).

A connector (channel_app) reads objects from the delta feeds, sends them to the remote
marketplace inside a *batch request*, and records for each object an *integration action*: the
remote id and the version (`version_date`, the object's `modified_date` it sent) the channel
has. The feeds compare objects with their actions; an action whose batch is open (`processing`)
holds its object out of every feed.
"""

import uuid

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q


class BatchStatus(models.TextChoices):
    INITIALIZED = "initialized"
    COMMIT = "commit"
    SENT_TO_REMOTE = "sent_to_remote"
    ONGOING = "ongoing"
    DONE = "done"
    FAIL = "fail"


# The one table of allowed moves. `commit` may repeat (to add objects), and a status PATCHed
# again while in progress (`ongoing` while polling) is no move; `done` and `fail` are final.
BATCH_TRANSITIONS: dict[str, frozenset[str]] = {
    BatchStatus.INITIALIZED: frozenset(
        {BatchStatus.INITIALIZED, BatchStatus.COMMIT, BatchStatus.FAIL}
    ),
    BatchStatus.COMMIT: frozenset(
        {
            BatchStatus.COMMIT,
            BatchStatus.SENT_TO_REMOTE,
            BatchStatus.ONGOING,
            BatchStatus.DONE,
            BatchStatus.FAIL,
        }
    ),
    BatchStatus.SENT_TO_REMOTE: frozenset(
        {BatchStatus.SENT_TO_REMOTE, BatchStatus.ONGOING, BatchStatus.DONE, BatchStatus.FAIL}
    ),
    BatchStatus.ONGOING: frozenset({BatchStatus.ONGOING, BatchStatus.DONE, BatchStatus.FAIL}),
    BatchStatus.DONE: frozenset(),
    BatchStatus.FAIL: frozenset(),
}
OPEN_BATCH_STATUSES = frozenset(
    {BatchStatus.COMMIT, BatchStatus.SENT_TO_REMOTE, BatchStatus.ONGOING}
)


class BatchRequest(models.Model):
    """One run of a connector's task. `items` (the API's `objects`) is what it committed, merged
    by (model, pk): `{"pk", "content_type", "version_date", "remote_id", "failed_reason_type"}`.
    """

    channel = models.ForeignKey(
        "channels.Channel", on_delete=models.CASCADE, related_name="batch_requests"
    )
    local_batch_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    remote_batch_id = models.CharField(max_length=255, null=True, blank=True)
    content_type = models.CharField(max_length=255, null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=BatchStatus.choices, default=BatchStatus.INITIALIZED
    )
    items = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["channel", "status"], name="channel_batch_status")]

    def __str__(self) -> str:
        return str(self.local_batch_id)


class BatchRequestEvent(models.Model):
    """A move of a batch request: from, to, who and when."""

    batch_request = models.ForeignKey(BatchRequest, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=20, choices=BatchStatus.choices)
    to_status = models.CharField(max_length=20, choices=BatchStatus.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]


class ActionStatus(models.TextChoices):
    PROCESSING = "processing"
    SUCCESS = "success"
    ERROR = "error"


class IntegrationAction(models.Model):
    """What a channel holds of one object: its remote id and the version it was sent at."""

    channel = models.ForeignKey(
        "channels.Channel", on_delete=models.CASCADE, related_name="integration_actions"
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    remote_id = models.CharField(max_length=255, null=True, blank=True)
    version_date = models.DateTimeField(null=True, blank=True)
    state = models.JSONField(default=dict, blank=True)
    batch_request = models.ForeignKey(
        BatchRequest, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions"
    )
    status = models.CharField(max_length=20, choices=ActionStatus.choices, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "content_type", "object_id"], name="unique_integration_action"
            )
        ]
        indexes = [
            models.Index(fields=["channel", "remote_id"], name="integration_action_remote"),
            models.Index(
                fields=["batch_request"],
                condition=Q(status="processing"),
                name="integration_action_held",
            ),
        ]

    @property
    def local_batch_id(self):
        return self.batch_request.local_batch_id if self.batch_request_id else None


class ErrorReport(models.Model):
    """A failure a connector reports about an object (`action`) sent to a target (the channel)."""

    channel = models.ForeignKey(
        "channels.Channel", on_delete=models.CASCADE, related_name="error_reports"
    )
    action_content_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action_object_id = models.PositiveBigIntegerField(null=True, blank=True)
    target_content_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    target_object_id = models.PositiveBigIntegerField(null=True, blank=True)
    obj_modified_date = models.DateTimeField(null=True, blank=True)
    error_code = models.CharField(max_length=255, blank=True, default="")
    error_desc = models.TextField(blank=True, default="")
    raw_request = models.TextField(blank=True, default="")
    raw_response = models.TextField(blank=True, default="")
    is_ok = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["channel", "-created_at"], name="channel_error_reports")]


class AddressErrorReport(models.Model):
    """A place (country, city, township, district) of an imported address nobody could map.

    One per channel, type and remote code: a report of the same place again refreshes it.
    """

    channel = models.ForeignKey(
        "channels.Channel", on_delete=models.CASCADE, related_name="address_error_reports"
    )
    type = models.CharField(max_length=20, blank=True, default="")
    remote_code = models.CharField(max_length=255, blank=True, default="")
    name = models.CharField(max_length=255, blank=True, default="")
    integration_type = models.CharField(max_length=50, blank=True, default="sales_channel")
    err_code = models.CharField(max_length=255, blank=True, default="")
    err_desc = models.TextField(blank=True, default="")
    data = models.JSONField(
        default=dict, blank=True, help_text="The report as sent (country, city… ids and codes)."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "type", "remote_code", "integration_type"],
                name="unique_address_error_report",
            )
        ]
