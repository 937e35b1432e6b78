from rest_framework import serializers

from pazar.api.omnitron import OmnitronModelSerializer
from pazar.core.dynamic_settings import DEFINITIONS
from pazar.core.models import DynamicSetting


class DynamicSettingSerializer(OmnitronModelSerializer):
    """`key` names a known setting; `value`'s shape is checked by the setting's definition."""

    key = serializers.CharField(max_length=100)
    value = serializers.JSONField()
    description = serializers.SerializerMethodField()

    class Meta:
        model = DynamicSetting
        fields = ["pk", "id", "key", "value", "description", "created_date", "modified_date"]

    def get_description(self, setting: DynamicSetting) -> str:
        definition = DEFINITIONS.get(setting.key)
        return definition.description if definition else ""
