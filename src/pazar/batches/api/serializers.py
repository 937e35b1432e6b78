from django.urls import reverse
from rest_framework import serializers

from pazar.api.urls import absolute_uri
from pazar.batches import files
from pazar.core.dates import utc_text


class BatchStateSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    succeeded = serializers.IntegerField()
    failed = serializers.IntegerField()


class BatchRequestSerializer(serializers.Serializer):
    """PRD107. `status`: 1 waiting, 2 processing, 3 completed, 4 failed (clients must accept
    unknown values). Row failures end completed with `state.failed > 0`; 4 means the job failed."""

    id = serializers.UUIDField()
    registry = serializers.CharField(
        help_text="The operation and the seller, e.g. `Product Upsert (acme)`."
    )
    request_file = serializers.URLField(allow_null=True, help_text="The body as it was sent.")
    success_file = serializers.URLField(
        allow_null=True, help_text="JSON list of `{index, sku, id}`."
    )
    error_file = serializers.URLField(
        allow_null=True, help_text="JSON list of `{index, sku, row, errors}`."
    )
    status = serializers.IntegerField()
    state = BatchStateSerializer()
    processed_in = serializers.FloatField(allow_null=True, help_text="Seconds spent applying it.")
    error = serializers.CharField(
        allow_blank=True, help_text="Why the job failed, when status is 4."
    )
    updated_at = serializers.DateTimeField()
    created_at = serializers.DateTimeField()

    def link(self, batch, kind: str, name: str) -> str | None:
        if not name:
            return None
        request = self.context["request"]
        path = reverse("seller-center:batch-request-file", kwargs={"id": batch.id, "kind": kind})
        path = f"{path}?token={files.sign(batch.id, kind)}"
        return absolute_uri(request, path)

    def to_representation(self, batch):
        return {
            "id": str(batch.id),
            "registry": batch.registry,
            "request_file": self.link(batch, "request", batch.request_file),
            "success_file": self.link(batch, "success", batch.success_file),
            "error_file": self.link(batch, "error", batch.error_file),
            "status": batch.status,
            "state": {"total": batch.total, "succeeded": batch.succeeded, "failed": batch.failed},
            "processed_in": batch.processed_in,
            "error": batch.error,
            "updated_at": utc_text(batch.updated_at),
            "created_at": utc_text(batch.created_at),
        }
