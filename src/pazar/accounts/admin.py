from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from pazar.accounts import services
from pazar.accounts.forms import OperatorUserChangeForm, ThrottledAdminAuthenticationForm
from pazar.accounts.models import Seller, SellerAccessToken, SellerMembership
from pazar.core.admin import (
    AdminPasswordChangeForm,
    ModelAdmin,
    StackedInline,
    TabularInline,
    UserCreationForm,
)
from pazar.core.errors import ApplicationError

User = get_user_model()


class SellerMembershipInline(TabularInline):
    model = SellerMembership
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Seller)
class SellerAdmin(ModelAdmin):
    list_display = ["name", "is_active", "created_at"]
    search_fields = ["name"]
    inlines = [SellerMembershipInline]


@admin.register(SellerAccessToken)
class SellerAccessTokenAdmin(ModelAdmin):
    list_display = ["key_prefix", "seller", "user", "kind", "note", "valid_until", "revoked_at"]
    list_filter = ["kind"]
    readonly_fields = ["key_prefix", "key_digest", "created_at"]


class UserSellerMembershipInline(StackedInline):
    """A user with a seller is a seller user: the Seller Center's, not an Omnitron operator."""

    model = SellerMembership
    fk_name = "user"
    extra = 0
    max_num = 1
    raw_id_fields = ["seller"]
    verbose_name = _("seller")


admin.site.unregister(User)
admin.site.unregister(Group)
# Operators sign in here too: the same brute-force limits as the API logins.
admin.site.login_form = ThrottledAdminAuthenticationForm


PERMISSION_ACTIONS = {
    "add": _("Can add %(model)s"),
    "change": _("Can change %(model)s"),
    "delete": _("Can delete %(model)s"),
    "view": _("Can view %(model)s"),
}


def permission_label(permission) -> str:
    """A permission in the visitor's language: the stored names are English sentences."""
    model = permission.content_type.model_class()
    if model is None:
        return str(permission)
    action = permission.codename.partition("_")[0]
    name = PERMISSION_ACTIONS.get(action)
    text = name % {"model": model._meta.verbose_name} if name else permission.name
    return f"{model._meta.app_config.verbose_name} | {model._meta.verbose_name} | {text}"


@admin.register(Group)
class PazarGroupAdmin(GroupAdmin, ModelAdmin):
    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name == "permissions":
            field.label_from_instance = permission_label
        return field


@admin.register(User)
class PazarUserAdmin(UserAdmin, ModelAdmin):
    form = OperatorUserChangeForm
    add_form = UserCreationForm
    change_password_form = AdminPasswordChangeForm
    list_display = [*UserAdmin.list_display, "seller"]
    list_select_related = ["seller_membership__seller"]
    list_filter = [*UserAdmin.list_filter, ("seller_membership", admin.EmptyFieldListFilter)]
    inlines = [UserSellerMembershipInline]

    @admin.display(description=_("seller"), ordering="seller_membership__seller__name")
    def seller(self, user):
        membership = getattr(user, "seller_membership", None)
        return membership.seller if membership else None

    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name == "user_permissions":
            field.label_from_instance = permission_label
        return field

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        return type(form.__name__, (form,), {"actor": request.user})

    def get_deleted_objects(self, objs, request):
        """What the delete pages list; a refused deletion shows its reason as what protects
        the users, so the page offers no "Yes, I'm sure"."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        try:
            with transaction.atomic():
                services.operator_users_delete_check(actor=request.user, users=list(objs))
        except ApplicationError as exc:
            protected = [*protected, str(exc.detail)]
        return deleted, counts, perms_needed, protected

    def delete_model(self, request, obj):
        services.operator_users_delete(actor=request.user, users=[obj])

    def delete_queryset(self, request, queryset):
        services.operator_users_delete(actor=request.user, users=list(queryset))
