from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from pazar.accounts.models import Seller, SellerAccessToken, SellerMembership

User = get_user_model()


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


class UserSellerMembershipInline(admin.StackedInline):
    """A user with a seller is a seller user: the Seller Center's, not an Omnitron operator."""

    model = SellerMembership
    fk_name = "user"
    extra = 0
    max_num = 1
    raw_id_fields = ["seller"]
    verbose_name = "seller"


admin.site.unregister(User)


@admin.register(User)
class PazarUserAdmin(UserAdmin):
    list_display = [*UserAdmin.list_display, "seller"]
    list_select_related = ["seller_membership__seller"]
    list_filter = [*UserAdmin.list_filter, ("seller_membership", admin.EmptyFieldListFilter)]
    inlines = [UserSellerMembershipInline]

    @admin.display(description="seller", ordering="seller_membership__seller__name")
    def seller(self, user):
        membership = getattr(user, "seller_membership", None)
        return membership.seller if membership else None
