from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from pazar.core.admin import ModelAdmin, TabularInline
from pazar.fulfilment.models import Package, PackageEvent, PackageItem


class PackageItemInline(TabularInline):
    model = PackageItem
    extra = 0
    fields = ["number", "order_item"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class PackageEventInline(TabularInline):
    model = PackageEvent
    extra = 0
    fields = ["created_at", "from_status", "to_status", "user", "reason_text"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("reason"))
    def reason_text(self, event) -> str:
        return event.reason_text


@admin.register(Package)
class PackageAdmin(ModelAdmin):
    list_display = ["number", "order", "seller", "status", "created_at"]
    list_filter = ["status", "seller"]
    search_fields = ["number", "order__number", "tracking_number"]
    list_select_related = ["order", "seller"]
    readonly_fields = ["number", "order", "seller", "split_from", "status"]
    inlines = [PackageItemInline, PackageEventInline]

    def has_add_permission(self, request) -> bool:
        return False  # packages are made when orders arrive

    # A package moves through its actions (the sellers' API and panel, the fulfilment
    # services), never by editing its row here.
    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
