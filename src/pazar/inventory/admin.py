from django.contrib import admin

from pazar.inventory.models import StockList


@admin.register(StockList)
class StockListAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "updated_at"]
    search_fields = ["name", "code"]
