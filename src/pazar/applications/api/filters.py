from pazar.api.omnitron import OmnitronFilterSet
from pazar.applications.models import Application, ApplicationPermission

RELATION_LOOKUPS = ["exact", "in"]
TEXT_LOOKUPS = ["exact", "iexact", "contains", "icontains"]


class ApplicationFilter(OmnitronFilterSet):
    """The seed's filters (with Omnitron's id, date and `__exact` conventions)."""

    class Meta:
        model = Application
        fields = {
            "name": ["exact", "contains", "icontains"],
            "application_type": ["exact"],
            "is_active": ["exact"],
            "related_application_id": ["iexact"],
        }


class ApplicationPermissionFilter(OmnitronFilterSet):
    class Meta:
        model = ApplicationPermission
        fields = {
            "application": RELATION_LOOKUPS,
            "parent": [*RELATION_LOOKUPS, "isnull"],
            "name": TEXT_LOOKUPS,
            "path": TEXT_LOOKUPS,
            "label": TEXT_LOOKUPS,
        }
