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


# Errors the services write in words (services.py); others are the HTTP client's, as they came.
KNOWN_ERRORS = {"The seller has no callback URL.": _("The seller has no callback URL.")}


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
    # The body as sent (JSON, the wire's words), the error in the reader's language when known.
    readonly_fields = [
        {"body": "body_sent", "event": "event_name", "last_error": "last_error_text"}.get(
            field.name, field.name
        )
        for field in Callback._meta.fields
    ]

    def get_fields(self, request, obj=None):
        return self.readonly_fields

    @admin.display(description=_("body"))
    def body_sent(self, callback):
        return format_html('<pre class="po-pre">{}</pre>', callback.body)

    @admin.display(description=_("last error"))
    def last_error_text(self, callback):
        return str(KNOWN_ERRORS.get(callback.last_error, callback.last_error))

    @admin.display(description=_("event"), ordering="event")
    def event_name(self, callback):
        return format_html("<code>{}</code>", callback.event)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
