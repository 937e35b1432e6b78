"""What a sales channel reads of its catalog: category trees and nodes, product categories,
mapped products, and the marketplace attribute family it writes."""

from django.contrib.contenttypes.models import ContentType
from rest_framework import serializers

from pazar.api.fields import JSONObjectField, PrimaryKeyRelatedField
from pazar.api.omnitron import OmnitronModelSerializer
from pazar.catalog.models import Category
from pazar.channels import selectors
from pazar.channels.models import (
    CategoryTree,
    MarketplaceAttribute,
    MarketplaceAttributeConfig,
    MarketplaceAttributeSchema,
    MarketplaceAttributeSet,
    MarketplaceAttributeSetConfig,
    MarketplaceAttributeValue,
    MarketplaceAttributeValueConfig,
)


class ChannelCategoryNodeSerializer(OmnitronModelSerializer):
    """A node of a channel's tree; `node` (its parent's pk) on create, `path` its place."""

    name = serializers.CharField(max_length=255)
    order = serializers.IntegerField(min_value=0, required=False)
    node = serializers.PrimaryKeyRelatedField(
        queryset=Category.objects.all(), write_only=True, help_text="The parent node's pk."
    )
    parent = serializers.IntegerField(source="parent_id", read_only=True, allow_null=True)
    path = serializers.SerializerMethodField()
    remote_attributes = serializers.SerializerMethodField()

    class Meta:
        model = Category
        fields = [
            "pk", "id", "name", "order", "node", "parent", "path", "remote_attributes",
            "created_date", "modified_date",
        ]  # fmt: skip

    def get_path(self, node) -> str:
        return selectors.node_path(node)

    def get_remote_attributes(self, node) -> dict:
        return {}


class ChannelCategoryNodeChangeSerializer(ChannelCategoryNodeSerializer):
    """PATCH: a node stays under its parent."""

    name = serializers.CharField(max_length=255, required=False)
    node = None

    class Meta(ChannelCategoryNodeSerializer.Meta):
        fields = [f for f in ChannelCategoryNodeSerializer.Meta.fields if f != "node"]


class ChannelCategoryNodeDetailedSerializer(ChannelCategoryNodeSerializer):
    children = serializers.SerializerMethodField()

    class Meta(ChannelCategoryNodeSerializer.Meta):
        fields = [*ChannelCategoryNodeSerializer.Meta.fields, "children"]

    def get_children(self, node) -> list[dict]:
        children = node.children.order_by("order", "pk")
        return ChannelCategoryNodeSerializer(children, many=True, context=self.context).data


class ChannelCategoryTreeSerializer(OmnitronModelSerializer):
    name = serializers.CharField(max_length=255)
    category_root = ChannelCategoryNodeSerializer(read_only=True)

    class Meta:
        model = CategoryTree
        fields = ["pk", "id", "name", "category_root", "created_date", "modified_date"]


class ProductCategorySerializer(serializers.Serializer):
    """A product's category node (one per product here); `detailed/` nests the node."""

    pk = serializers.IntegerField(source="product_pk")
    id = serializers.IntegerField(source="product_pk")
    product = serializers.IntegerField(source="product_pk")
    category = serializers.IntegerField(source="category_id")


class ProductCategoryDetailedSerializer(ProductCategorySerializer):
    category = ChannelCategoryNodeSerializer(source="category_node")


# --- marketplace attributes -----------------------------------------------------------------


class _ChannelRow(OmnitronModelSerializer):
    channel = serializers.IntegerField(source="channel_id", read_only=True)


class MarketplaceAttributeSetSerializer(_ChannelRow):
    class Meta:
        model = MarketplaceAttributeSet
        fields = ["pk", "id", "channel", "name", "remote_id", "created_date", "modified_date"]
        validators: list = []


class MarketplaceAttributeSerializer(_ChannelRow):
    class Meta:
        model = MarketplaceAttribute
        fields = ["pk", "id", "channel", "name", "remote_id", "created_date", "modified_date"]
        validators: list = []


class MarketplaceAttributeSchemaSerializer(_ChannelRow):
    schema = JSONObjectField()

    class Meta:
        model = MarketplaceAttributeSchema
        fields = ["pk", "id", "channel", "name", "schema", "created_date", "modified_date"]
        validators: list = []


class ChannelRelated(PrimaryKeyRelatedField):
    """A pk of a row of the URL's channel."""

    def __init__(self, *, scope: str = "channel", **kwargs):
        self.scope = scope
        super().__init__(**kwargs)

    def get_queryset(self):
        view = self.context["view"]
        return super().get_queryset().filter(**{self.scope: view.channel})


class MarketplaceAttributeSetConfigSerializer(OmnitronModelSerializer):
    attribute_set = ChannelRelated(queryset=MarketplaceAttributeSet.objects.all())
    content_type = serializers.SlugRelatedField(
        slug_field="model",
        queryset=ContentType.objects.all(),
        help_text="A model name, e.g. `categorynode`.",
    )
    object_id = serializers.IntegerField(min_value=0)

    class Meta:
        model = MarketplaceAttributeSetConfig
        fields = [
            "pk", "id", "attribute_set", "content_type", "object_id", "created_date",
            "modified_date",
        ]  # fmt: skip
        validators: list = []

    def to_internal_value(self, data):
        if hasattr(data, "get") and isinstance(data.get("content_type"), str):
            found = selectors.content_type_named(data["content_type"].lower())
            data = {**data, "content_type": found.model if found else data["content_type"]}
        attrs = super().to_internal_value(data)
        if "content_type" in attrs:
            attrs["content_type"] = selectors.content_type_named(attrs["content_type"].model)
        return attrs


class MarketplaceAttributeConfigSerializer(OmnitronModelSerializer):
    attribute_set = ChannelRelated(queryset=MarketplaceAttributeSet.objects.all())
    attribute = ChannelRelated(queryset=MarketplaceAttribute.objects.all())
    attribute_set_name = serializers.CharField(source="attribute_set.name", read_only=True)
    attribute_name = serializers.CharField(source="attribute.name", read_only=True)
    locale_attribute_schema = ChannelRelated(
        queryset=MarketplaceAttributeSchema.objects.all(), required=False, allow_null=True
    )

    class Meta:
        model = MarketplaceAttributeConfig
        fields = [
            "pk", "id", "attribute_set", "attribute_set_name", "attribute", "attribute_name",
            "locale_attribute_schema", "attribute_remote_id", "is_required", "is_variant",
            "is_custom", "is_image_attribute", "is_meta", "created_date", "modified_date",
        ]  # fmt: skip
        validators: list = []


class MarketplaceAttributeConfigDetailedSerializer(MarketplaceAttributeConfigSerializer):
    attribute = MarketplaceAttributeSerializer(read_only=True)
    attribute_set = MarketplaceAttributeSetSerializer(read_only=True)


class MarketplaceAttributeValueSerializer(_ChannelRow):
    attribute = ChannelRelated(queryset=MarketplaceAttribute.objects.all())

    class Meta:
        model = MarketplaceAttributeValue
        fields = [
            "pk", "id", "channel", "attribute", "label", "value", "remote_id", "created_date",
            "modified_date",
        ]  # fmt: skip
        validators: list = []


class MarketplaceAttributeValueConfigSerializer(OmnitronModelSerializer):
    attribute_set = ChannelRelated(queryset=MarketplaceAttributeSet.objects.all())
    attribute_value = ChannelRelated(queryset=MarketplaceAttributeValue.objects.all())

    class Meta:
        model = MarketplaceAttributeValueConfig
        fields = ["pk", "id", "attribute_set", "attribute_value", "created_date", "modified_date"]
        validators: list = []
