from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from pazar.claims.models import CancellationReason, CancelledBy, Claim, ClaimEvent
from pazar.core.admin import ModelAdmin, TabularInline


@admin.register(CancellationReason)
class CancellationReasonAdmin(ModelAdmin):
    list_display = ["subject", "cancellation_type", "order", "is_active", "updated_at"]
    list_filter = ["cancellation_type", "is_active"]
    search_fields = ["subject"]


class CancelledByFilter(admin.SimpleListFilter):
    """Who opened the claim, in words (the API's names are the codes' labels)."""

    title = _("cancelled by")
    parameter_name = "cancelled_by"
    WORDS = {
        CancelledBy.CUSTOMER: _("Customer"),
        CancelledBy.SELLER: _("Seller"),
        CancelledBy.OPERATOR: _("Operator"),
    }

    def lookups(self, request, model_admin):
        return [(str(value), label) for value, label in self.WORDS.items()]

    def queryset(self, request, queryset):
        return queryset.filter(cancelled_by=self.value()) if self.value() else queryset


class ClaimEventInline(TabularInline):
    model = ClaimEvent
    extra = 0
    fields = ["from_status", "to_status", "by", "user", "reason", "created_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Claim)
class ClaimAdmin(ModelAdmin):
    """Claims are opened and moved through the API (their services); the page shows them."""

    list_display = ["uuid", "type", "status", "order", "quantity", "refund_amount", "created_at"]
    list_filter = ["type", "status", CancelledByFilter, "escalated"]
    search_fields = ["uuid", "order__number"]
    inlines = [ClaimEventInline]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in Claim._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False
