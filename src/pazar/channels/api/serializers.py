from django.contrib.contenttypes.models import ContentType
from rest_framework import serializers

from pazar.api.fields import JSONObjectField
from pazar.api.omnitron import NestedOnReadField, OmnitronModelSerializer
from pazar.catalog.models import Category
from pazar.channels.models import Catalog, CatalogItem, CategoryTree, Channel


class CategoryBriefSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(source="pk", read_only=True)

    class Meta:
        model = Category
        fields = ["pk", "id", "name", "code", "parent"]
        read_only_fields = fields


class CategoryTreeSerializer(OmnitronModelSerializer):
    category_root = NestedOnReadField(
        queryset=Category.objects.all(),
        read_serializer=CategoryBriefSerializer,
        allow_null=False,
        help_text="The root category node's pk on write; `{pk, id, name, code, parent}` on "
        "read (null if that category was deleted).",
    )

    class Meta:
        model = CategoryTree
        fields = ["pk", "id", "name", "category_root", "created_date", "modified_date"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if instance.category_root_id is None:
            data["category_root"] = None
        return data


class CatalogSerializer(OmnitronModelSerializer):
    class Meta:
        model = Catalog
        fields = [
            "pk", "id", "name", "price_list", "stock_list", "category_tree", "extra_price_lists",
            "extra_stock_lists", "created_date", "modified_date",
        ]  # fmt: skip
        extra_kwargs = {
            "price_list": {"help_text": "Pk of the price list the catalog sells at."},
            "stock_list": {"help_text": "Pk of the stock list the catalog sells from."},
            "extra_price_lists": {"help_text": "Pks of further price lists channels may read."},
            "extra_stock_lists": {"help_text": "Pks of further stock lists (e.g. per store)."},
        }


class CatalogItemSerializer(OmnitronModelSerializer):
    catalog = serializers.IntegerField(source="catalog_id", min_value=1)
    product = serializers.IntegerField(source="product_id", min_value=1)

    class Meta:
        model = CatalogItem
        fields = ["pk", "id", "catalog", "product", "created_date", "modified_date"]
        validators: list = []


class ChannelSerializer(OmnitronModelSerializer):
    conf = JSONObjectField(
        required=False, help_text="The channel app's settings, e.g. `remote_id_attribute`."
    )
    schema = JSONObjectField(required=False, help_text="Definition of the settings form.")

    class Meta:
        model = Channel
        fields = [
            "pk", "id", "name", "catalog", "channel_type", "conf", "category_tree", "is_active",
            "schema", "created_date", "modified_date",
        ]  # fmt: skip
        extra_kwargs = {
            "channel_type": {"help_text": "e.g. `web`, `sales_channel`; `web` when left out."},
        }


class ContentTypeSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(source="pk", read_only=True)

    class Meta:
        model = ContentType
        fields = ["id", "app_label", "model"]
        read_only_fields = fields
