import django_filters
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission

from pazar.accounts.models import Seller, SellerAccessToken
from pazar.api.filters import DATE_LOOKUPS, TEXT_LOOKUPS, FilterSet
from pazar.api.omnitron import OmnitronFilterSet


class AccessTokenFilter(FilterSet):
    status = django_filters.ChoiceFilter(
        choices=[("Active", "Active"), ("Expired", "Expired")], method="filter_status"
    )

    class Meta:
        model = SellerAccessToken
        fields = {"note": TEXT_LOOKUPS, "created_at": DATE_LOOKUPS, "valid_until": DATE_LOOKUPS}

    def filter_status(self, queryset, name, value):
        return queryset.active() if value == "Active" else queryset.expired()


class SellerFilter(OmnitronFilterSet):
    class Meta:
        model = Seller
        fields = {"name": TEXT_LOOKUPS, "is_active": ["exact"]}


class UserFilter(OmnitronFilterSet):
    class Meta:
        model = get_user_model()
        fields = {
            "username": TEXT_LOOKUPS,
            "email": TEXT_LOOKUPS,
            "first_name": TEXT_LOOKUPS,
            "last_name": TEXT_LOOKUPS,
            "is_active": ["exact"],
            "is_staff": ["exact"],
            "is_superuser": ["exact"],
            "groups": ["exact"],
            "date_joined": DATE_LOOKUPS,
            "last_login": DATE_LOOKUPS,
        }


class GroupFilter(OmnitronFilterSet):
    class Meta:
        model = Group
        fields = {"name": TEXT_LOOKUPS}


class PermissionFilter(OmnitronFilterSet):
    app_label = django_filters.CharFilter(field_name="content_type__app_label")
    model = django_filters.CharFilter(field_name="content_type__model")

    class Meta:
        model = Permission
        fields = {"codename": TEXT_LOOKUPS, "name": ["icontains"]}
