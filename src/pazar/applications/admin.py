from django.contrib import admin

from pazar.applications.models import Application, ApplicationPermission
from pazar.applications.services import normalized_config
from pazar.core.admin import ModelAdmin, TabularInline


class ApplicationPermissionInline(TabularInline):
    model = ApplicationPermission
    fk_name = "application"
    extra = 0
    fields = ["name", "path", "label", "parent"]


@admin.register(Application)
class ApplicationAdmin(ModelAdmin):
    list_display = [
        "name", "application_type", "is_active", "is_visible", "is_proxy_available",
        "related_application_id", "updated_at",
    ]  # fmt: skip
    list_filter = ["application_type", "is_active", "is_visible", "is_proxy_available"]
    search_fields = ["name", "related_application_id"]
    readonly_fields = ["proxy_secret", "created_by", "created_at", "updated_at"]
    inlines = [ApplicationPermissionInline]

    def save_model(self, request, obj, form, change):
        obj.config = normalized_config(obj.config)
        if not change and obj.created_by is None:
            obj.created_by = request.user.pk
        super().save_model(request, obj, form, change)


@admin.register(ApplicationPermission)
class ApplicationPermissionAdmin(ModelAdmin):
    list_display = ["name", "application", "label", "path", "parent"]
    list_filter = ["application"]
    search_fields = ["name", "path", "label"]
    raw_id_fields = ["parent"]
