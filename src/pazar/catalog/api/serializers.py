"""Omnitron representations of the catalog: attributes, categories, the approval queue."""

from django.conf import settings
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from pazar.api.omnitron import NestedOnReadField, OmnitronModelSerializer, TranslationsField
from pazar.catalog import selectors
from pazar.catalog.models import Attribute, AttributeValue, Category, CategoryAttribute, Product

# Uniqueness is checked by the services, with messages that name the clashing row; DRF's own
# validators would answer first with generic ones.
NO_VALIDATORS = {"validators": []}


class AttributeSerializer(OmnitronModelSerializer):
    translations = TranslationsField()

    class Meta:
        model = Attribute
        fields = [
            "pk", "id", "uuid", "key", "name", "data_type", "default_value", "is_localizable",
            "translations", "created_date", "modified_date",
        ]  # fmt: skip
        extra_kwargs = {
            "key": {**NO_VALIDATORS, "help_text": "Unique; stored upper-case (`color` → `COLOR`)."}
        }


class AttributeBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Attribute
        fields = ["pk", "key", "name"]
        read_only_fields = fields


class AttributeValueSerializer(OmnitronModelSerializer):
    attribute = NestedOnReadField(
        queryset=Attribute.objects.all(),
        read_serializer=AttributeBriefSerializer,
        help_text="The attribute's pk on write; `{pk, key, name}` on read.",
    )
    translations = TranslationsField()

    class Meta:
        model = AttributeValue
        fields = ["pk", "id", "uuid", "attribute", "label", "value", "order", "translations"]
        validators: list = []


class CategoryNodeSerializer(OmnitronModelSerializer):
    translations = TranslationsField()

    class Meta:
        model = Category
        fields = [
            "pk", "id", "uuid", "name", "code", "parent", "order", "translations",
            "created_date", "modified_date",
        ]  # fmt: skip
        extra_kwargs = {"code": NO_VALIDATORS}


class CategoryAttributeSerializer(OmnitronModelSerializer):
    class Meta:
        model = CategoryAttribute
        fields = [
            "pk", "id", "category", "attribute", "is_required", "is_variant", "is_offer", "order",
        ]  # fmt: skip
        validators: list = []


# --- pre-products (the approval queue of sellers' products) ---------------------------------


class SellerBriefSerializer(serializers.Serializer):
    id = serializers.UUIDField(read_only=True)
    name = serializers.CharField(read_only=True)


class PreProductSerializer(OmnitronModelSerializer):
    seller = SellerBriefSerializer(read_only=True)
    pending_changes = serializers.SerializerMethodField(
        help_text="What the seller's pending change proposes: only the fields that differ from "
        "the approved data shown beside it (`category` and `catalog_product` as pks). "
        "Null when no change is pending."
    )

    class Meta:
        model = Product
        fields = [
            "pk", "id", "uuid", "seller", "sku", "base_code", "name", "category", "attributes",
            "images", "videos", "catalog_product", "restrict_for_others", "is_active",
            "approved", "approval_status", "rejection_reason", "pending_changes",
            "created_date", "modified_date",
        ]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(
        {
            "type": "object",
            "nullable": True,
            "additionalProperties": {},
            "example": {"name": "Red T-shirt (cotton)", "attributes": {"COLOR": "Red"}},
        }
    )
    def get_pending_changes(self, product: Product) -> dict | None:
        return selectors.pending_changes(product)


class PreProductApproveSerializer(serializers.Serializer):
    approved = serializers.BooleanField(help_text="`true` approves (productizes) the product.")

    def validate_approved(self, value: bool) -> bool:
        if not value:
            raise serializers.ValidationError(
                "Only true is accepted; reject a product with POST …/reject/ and a reason."
            )
        return value


class RejectSerializer(serializers.Serializer):
    reason = serializers.CharField(help_text="Shown to the seller.")


class BulkDecisionSerializer(serializers.Serializer):
    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        allow_empty=False,
        help_text="Pre-product pks, at most PAZAR_BULK_MAX_ITEMS (1000).",
    )

    def validate_ids(self, ids: list[int]) -> list[int]:
        limit = settings.PAZAR_BULK_MAX_ITEMS
        if len(ids) > limit:
            raise serializers.ValidationError(
                f"Ensure this field has no more than {limit} elements."
            )
        return list(dict.fromkeys(ids))


class BulkRejectSerializer(BulkDecisionSerializer):
    reason = serializers.CharField(help_text="Shown to the sellers.")


class BulkApprovedSerializer(serializers.Serializer):
    approved = serializers.IntegerField(help_text="How many products were approved.")
    not_pending = serializers.ListField(
        child=serializers.IntegerField(), help_text="Ids that were not waiting for approval."
    )


class BulkRejectedSerializer(serializers.Serializer):
    rejected = serializers.IntegerField(help_text="How many products were rejected.")
    not_pending = serializers.ListField(
        child=serializers.IntegerField(), help_text="Ids that were not waiting for approval."
    )
