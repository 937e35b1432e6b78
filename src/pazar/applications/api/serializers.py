"""Omnitron representations of applications (seed 003) and their permission trees."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from pazar.api.omnitron import OmnitronModelSerializer
from pazar.applications.models import (
    Application,
    ApplicationPermission,
    VisibleType,
    config_errors,
)


@extend_schema_field(
    {
        "type": "object",
        "nullable": True,
        "properties": {
            "web_url": {"type": "string", "format": "uri"},
            "visible_type": {"type": "string", "enum": VisibleType.values, "default": "empty"},
            "client_path": {"type": "string"},
        },
        "additionalProperties": {},
        "example": {
            "web_url": "https://application-test.akinon.net/",
            "visible_type": "empty",
            "client_path": "test/path",
        },
    }
)
class ApplicationConfigField(serializers.JSONField):
    """Free JSON (an object or null); `web_url` and `visible_type` are checked when present."""

    def to_internal_value(self, data):
        data = super().to_internal_value(data)
        if data is not None and not isinstance(data, dict):
            raise serializers.ValidationError("Expected a JSON object or null.", code="not_object")
        errors = config_errors(data)
        if errors:
            raise serializers.ValidationError(errors)
        return data


BIGINT_MAX = 2**63 - 1


class ApplicationSerializer(OmnitronModelSerializer):
    # Plain integers to clients (DRF's BigIntegerField would speak of "biginteger").
    remote_object_id = serializers.IntegerField(
        required=False, allow_null=True, min_value=-BIGINT_MAX - 1, max_value=BIGINT_MAX
    )
    created_by = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=BIGINT_MAX,
        help_text="A user id; the caller's when not given on create.",
    )
    config = ApplicationConfigField(
        required=False,
        allow_null=True,
        help_text='Without "visible_type" it is stored as "empty". Omitted: `{"visible_type": '
        '"empty"}`.',
    )

    class Meta:
        model = Application
        fields = [
            "id", "name", "application_type", "config", "is_active", "remote_object_id",
            "created_by", "is_visible", "is_proxy_available", "related_application_id",
            "created_date", "modified_date",
        ]  # fmt: skip
        extra_kwargs = {
            "is_proxy_available": {
                "help_text": "Whether /api/v1/app_proxy/{id}/… forwards to config.web_url; "
                "when false the proxy answers 404."
            },
            "is_visible": {"help_text": "Whether the Omnitron UI shows the application."},
        }


class ApplicationProxySecretSerializer(serializers.ModelSerializer):
    class Meta:
        model = Application
        fields = ["id", "proxy_secret"]
        read_only_fields = fields


class ApplicationPermissionSerializer(OmnitronModelSerializer):
    class Meta:
        model = ApplicationPermission
        fields = [
            "pk", "id", "name", "path", "label", "parent", "application",
            "created_date", "modified_date",
        ]  # fmt: skip
        extra_kwargs = {
            "parent": {"help_text": "A permission of the same application, or null for a root."},
        }
