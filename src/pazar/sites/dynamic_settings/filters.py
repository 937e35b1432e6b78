from pazar.api.filters import CODE_LOOKUPS
from pazar.api.omnitron import OmnitronFilterSet
from pazar.core.models import DynamicSetting


class DynamicSettingFilter(OmnitronFilterSet):
    class Meta:
        model = DynamicSetting
        fields = {"key": CODE_LOOKUPS}
