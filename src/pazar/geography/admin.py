from django.contrib import admin
from unfold.admin import GenericTabularInline

from pazar.core.admin import ModelAdmin
from pazar.geography.models import City, Country, District, Mapping, Township


class MappingInline(GenericTabularInline):
    """The place's codes on other systems; a channel's code is `<channel id>_<its code>`."""

    model = Mapping
    extra = 0
    fields = ["integration_type", "code"]


class PlaceAdmin(ModelAdmin):
    list_display = ["name", "code", "is_active", "updated_at"]
    list_filter = ["is_active"]
    search_fields = ["name", "code"]
    inlines = [MappingInline]


@admin.register(Country)
class CountryAdmin(PlaceAdmin):
    pass


@admin.register(City)
class CityAdmin(PlaceAdmin):
    list_display = ["name", "code", "country", "is_active", "updated_at"]
    list_filter = ["is_active", "country"]
    list_select_related = ["country"]


@admin.register(Township)
class TownshipAdmin(PlaceAdmin):
    list_display = ["name", "code", "city", "country", "is_active", "updated_at"]
    list_select_related = ["city", "country"]
    raw_id_fields = ["city"]


@admin.register(District)
class DistrictAdmin(PlaceAdmin):
    list_display = ["name", "code", "township", "city", "is_active", "updated_at"]
    list_select_related = ["township", "city"]
    raw_id_fields = ["city", "township"]
