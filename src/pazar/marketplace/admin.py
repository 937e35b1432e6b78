from django.contrib import admin
from django.shortcuts import redirect
from django.urls import reverse

from pazar.core.admin import ModelAdmin
from pazar.marketplace.models import MarketplaceSettings


@admin.register(MarketplaceSettings)
class MarketplaceSettingsAdmin(ModelAdmin):
    """One row: the list page opens it directly; it is never added or deleted by hand."""

    fields = ["auto_approve_products", "updated_at"]
    readonly_fields = ["updated_at"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def changelist_view(self, request, extra_context=None):
        row = MarketplaceSettings.load()
        return redirect(reverse("admin:marketplace_marketplacesettings_change", args=[row.pk]))
