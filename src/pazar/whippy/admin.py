"""Admin pages of Whippy Ware rows. Saving or deleting here marks the figures it may change, as
the API does, so the worker recomputes them."""

from django import forms
from django.contrib import admin

from pazar.core.admin import ModelAdmin
from pazar.whippy.models import Provider, Stock, StockList, StockListRule, StockLocation
from pazar.whippy.services import pending_mark_skus, pending_mark_stock_lists, rule_check


class RecomputingAdmin(ModelAdmin):
    """Any change may move any list's figures: every computed list is recomputed."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        pending_mark_stock_lists()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        pending_mark_stock_lists()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        pending_mark_stock_lists()


@admin.register(Provider)
class ProviderAdmin(RecomputingAdmin):
    list_display = ["code", "name", "should_add_reservations", "is_active"]
    list_filter = ["should_add_reservations", "is_active"]
    search_fields = ["code", "name"]


@admin.register(StockLocation)
class StockLocationAdmin(RecomputingAdmin):
    list_display = ["code", "name", "provider", "is_active"]
    list_filter = ["provider", "is_active"]
    search_fields = ["code", "name"]


class StockListRuleForm(forms.ModelForm):
    class Meta:
        model = StockListRule
        fields = ["name", "rule_type", "rule", "is_active"]

    def clean(self):
        data = super().clean()
        if "rule_type" in data and "rule" in data:
            rule_check(data["rule_type"], data["rule"])
        return data


@admin.register(StockListRule)
class StockListRuleAdmin(RecomputingAdmin):
    form = StockListRuleForm
    list_display = ["name", "rule_type", "is_active", "updated_at"]
    list_filter = ["rule_type", "is_active"]
    search_fields = ["name"]


@admin.register(StockList)
class StockListAdmin(RecomputingAdmin):
    list_display = ["code", "name", "remote", "stock_list_rule", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["code", "name"]


@admin.register(Stock)
class StockAdmin(ModelAdmin):
    list_display = ["sku", "location", "stock", "reserved_stock", "unit_type", "is_active"]
    list_filter = ["location__provider", "is_active"]
    search_fields = ["sku"]
    list_select_related = ["location__provider"]
    raw_id_fields = ["location"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        skus = {obj.sku}
        if change and "sku" in form.changed_data:
            skus.add(form.initial["sku"])
        pending_mark_skus(skus=skus)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        pending_mark_skus(skus=[obj.sku])

    def delete_queryset(self, request, queryset):
        skus = list(queryset.values_list("sku", flat=True))
        super().delete_queryset(request, queryset)
        pending_mark_skus(skus=skus)
