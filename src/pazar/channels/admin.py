from django.contrib import admin

from pazar.channels.models import Catalog, CatalogItem, CategoryTree, Channel


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
class ChannelAdmin(admin.ModelAdmin):
    list_display = ["name", "channel_type", "catalog", "category_tree", "is_active", "updated_at"]
    list_filter = ["channel_type", "is_active"]
    search_fields = ["name"]
