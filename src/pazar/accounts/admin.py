from django.contrib import admin

from pazar.accounts.models import Seller, SellerAccessToken, SellerMembership


class SellerMembershipInline(admin.TabularInline):
    model = SellerMembership
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Seller)
class SellerAdmin(admin.ModelAdmin):
    list_display = ["name", "is_active", "created_at"]
    search_fields = ["name"]
    inlines = [SellerMembershipInline]


@admin.register(SellerAccessToken)
class SellerAccessTokenAdmin(admin.ModelAdmin):
    list_display = ["key_prefix", "seller", "user", "kind", "note", "valid_until", "revoked_at"]
    list_filter = ["kind"]
    readonly_fields = ["key_prefix", "key_digest", "created_at"]
