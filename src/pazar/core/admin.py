"""The admin's look in one place: every ModelAdmin and inline of Pazar derives from these.

The back office uses django-unfold's theme; its classes style forms, widgets, filters and
actions, so an admin page built on `django.contrib.admin.ModelAdmin` would look out of place.
Write `from pazar.core.admin import ModelAdmin, TabularInline` instead.
"""

from django.contrib import admin
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop, pgettext_lazy
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult
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

from pazar.core.models import BackgroundTask

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


# --- django-tasks-db's page of the background tasks -------------------------------------------

# Words of django-tasks and django-tasks-db shown on that page, which the packages ship no Turkish
# for: named here so that Pazar's catalog (`make messages`) keeps their translations.
TASK_WORDS = (
    gettext_noop("status"),
    gettext_noop("enqueued at"),
    gettext_noop("started at"),
    gettext_noop("finished at"),
    gettext_noop("args kwargs"),
    gettext_noop("priority"),
    gettext_noop("worker id"),
    gettext_noop("backend name"),
    gettext_noop("return value"),
    gettext_noop("exception class path"),
    pgettext_lazy("Task", "Ready"),
    pgettext_lazy("Task", "Running"),
    pgettext_lazy("Task", "Failed"),
    pgettext_lazy("Task", "Successful"),
)
# The queues of settings.TASKS, by what they carry.
QUEUES = {"default": _("batches and other work"), "callbacks": _("callbacks to sellers")}


class BackgroundTaskAdmin(DBTaskResultAdmin, ModelAdmin):
    """django-tasks-db's own page, in the back office's look, its labels in the reader's
    language (the package's `task_name`, `traceback` and `run after` are not marked)."""

    list_display = ("id", "task_name_display", "status", "enqueued_at", "started_at",
                    "finished_at", "priority", "queue")  # fmt: skip
    list_filter = ("status", "priority")

    def get_readonly_fields(self, request, obj=None) -> list[str]:
        fields = super().get_readonly_fields(request, obj)
        fields[fields.index("queue_name")] = "queue"
        fields[fields.index("task_path")] = "task_path_code"
        return fields

    @admin.display(description=_("task name"))
    def task_name_display(self, obj: BackgroundTask) -> str:
        return obj.task_name

    @admin.display(description=_("task path"))
    def task_path_code(self, obj: BackgroundTask) -> str:
        return format_html("<code>{}</code>", obj.task_path)

    @admin.display(description=_("queue"))
    def queue(self, obj: BackgroundTask) -> str:
        return QUEUES.get(obj.queue_name, obj.queue_name)

    @admin.display(description=_("traceback"))
    def formatted_traceback(self, obj: BackgroundTask) -> str:
        return super().formatted_traceback(obj)

    @admin.display(description=_("run after"))
    def display_run_after(self, obj: BackgroundTask):
        return super().display_run_after(obj)


admin.site.unregister(DBTaskResult)
admin.site.register(BackgroundTask, BackgroundTaskAdmin)
