from django.contrib import admin

from pazar.catalog.models import Attribute, AttributeValue, Category, CategoryAttribute


class CategoryAttributeInline(admin.TabularInline):
    model = CategoryAttribute
    extra = 0


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "parent", "order"]
    search_fields = ["name", "code"]
    inlines = [CategoryAttributeInline]


class AttributeValueInline(admin.TabularInline):
    model = AttributeValue
    extra = 0


@admin.register(Attribute)
class AttributeAdmin(admin.ModelAdmin):
    list_display = ["key", "name", "data_type", "is_localizable"]
    search_fields = ["key", "name"]
    inlines = [AttributeValueInline]
