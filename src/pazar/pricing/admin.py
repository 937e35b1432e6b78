from django.contrib import admin

from pazar.pricing.models import PriceList


@admin.register(PriceList)
class PriceListAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "currency", "updated_at"]
    search_fields = ["name", "code"]
