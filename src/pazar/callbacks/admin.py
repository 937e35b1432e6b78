from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from pazar.callbacks.models import Callback

# The events sent today, in words for the filter (the column shows the event's name as sent).
EVENTS = {
    "package.created": _("Package created"),
    "package.status_changed": _("Package status changed"),
    "package.items_changed": _("Package items changed"),
    "package.updated": _("Package shipping or invoice details changed"),
    "batch_request.finished": _("Batch request finished"),
}


class EventFilter(admin.SimpleListFilter):
    title = _("event")
    parameter_name = "event"

    def lookups(self, request, model_admin):
        return list(EVENTS.items())

    def queryset(self, request, queryset):
        return queryset.filter(event=self.value()) if self.value() else queryset


@admin.register(Callback)
class CallbackAdmin(admin.ModelAdmin):
    list_display = ["event_id", "seller", "event_name", "status", "attempts", "created_at"]
    list_filter = ["status", EventFilter]
    search_fields = ["event_id", "seller__name"]
    readonly_fields = [field.name for field in Callback._meta.fields]

    @admin.display(description=_("event"), ordering="event")
    def event_name(self, callback):
        return format_html("<code>{}</code>", callback.event)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
