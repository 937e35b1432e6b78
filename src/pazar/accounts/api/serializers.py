from rest_framework import serializers

from pazar.accounts.models import Seller, SellerAccessToken


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
    date_joined = serializers.DateTimeField(read_only=True)
    last_login = serializers.DateTimeField(read_only=True)


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
