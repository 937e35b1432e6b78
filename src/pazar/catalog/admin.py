from django.contrib import admin

from pazar.catalog.models import (
    Attribute,
    AttributeConfig,
    AttributeSet,
    AttributeValue,
    Category,
    CategoryAttribute,
    ProductRevision,
)
from pazar.core.admin import ModelAdmin, TabularInline
from pazar.languages.translations import TranslationsAdminMixin, TranslationsInlineMixin


class CategoryAttributeInline(TabularInline):
    model = CategoryAttribute
    extra = 0


@admin.register(Category)
class CategoryAdmin(TranslationsAdminMixin, ModelAdmin):
    list_display = ["name", "code", "parent", "order"]
    search_fields = ["name", "code"]
    inlines = [CategoryAttributeInline]


class AttributeValueInline(TranslationsInlineMixin, TabularInline):
    model = AttributeValue
    extra = 0


@admin.register(Attribute)
class AttributeAdmin(TranslationsAdminMixin, ModelAdmin):
    list_display = ["key", "name", "data_type", "is_localizable"]
    search_fields = ["key", "name"]
    inlines = [AttributeValueInline]


class AttributeConfigInline(TabularInline):
    model = AttributeConfig
    extra = 0
    autocomplete_fields = ["attribute"]


@admin.register(AttributeSet)
class AttributeSetAdmin(ModelAdmin):
    list_display = ["name", "attribute_set_type", "updated_at"]
    list_filter = ["attribute_set_type"]
    search_fields = ["name"]
    inlines = [AttributeConfigInline]


# --- products' revisions (the products' own page composes prices and stocks: it is the back
# office's, pazar.backoffice.admin.products) --------------------------------------------------

REVISION_FIELDS = ["status", "data", "reason", "created_at", "decided_at", "decided_by"]


class ProductRevisionInline(TabularInline):
    """Sellers' proposed changes, decided only through the approval actions."""

    model = ProductRevision
    extra = 0
    can_delete = False
    fields = REVISION_FIELDS
    readonly_fields = REVISION_FIELDS

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ProductRevision)
class ProductRevisionAdmin(ModelAdmin):
    """Read-only history of sellers' proposed changes."""

    list_display = ["product", "status", "created_at", "decided_at", "decided_by"]
    list_filter = ["status"]
    list_select_related = ["product", "decided_by"]
    search_fields = ["product__sku"]
    fields = ["product", *REVISION_FIELDS, "updated_at"]
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
