from django.contrib import admin

from pazar.core.admin import ModelAdmin, TabularInline
from pazar.inventory.models import ProductStock, StockList


@admin.register(StockList)
class StockListAdmin(ModelAdmin):
    list_display = ["name", "code", "is_auto_sync", "updated_at"]
    list_filter = ["is_auto_sync"]
    search_fields = ["name", "code"]
    filter_horizontal = ["sellers"]


class ProductStockInline(TabularInline):
    """The stocks of one product (on the product's page)."""

    model = ProductStock
    extra = 0
    fields = ["stock_list", "stock", "unit_type", "sold_quantity_unreported", "updated_at"]
    readonly_fields = ["updated_at"]
