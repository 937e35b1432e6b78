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
from django.utils.translation import gettext_lazy as _


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
    # `initialized → done` closes a run that found nothing to do, and only with no objects
    # (channel_app's order-line updates close their batch so, never committing it).
    BatchStatus.INITIALIZED: frozenset(
        {BatchStatus.INITIALIZED, BatchStatus.COMMIT, BatchStatus.DONE, BatchStatus.FAIL}
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
        "channels.Channel",
        on_delete=models.CASCADE,
        related_name="batch_requests",
        verbose_name=_("channel"),
    )
    local_batch_id = models.UUIDField(
        default=uuid.uuid4, unique=True, editable=False, verbose_name=_("local batch ID")
    )
    remote_batch_id = models.CharField(
        max_length=255, null=True, blank=True, verbose_name=_("remote batch ID")
    )
    content_type = models.CharField(
        max_length=255, null=True, blank=True, verbose_name=_("content type")
    )
    status = models.CharField(
        max_length=20,
        choices=BatchStatus.choices,
        default=BatchStatus.INITIALIZED,
        verbose_name=_("status"),
    )
    items = models.JSONField(null=True, blank=True, verbose_name=_("items"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        verbose_name = _("batch request")
        verbose_name_plural = _("batch requests")
        indexes = [models.Index(fields=["channel", "status"], name="channel_batch_status")]

    def __str__(self) -> str:
        return str(self.local_batch_id)


class BatchRequestEvent(models.Model):
    """A move of a batch request: from, to, who and when."""

    batch_request = models.ForeignKey(
        BatchRequest,
        on_delete=models.CASCADE,
        related_name="events",
        verbose_name=_("batch request"),
    )
    from_status = models.CharField(
        max_length=20, choices=BatchStatus.choices, verbose_name=_("from status")
    )
    to_status = models.CharField(
        max_length=20, choices=BatchStatus.choices, verbose_name=_("to status")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("user"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("batch request event")
        verbose_name_plural = _("batch request events")
        ordering = ["pk"]


class ActionStatus(models.TextChoices):
    PROCESSING = "processing"
    SUCCESS = "success"
    ERROR = "error"


class IntegrationAction(models.Model):
    """What a channel holds of one object: its remote id and the version it was sent at."""

    channel = models.ForeignKey(
        "channels.Channel",
        on_delete=models.CASCADE,
        related_name="integration_actions",
        verbose_name=_("channel"),
    )
    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+", verbose_name=_("content type")
    )
    object_id = models.PositiveBigIntegerField(verbose_name=_("object ID"))
    remote_id = models.CharField(max_length=255, null=True, blank=True, verbose_name=_("remote ID"))
    version_date = models.DateTimeField(null=True, blank=True, verbose_name=_("version date"))
    state = models.JSONField(default=dict, blank=True, verbose_name=_("state"))
    batch_request = models.ForeignKey(
        BatchRequest,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="actions",
        verbose_name=_("batch request"),
    )
    status = models.CharField(
        max_length=20, choices=ActionStatus.choices, null=True, blank=True, verbose_name=_("status")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        verbose_name = _("integration action")
        verbose_name_plural = _("integration actions")
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
        "channels.Channel",
        on_delete=models.CASCADE,
        related_name="error_reports",
        verbose_name=_("channel"),
    )
    action_content_type = models.ForeignKey(
        ContentType,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("action content type"),
    )
    action_object_id = models.PositiveBigIntegerField(
        null=True, blank=True, verbose_name=_("action object ID")
    )
    target_content_type = models.ForeignKey(
        ContentType,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("target content type"),
    )
    target_object_id = models.PositiveBigIntegerField(
        null=True, blank=True, verbose_name=_("target object ID")
    )
    obj_modified_date = models.DateTimeField(
        null=True, blank=True, verbose_name=_("obj modified date")
    )
    error_code = models.CharField(
        max_length=255, blank=True, default="", verbose_name=_("error code")
    )
    error_desc = models.TextField(blank=True, default="", verbose_name=_("error desc"))
    raw_request = models.TextField(blank=True, default="", verbose_name=_("raw request"))
    raw_response = models.TextField(blank=True, default="", verbose_name=_("raw response"))
    is_ok = models.BooleanField(default=False, verbose_name=_("is ok"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        verbose_name = _("error report")
        verbose_name_plural = _("error reports")
        indexes = [models.Index(fields=["channel", "-created_at"], name="channel_error_reports")]


class AddressErrorReport(models.Model):
    """A place (country, city, township, district) of an imported address nobody could map.

    One per channel, type and remote code: a report of the same place again refreshes it.
    """

    channel = models.ForeignKey(
        "channels.Channel",
        on_delete=models.CASCADE,
        related_name="address_error_reports",
        verbose_name=_("channel"),
    )
    type = models.CharField(max_length=20, blank=True, default="", verbose_name=_("type"))
    remote_code = models.CharField(
        max_length=255, blank=True, default="", verbose_name=_("remote code")
    )
    name = models.CharField(max_length=255, blank=True, default="", verbose_name=_("name"))
    integration_type = models.CharField(
        max_length=50, blank=True, default="sales_channel", verbose_name=_("integration type")
    )
    err_code = models.CharField(max_length=255, blank=True, default="", verbose_name=_("err code"))
    err_desc = models.TextField(blank=True, default="", verbose_name=_("err desc"))
    data = models.JSONField(
        default=dict,
        blank=True,
        help_text=_("The report as sent (country, city… ids and codes)."),
        verbose_name=_("data"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        verbose_name = _("address error report")
        verbose_name_plural = _("address error reports")
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "type", "remote_code", "integration_type"],
                name="unique_address_error_report",
            )
        ]
