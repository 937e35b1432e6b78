"""Serializers of `/api/v1/channel/{cid}/…` bookkeeping: batches, actions, error reports.

Connectors PATCH back the whole object they read: read-only keys (`pk`, `channel`, dates, a
nested `content_type`) and unknown keys are ignored, never refused.
"""

import functools
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.utils.functional import cached_property
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from pazar.api.fields import JSONObjectField
from pazar.api.omnitron import OmnitronModelSerializer
from pazar.channels import selectors
from pazar.channels.models import (
    ActionStatus,
    AddressErrorReport,
    BatchRequest,
    BatchStatus,
    ErrorReport,
    IntegrationAction,
)
from pazar.core.dates import utc_text

FAILED_REASONS = ["mapping", "remote", "channel_app"]
CONTENT_TYPE_LENGTH = 100  # a committed object's `content_type`, a model name
REMOTE_ID_LENGTH = 255


class ContentTypeBriefSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(source="pk", read_only=True)

    class Meta:
        model = ContentType
        fields = ["id", "app_label", "model"]
        read_only_fields = fields


class BatchObjectSerializer(serializers.Serializer):
    """One committed object: `{pk, content_type, version_date, remote_id, failed_reason_type}`."""

    pk = serializers.IntegerField(min_value=1)
    content_type = serializers.CharField(
        max_length=CONTENT_TYPE_LENGTH,
        required=False,
        allow_null=True,
        help_text="Model name; the batch's if left out.",
    )
    version_date = serializers.DateTimeField(
        required=False, allow_null=True, help_text="The object's `modified_date` as read."
    )
    remote_id = serializers.CharField(
        max_length=REMOTE_ID_LENGTH, required=False, allow_null=True, allow_blank=True
    )
    failed_reason_type = serializers.ChoiceField(
        choices=FAILED_REASONS, required=False, allow_null=True
    )

    def run_validation(self, data=serializers.empty):
        """DRF's `run_validation` for an object `_plain` reads: a dict is never an empty value,
        and this serializer has no validators and no `validate`, so its result is
        `to_internal_value`'s; anything else takes DRF's way."""
        item = self._plain(data)
        if item is None:
            return super().run_validation(data)
        return _cleaned(item)

    def to_internal_value(self, data):
        item = self._plain(data)
        if item is None:  # anything unusual: DRF's fields, their checks and their messages
            item = super().to_internal_value(data)
        return _cleaned(item)

    @cached_property
    def _zone(self):
        """DRF's `DateTimeField.default_timezone()`, read once per request (the fields are
        made for each request): 100 objects read the current time zone 100 times."""
        return self.fields["version_date"].default_timezone()

    def _plain(self, data) -> dict | None:
        return _plain_object(data, self._zone)


def _cleaned(item: dict) -> dict:
    if item.get("version_date") is not None:
        item["version_date"] = item["version_date"].isoformat()
    item.setdefault("failed_reason_type", None)
    if item.get("content_type") is None:
        item.pop("content_type", None)
    return item


def _aware(value: str, zone) -> datetime | None:
    """`DateTimeField.to_internal_value` of a text with an offset, the way DRF does it (Django's
    `parse_datetime` reads it with `datetime.fromisoformat`, then `enforce_timezone` moves it
    to the current time zone, `zone`); None for anything else (DRF's field then decides)."""
    if zone is None:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except (ValueError, OverflowError):
        return None
    if parsed.utcoffset() is None:
        return None
    try:
        return parsed.astimezone(zone)
    except (ValueError, OverflowError):
        return None


def _plain_object(data, zone) -> dict | None:
    """`BatchObjectSerializer`'s result for an object of the usual kinds of values, taken as
    they are; None for anything else (the fields then decide, and name what is wrong). A
    commit or done of 100 objects ran 500 DRF fields."""
    if type(data) is not dict or type(data.get("pk")) is not int or data["pk"] < 1:
        return None
    item = {"pk": data["pk"]}
    if "content_type" in data:
        value = data["content_type"]
        if value is not None and not (
            type(value) is str and value.isidentifier() and len(value) <= CONTENT_TYPE_LENGTH
        ):
            return None
        item["content_type"] = value
    if "version_date" in data:
        value = data["version_date"]
        if value is not None:
            if type(value) is not str or not value:
                return None
            value = _aware(value, zone)
            if value is None:
                return None
        item["version_date"] = value
    if "remote_id" in data:
        value = data["remote_id"]
        if value is not None and not _plain_text(value, REMOTE_ID_LENGTH):
            return None
        item["remote_id"] = value
    if "failed_reason_type" in data:
        value = data["failed_reason_type"]
        if value is not None and value not in FAILED_REASONS:
            return None
        item["failed_reason_type"] = value
    return item


def _plain_text(value, max_length: int) -> bool:
    """A text DRF's `CharField` (trimmed, `max_length`, no NUL nor surrogate) keeps as it is."""
    return (
        type(value) is str
        and len(value) <= max_length
        and value.isprintable()
        and value == value.strip()
    )


# BatchRequest's text columns a body may write, with their lengths.
BATCH_TEXTS = {
    name: BatchRequest._meta.get_field(name).max_length
    for name in ("remote_batch_id", "content_type")
}


def plain_batch_change(data) -> dict | None:
    """`BatchRequestSerializer(partial=True)`'s `validated_data` (with `objects` for its
    `items`) for a body of the usual kinds of values, found by plain checks; None for anything
    else, which the serializer then reads (its checks, its messages). Read-only and unknown
    keys are ignored, as the serializer ignores them."""
    if type(data) is not dict:
        return None
    found: dict = {}
    for name, max_length in BATCH_TEXTS.items():
        if name in data:
            value = data[name]
            if value is not None and not _plain_text(value, max_length):
                return None
            found[name] = value
    if "status" in data:
        value = data["status"]
        if type(value) is not str or value not in BatchStatus.values:
            return None
        found["status"] = value
    if "objects" in data:
        objects = data["objects"]
        if type(objects) is not list:
            return None
        zone = serializers.DateTimeField().default_timezone()
        items = []
        for entry in objects:
            item = _plain_object(entry, zone)
            if item is None:
                return None
            items.append(_cleaned(item))
        found["objects"] = items
    return found


class BatchRequestSerializer(OmnitronModelSerializer):
    channel = serializers.IntegerField(source="channel_id", read_only=True)
    local_batch_id = serializers.UUIDField(read_only=True)
    status = serializers.ChoiceField(choices=BatchStatus.choices, required=False)
    objects = BatchObjectSerializer(
        source="items", many=True, required=False, allow_null=True,
        help_text="The objects of the batch; a PATCH adds to them (merged by model and pk).",
    )  # fmt: skip
    log_file = serializers.SerializerMethodField()

    class Meta:
        model = BatchRequest
        fields = [
            "pk", "id", "channel", "local_batch_id", "remote_batch_id", "content_type", "status",
            "objects", "log_file", "created_date", "modified_date",
        ]  # fmt: skip

    @extend_schema_field({"type": "string", "nullable": True})
    def get_log_file(self, batch) -> None:
        return None

    def to_representation(self, batch: BatchRequest) -> dict:
        """DRF's output of the fields above, written directly: `objects` is the stored items
        as they are (DRF's fields walked each of them, 100 a commit, to be replaced by them)."""
        return {
            "pk": batch.pk,
            "id": batch.pk,
            "channel": batch.channel_id,
            "local_batch_id": None if batch.local_batch_id is None else str(batch.local_batch_id),
            "remote_batch_id": batch.remote_batch_id,
            "content_type": batch.content_type,
            "status": batch.status,
            "objects": batch.items,
            "log_file": None,
            "created_date": utc_text(batch.created_at),
            "modified_date": utc_text(batch.updated_at),
        }


@functools.cache
def batch_request_writable_fields() -> frozenset[str]:
    """What a batch request's body may write: `BatchRequestSerializer`'s writable fields."""
    return frozenset(
        name for name, field in BatchRequestSerializer().fields.items() if not field.read_only
    )


class ContentTypeInput:
    """Resolve `content_type_id`, `content_type` (a model name or an id) or `content_type_model`."""

    @staticmethod
    def resolve(data) -> ContentType | None:
        if not hasattr(data, "get"):
            return None
        for key in ["content_type_id", "content_type", "content_type_model"]:
            value = data.get(key)
            if value in (None, "") or isinstance(value, dict):
                continue
            if isinstance(value, int) or (
                isinstance(value, str) and value.isascii() and value.isdigit()
            ):
                found = selectors.content_types().filter(pk=int(value)).first()
            elif isinstance(value, str):
                found = selectors.content_type_named(value.lower())
            else:
                found = None
            if found is None:
                raise serializers.ValidationError({key: [f"Unknown content type {value!r}."]})
            return found
        return None


class IntegrationActionSerializer(OmnitronModelSerializer):
    channel = serializers.IntegerField(source="channel_id", read_only=True)
    content_type = ContentTypeBriefSerializer(read_only=True)
    object_id = serializers.IntegerField(min_value=0)
    remote_id = serializers.CharField(
        max_length=255, required=False, allow_null=True, allow_blank=True
    )
    version_date = serializers.DateTimeField(required=False, allow_null=True)
    state = serializers.JSONField(required=False)
    status = serializers.ChoiceField(choices=ActionStatus.choices, required=False, allow_null=True)
    local_batch_id = serializers.UUIDField(read_only=True, allow_null=True)

    class Meta:
        model = IntegrationAction
        fields = [
            "pk", "id", "channel", "content_type", "object_id", "remote_id", "version_date",
            "state", "local_batch_id", "status", "created_date", "modified_date",
        ]  # fmt: skip

    def validate(self, attrs):
        if self.instance is None:
            content_type = ContentTypeInput.resolve(self.initial_data)
            if content_type is None:
                raise serializers.ValidationError(
                    {"content_type_id": ["Send content_type_id, or content_type as a model name."]}
                )
            attrs["content_type"] = content_type
        if attrs.get("state") is None:
            attrs.pop("state", None)
        return attrs


class IntegrationActionChangeSerializer(IntegrationActionSerializer):
    """PATCH: the object an action is about stays; remote id, version, state, status change."""

    object_id = serializers.IntegerField(read_only=True)


class ErrorReportSerializer(OmnitronModelSerializer):
    channel = serializers.IntegerField(source="channel_id", read_only=True)
    action_content_type = serializers.PrimaryKeyRelatedField(
        queryset=ContentType.objects.all(), required=False, allow_null=True
    )
    target_content_type = serializers.PrimaryKeyRelatedField(
        queryset=ContentType.objects.all(), required=False, allow_null=True
    )
    action_object_id = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    target_object_id = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    # channel_app sends `raw_request: null` when what failed was no HTTP request: kept as "".
    error_code = serializers.CharField(
        max_length=255, required=False, allow_blank=True, allow_null=True
    )
    error_desc = serializers.CharField(
        required=False, allow_blank=True, allow_null=True, trim_whitespace=False
    )
    raw_request = serializers.CharField(
        required=False, allow_blank=True, allow_null=True, trim_whitespace=False
    )
    raw_response = serializers.CharField(
        required=False, allow_blank=True, allow_null=True, trim_whitespace=False
    )
    action = serializers.SerializerMethodField()
    target = serializers.SerializerMethodField()

    class Meta:
        model = ErrorReport
        fields = [
            "pk", "id", "channel", "action_content_type", "action_object_id", "action",
            "target_content_type", "target_object_id", "target", "obj_modified_date",
            "error_code", "error_desc", "raw_request", "raw_response", "is_ok", "created_date",
            "modified_date",
        ]  # fmt: skip

    def _pair(self, content_type_id, object_id) -> dict | None:
        if content_type_id is None:
            return None
        return {"content_type": content_type_id, "object_id": object_id}

    def get_action(self, report) -> dict | None:
        return self._pair(report.action_content_type_id, report.action_object_id)

    def get_target(self, report) -> dict | None:
        return self._pair(report.target_content_type_id, report.target_object_id)

    def validate(self, attrs):
        for key in ["error_code", "error_desc", "raw_request", "raw_response"]:
            if key in attrs and attrs[key] is None:
                attrs[key] = ""
        return attrs


class AddressErrorReportRequestSerializer(serializers.Serializer):
    """An address error report's body: any JSON object, kept whole; a list, a text, a number
    or null is a 400 (DRF's `Invalid data. Expected a dictionary, but got list.`)."""

    def to_internal_value(self, data):
        super().to_internal_value(data)  # refuses anything but an object
        return dict(data)


class AddressErrorReportSerializer(OmnitronModelSerializer):
    channel = serializers.IntegerField(source="channel_id", read_only=True)
    data = JSONObjectField(read_only=True)

    class Meta:
        model = AddressErrorReport
        fields = [
            "pk", "id", "channel", "type", "remote_code", "name", "integration_type", "err_code",
            "err_desc", "data", "created_date", "modified_date",
        ]  # fmt: skip
        read_only_fields = fields
