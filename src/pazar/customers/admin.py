from django.contrib import admin

from pazar.core.admin import ModelAdmin, TabularInline
from pazar.customers.models import Address, Customer


class AddressInline(TabularInline):
    model = Address
    extra = 0
    fields = ["first_name", "last_name", "line", "city", "township", "hash_data"]
    readonly_fields = fields
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Customer)
class CustomerAdmin(ModelAdmin):
    list_display = ["email", "phone_number", "first_name", "last_name", "channel", "updated_at"]
    list_filter = ["channel", "is_active"]
    search_fields = ["email", "phone_number", "first_name", "last_name", "channel_code"]
    inlines = [AddressInline]


@admin.register(Address)
class AddressAdmin(ModelAdmin):
    list_display = ["first_name", "last_name", "line", "city", "customer", "updated_at"]
    search_fields = ["first_name", "last_name", "line", "email", "hash_data"]
    raw_id_fields = ["customer", "country", "city", "township", "district"]
    readonly_fields = ["hash_data"]
