from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from pazar.accounts import selectors
from pazar.accounts.models import Seller, SellerAccessToken
from pazar.api.fields import PrimaryKeyRelatedField
from pazar.api.omnitron import OmnitronModelSerializer


class LoginSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(
        max_length=128, trim_whitespace=False, style={"input_type": "password"}
    )


class LoginResponseSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="Send it as `Authorization: Token <key>`.")


class ExpireTokenSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)


class TokenObtainSerializer(serializers.Serializer):
    email = serializers.CharField(max_length=254)
    password = serializers.CharField(
        max_length=128, trim_whitespace=False, style={"input_type": "password"}
    )


class TokenObtainResponseSerializer(serializers.Serializer):
    access = serializers.CharField(help_text="Send it as `Authorization: Bearer <access>`.")


class AccessTokenSerializer(serializers.ModelSerializer):
    status = serializers.CharField(read_only=True, help_text="`Active` or `Expired`.")

    class Meta:
        model = SellerAccessToken
        fields = ["id", "key_prefix", "note", "status", "valid_until", "revoked_at", "created_at"]
        read_only_fields = fields


class AccessTokenCreateSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
    valid_until = serializers.DateTimeField()


class AccessTokenCreatedSerializer(AccessTokenSerializer):
    key = serializers.CharField(read_only=True, help_text="Shown only in this response.")

    class Meta(AccessTokenSerializer.Meta):
        fields = ["id", "key", *AccessTokenSerializer.Meta.fields[1:]]
        read_only_fields = fields


class ActiveUserSerializer(serializers.Serializer):
    pk = serializers.IntegerField(read_only=True)
    id = serializers.IntegerField(read_only=True)
    username = serializers.CharField(read_only=True)
    email = serializers.EmailField(read_only=True)
    first_name = serializers.CharField(read_only=True)
    last_name = serializers.CharField(read_only=True)
    is_staff = serializers.BooleanField(read_only=True)
    is_superuser = serializers.BooleanField(read_only=True)
    is_active = serializers.BooleanField(read_only=True)
    date_joined = serializers.DateTimeField(read_only=True)
    last_login = serializers.DateTimeField(read_only=True, allow_null=True)
    groups = serializers.SerializerMethodField(help_text="Ids of the caller's groups.")
    permissions = serializers.SerializerMethodField(
        help_text="Everything the caller may do, as `app_label.codename`, directly or through "
        "a group (every permission for a superuser)."
    )

    def get_groups(self, user) -> list[int]:
        return sorted(user.groups.values_list("pk", flat=True))

    def get_permissions(self, user) -> list[str]:
        return sorted(selectors.effective_permissions(user))


# --- Omnitron: sellers --------------------------------------------------------------------


class SellerSerializer(serializers.ModelSerializer):
    """A seller as the operator sees it; `id` is the seller's id in the Seller Center too."""

    created_date = serializers.DateTimeField(source="created_at", read_only=True)
    modified_date = serializers.DateTimeField(source="updated_at", read_only=True)

    class Meta:
        model = Seller
        fields = [
            "id", "name", "is_active", "callback_url", "callback_secret",
            "created_date", "modified_date",
        ]  # fmt: skip
        extra_kwargs = {
            "name": {"validators": []},
            "callback_secret": {"write_only": True},
        }


class SellerCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    username = serializers.CharField(max_length=150, help_text="The seller's first admin user.")
    password = serializers.CharField(
        max_length=128, trim_whitespace=False, style={"input_type": "password"}
    )
    email = serializers.EmailField(
        default="", help_text="Signs in to the Seller Center (i1 token obtain)."
    )


# --- Omnitron: users, groups and permissions ----------------------------------------------


@extend_schema_field(
    {
        "type": "array",
        "items": {"type": "string", "example": "catalog.view_product"},
        "description": "Permissions as `app_label.codename`; each must exist.",
    }
)
class PermissionNamesField(serializers.ListField):
    """Written and read as `app_label.codename` strings (read sorted)."""

    child = serializers.CharField(max_length=255)

    def to_representation(self, value):
        return sorted(selectors.permission_name(permission) for permission in value.all())


class UserSerializer(OmnitronModelSerializer):
    """An Omnitron user; `password` is write-only."""

    groups = PrimaryKeyRelatedField(
        many=True, queryset=Group.objects.all(), required=False, help_text="Group ids."
    )
    user_permissions = PermissionNamesField(
        required=False, help_text="Permissions held directly, besides the groups'."
    )
    password = serializers.CharField(
        write_only=True,
        max_length=128,
        trim_whitespace=False,
        style={"input_type": "password"},
        help_text="Checked by the password validators.",
    )

    class Meta:
        model = get_user_model()
        fields = [
            "pk", "id", "username", "email", "first_name", "last_name", "is_active", "is_staff",
            "is_superuser", "groups", "user_permissions", "date_joined", "last_login", "password",
        ]  # fmt: skip
        read_only_fields = ["date_joined", "last_login"]
        extra_kwargs = {
            "is_staff": {"help_text": "Omnitron users are staff unless created with `false`."}
        }

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["groups"] = sorted(data["groups"])
        return data


class UserChangeSerializer(UserSerializer):
    """A user as PUT and PATCH take it: the password stays unless a new one is sent."""

    password = serializers.CharField(
        write_only=True,
        required=False,
        max_length=128,
        trim_whitespace=False,
        style={"input_type": "password"},
        help_text="A new password, checked by the password validators; ends the user's token.",
    )


class GroupSerializer(OmnitronModelSerializer):
    """A group of permissions; its users hold them besides their own."""

    permissions = PermissionNamesField(
        required=False, help_text="What the group's users may do, besides their own permissions."
    )

    class Meta:
        model = Group
        fields = ["pk", "id", "name", "permissions"]


class PermissionSerializer(OmnitronModelSerializer):
    """A permission a user or group can hold, named `app_label.codename` there."""

    app_label = serializers.CharField(source="content_type.app_label", read_only=True)
    model = serializers.CharField(source="content_type.model", read_only=True)

    class Meta:
        model = Permission
        fields = ["pk", "id", "codename", "name", "app_label", "model"]
        read_only_fields = fields
