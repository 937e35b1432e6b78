"""Omnitron representations of the catalog: attributes, categories, the approval queue."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from pazar.api.omnitron import NestedOnReadField, OmnitronModelSerializer, TranslationsField
from pazar.catalog import selectors
from pazar.catalog.models import (
    DATA_TYPE_ALIASES,
    Attribute,
    AttributeConfig,
    AttributeSet,
    AttributeValue,
    Category,
    CategoryAttribute,
    DataType,
    Product,
)
from pazar.languages.negotiation import request_language, translate

# Uniqueness is checked by the services, with messages that name the clashing row; DRF's own
# validators would answer first with generic ones.
NO_VALIDATORS = {"validators": []}
# The largest primary key the databases hold (a signed 64-bit integer).
MAX_PK = 2**63 - 1


class DataTypeField(serializers.ChoiceField):
    """Omnitron's data types (plus `number`); the Seller Center's `textarea` and `multiselect`
    are accepted as the same types."""

    def __init__(self, **kwargs):
        super().__init__(choices=DataType.choices, **kwargs)

    def to_internal_value(self, data):
        return super().to_internal_value(DATA_TYPE_ALIASES.get(data, data))


@extend_schema_field(
    {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "app_label": {"type": "string"},
            "model": {"type": "string"},
        },
        "readOnly": True,
        "example": {"id": 12, "app_label": "catalog", "model": "product"},
    }
)
class EntityTypeField(serializers.Field):
    """The content type of what attributes describe: products."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, source="*", **kwargs)

    def to_representation(self, value) -> dict:
        content_type = ContentType.objects.get_for_model(Product)
        return {
            "id": content_type.pk,
            "app_label": content_type.app_label,
            "model": content_type.model,
        }


class LocalizedMixin:
    """Answers the request's language (Accept-Language, `pazar.languages.negotiation`) for the
    fields in `localized`, from the row's `translations`; the stored value without one."""

    localized: tuple[str, ...] = ()

    def to_representation(self, instance):
        data = super().to_representation(instance)
        request = self.context.get("request")
        if request is None or not self.localized:
            return data
        language = request_language(request)
        translations = getattr(instance, "translations", None)
        for name in self.localized:
            if name in data:
                data[name] = translate(data[name], translations, name, language)
        return data


class AttributeSerializer(LocalizedMixin, OmnitronModelSerializer):
    localized = ("name", "description")
    data_type = DataTypeField(required=False)
    entity_type = EntityTypeField()
    translations = TranslationsField()

    class Meta:
        model = Attribute
        fields = [
            "pk", "id", "uuid", "key", "name", "description", "data_type", "default_value",
            "entity_type", "erp_code", "pre_attribute", "is_required", "is_localizable",
            "translations", "created_date", "modified_date",
        ]  # fmt: skip
        extra_kwargs = {
            "key": {**NO_VALIDATORS, "help_text": "Unique; stored upper-case (`color` → `COLOR`)."}
        }


class AttributeBriefSerializer(LocalizedMixin, serializers.ModelSerializer):
    localized = ("name",)

    class Meta:
        model = Attribute
        fields = ["pk", "key", "name"]
        read_only_fields = fields


class AttributeValueSerializer(LocalizedMixin, OmnitronModelSerializer):
    localized = ("label",)

    attribute = NestedOnReadField(
        queryset=Attribute.objects.all(),
        read_serializer=AttributeBriefSerializer,
        help_text="The attribute's pk on write; `{pk, key, name}` on read.",
    )
    translations = TranslationsField()

    class Meta:
        model = AttributeValue
        fields = [
            "pk", "id", "uuid", "attribute", "label", "value", "order", "erp_code", "translations",
            "created_date", "modified_date",
        ]  # fmt: skip
        validators: list = []


# --- attribute sets -----------------------------------------------------------------------


class AttributeConfigSerializer(serializers.ModelSerializer):
    pk = serializers.IntegerField(read_only=True)
    id = serializers.IntegerField(source="pk", read_only=True)
    attribute = serializers.PrimaryKeyRelatedField(queryset=Attribute.objects.all())
    attribute_set = serializers.IntegerField(source="attribute_set_id", read_only=True)

    class Meta:
        model = AttributeConfig
        fields = [
            "pk", "id", "attribute", "attribute_set", "is_required", "is_variant", "is_visible",
            "order",
        ]  # fmt: skip


class AttributeSetSerializer(OmnitronModelSerializer):
    attributeconfig_set = AttributeConfigSerializer(
        many=True,
        required=False,
        help_text="One config per attribute. Sent, it replaces the set's configs (those not "
        "listed are removed); left out, they stay as they are.",
    )

    class Meta:
        model = AttributeSet
        fields = [
            "pk", "id", "name", "attribute_set_type", "attributeconfig_set", "created_date",
            "modified_date",
        ]  # fmt: skip

    def validate_attributeconfig_set(self, configs: list[dict]) -> list[dict]:
        # Errors by position, the shape DRF gives the items' own errors: {"1": {"attribute": …}}.
        seen, errors = set(), {}
        for position, config in enumerate(configs):
            attribute = config["attribute"]
            if attribute.pk in seen:
                errors[str(position)] = {
                    "attribute": [f'The attribute "{attribute.key}" appears twice in the set.']
                }
            seen.add(attribute.pk)
        if errors:
            raise serializers.ValidationError(errors)
        return configs


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
    seller = SellerBriefSerializer(
        read_only=True, allow_null=True, help_text="Null for the operator's own pre-products."
    )
    pending_changes = serializers.SerializerMethodField(
        help_text="What the seller's pending change proposes: only the fields that differ from "
        "the approved data shown beside it (`category` and `catalog_product` as pks). "
        "Null when no change is pending."
    )

    class Meta:
        model = Product
        fields = [
            "pk", "id", "uuid", "seller", "sku", "base_code", "name", "product_type",
            "attribute_set", "category", "attributes", "images", "videos", "catalog_product",
            "restrict_for_others", "is_active", "approved", "approval_status", "rejection_reason",
            "productization_date", "pending_changes", "created_date", "modified_date",
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


class RejectSerializer(serializers.Serializer):
    reason = serializers.CharField(help_text="Shown to the seller.")


class BulkDecisionSerializer(serializers.Serializer):
    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_PK),
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
