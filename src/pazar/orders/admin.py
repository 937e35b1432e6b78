from django.contrib import admin

from pazar.core.admin import ModelAdmin, TabularInline
from pazar.orders.models import CargoCompany, Order, OrderItem


@admin.register(CargoCompany)
class CargoCompanyAdmin(ModelAdmin):
    list_display = ["name", "erp_code", "shipping_company", "is_active", "updated_at"]
    list_filter = ["is_active"]
    search_fields = ["name", "erp_code"]


class OrderItemInline(TabularInline):
    """An order's items as they arrived; they change through the API and the sellers' packages."""

    model = OrderItem
    extra = 0
    fields = ["product", "status", "quantity", "price", "stock_list", "stock_taken", "oversold"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Order)
class OrderAdmin(ModelAdmin):
    list_display = ["number", "channel", "status", "amount", "currency", "date_placed", "is_send"]
    list_filter = ["status", "is_send", "channel"]
    search_fields = ["number"]
    date_hierarchy = "date_placed"
    inlines = [OrderItemInline]
    readonly_fields = ["channel", "number", "customer", "shipping_address", "billing_address"]

    def has_add_permission(self, request) -> bool:
        return False  # orders arrive from sales channels (create_orders)
