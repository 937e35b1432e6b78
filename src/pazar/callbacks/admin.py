from django.contrib import admin

from pazar.callbacks.models import Callback


@admin.register(Callback)
class CallbackAdmin(admin.ModelAdmin):
    list_display = ["event_id", "seller", "event", "status", "attempts", "created_at"]
    list_filter = ["status", "event"]
    search_fields = ["event_id", "seller__name"]
    readonly_fields = [field.name for field in Callback._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
