from django.contrib import admin

from pazar.channels import selectors
from pazar.channels.models import Catalog, CatalogItem, CategoryTree, Channel
from pazar.core.admin import ModelAdmin


@admin.register(CategoryTree)
class CategoryTreeAdmin(admin.ModelAdmin):
    list_display = ["name", "category_root", "updated_at"]
    search_fields = ["name"]
    raw_id_fields = ["category_root"]


class CatalogItemInline(admin.TabularInline):
    model = CatalogItem
    extra = 0
    raw_id_fields = ["product"]


@admin.register(Catalog)
class CatalogAdmin(admin.ModelAdmin):
    list_display = ["name", "price_list", "stock_list", "category_tree", "updated_at"]
    search_fields = ["name"]
    filter_horizontal = ["extra_price_lists", "extra_stock_lists"]
    inlines = [CatalogItemInline]


@admin.register(Channel)
class ChannelAdmin(ModelAdmin):
    """A channel, and below it what its connector did: batch requests, integration actions,
    error reports, and the products waiting to be sent."""

    list_display = ["name", "channel_type", "catalog", "category_tree", "is_active", "updated_at"]
    list_filter = ["channel_type", "is_active"]
    search_fields = ["name"]
    change_form_after_template = "admin/channels/channel/overview.html"

    def change_view(self, request, object_id, form_url="", extra_context=None):
        channel = self.get_object(request, object_id)
        if channel is not None:
            extra_context = {
                **(extra_context or {}),
                "overview": selectors.channel_overview(channel),
            }
        return super().change_view(request, object_id, form_url, extra_context)
