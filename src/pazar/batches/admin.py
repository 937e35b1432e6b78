from django.contrib import admin

from pazar.batches.models import BatchRequest


@admin.register(BatchRequest)
class BatchRequestAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "seller",
        "kind",
        "status",
        "total",
        "succeeded",
        "failed",
        "processed_in",
        "created_at",
    ]
    list_filter = ["status", "kind", "seller"]
    date_hierarchy = "created_at"
    search_fields = ["id"]
    readonly_fields = [field.name for field in BatchRequest._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False
