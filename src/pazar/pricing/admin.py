from django.contrib import admin

from pazar.core.admin import ModelAdmin, TabularInline
from pazar.pricing.models import PriceList, ProductPrice


@admin.register(PriceList)
class PriceListAdmin(ModelAdmin):
    list_display = ["name", "code", "currency", "is_auto_sync", "updated_at"]
    list_filter = ["currency", "is_auto_sync"]
    search_fields = ["name", "code"]
    filter_horizontal = ["sellers"]


class ProductPriceInline(TabularInline):
    """The prices of one product (on the product's page)."""

    model = ProductPrice
    extra = 0
    fields = ["price_list", "price", "retail_price", "tax_rate", "currency_type", "updated_at"]
    readonly_fields = ["updated_at"]
