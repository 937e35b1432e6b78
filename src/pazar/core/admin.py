"""The admin's look in one place: every ModelAdmin and inline of Pazar derives from these.

The back office uses django-unfold's theme; its classes style forms, widgets, filters and
actions, so an admin page built on `django.contrib.admin.ModelAdmin` would look out of place.
Write `from pazar.core.admin import ModelAdmin, TabularInline` instead.
"""

from django.utils import timezone
from unfold.admin import ModelAdmin, StackedInline, TabularInline
from unfold.contrib.filters.admin import RangeDateFilter, RelatedDropdownFilter
from unfold.contrib.filters.admin import RangeDateTimeFilter as UnfoldRangeDateTimeFilter
from unfold.forms import (
    AdminPasswordChangeForm,
    AuthenticationForm,
    UserChangeForm,
    UserCreationForm,
)
from unfold.utils import parse_datetime_str

__all__ = [
    "AdminPasswordChangeForm",
    "AuthenticationForm",
    "ModelAdmin",
    "RangeDateFilter",
    "RangeDateTimeFilter",
    "RelatedDropdownFilter",
    "StackedInline",
    "TabularInline",
    "UserChangeForm",
    "UserCreationForm",
]


class RangeDateTimeFilter(UnfoldRangeDateTimeFilter):
    """unfold's date-time range, read in the current time zone (unfold's are naive), and usable
    with a day alone: from its first moment, or to its last."""

    DEFAULT_TIMES = {"from": "00:00:00", "to": "23:59:59"}
    LOOKUPS = {"from": "gte", "to": "lte"}

    def queryset(self, request, queryset):
        filters = {}
        for end, lookup in self.LOOKUPS.items():
            day = self.used_parameters.get(f"{self.parameter_name}_{end}_0")
            if not day:
                continue
            time = self.used_parameters.get(f"{self.parameter_name}_{end}_1") or ""
            moment = parse_datetime_str(f"{day} {time or self.DEFAULT_TIMES[end]}")
            if moment is None:
                return None  # the admin shows its "incorrect lookup" page
            filters[f"{self.parameter_name}__{lookup}"] = timezone.make_aware(moment)
        return queryset.filter(**filters)
