"""Omnitron products (omnitron.md §4): one shape for i1 and v1, read and written."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from pazar.api.fields import decimal_text
from pazar.api.omnitron import OmnitronModelSerializer
from pazar.catalog import selectors
from pazar.catalog.models import AttributeSet, Category, Product, ProductType
from pazar.core.dates import utc_text


@extend_schema_field({"type": "object", "additionalProperties": {}, "example": {"COLOR": "RD"}})
class ObjectField(serializers.JSONField):
    """A JSON object; a list, string or number is a 400."""

    default_error_messages = {"not_an_object": "Expected an object."}

    def to_internal_value(self, data):
        data = super().to_internal_value(data)
        if not isinstance(data, dict):
            self.fail("not_an_object")
        return data


def _objects(**kwargs) -> ObjectField:
    return ObjectField(required=False, **kwargs)


class GroupProductsField(serializers.ManyRelatedField):
    """A product's group products; a list prefetched into `GROUP_PRODUCT_LIST` is read as is."""

    def get_attribute(self, instance):
        prefetched = getattr(instance, selectors.GROUP_PRODUCT_LIST, None)
        if prefetched is not None:
            return prefetched
        return super().get_attribute(instance)


class ProductSerializer(OmnitronModelSerializer):
    """Written with pks (attribute sets, parent, group products); read the same way."""

    product_type = serializers.ChoiceField(
        choices=ProductType.choices,
        required=False,
        help_text="`0` simple, `1` product_meta, `2` bundle, `3` grouped, `4` miscellaneous "
        "(`5` pre_product and `6` pre_miscellaneous are pre-product types). Default `0`.",
    )
    attribute_set = serializers.PrimaryKeyRelatedField(
        queryset=AttributeSet.objects.all(), required=False, allow_null=True
    )
    custom_attribute_set = serializers.PrimaryKeyRelatedField(
        queryset=AttributeSet.objects.all(), required=False, allow_null=True
    )
    category = serializers.PrimaryKeyRelatedField(
        queryset=Category.objects.all(), required=False, allow_null=True
    )
    parent = serializers.PrimaryKeyRelatedField(
        queryset=Product.objects.productized(),
        required=False,
        allow_null=True,
        help_text="The product_meta product this one is a variant of.",
    )
    group_products = GroupProductsField(
        child_relation=serializers.PrimaryKeyRelatedField(queryset=Product.objects.productized()),
        required=False,
        help_text="The products a grouped or bundle product holds.",
    )
    attributes = _objects(
        help_text="`{key: value}`, checked against the attribute set(s): required attributes "
        "present, choices known (by value or label; stored by value), types parse."
    )
    attributes_kwargs = ObjectField(
        read_only=True,
        help_text="Per attribute details, kept by the server: `{label, value}` of each choice.",
    )
    localized_attributes = _objects()
    localized_attributes_kwargs = _objects()
    extra_attributes = _objects()
    erp_categories = serializers.ListField(
        child=serializers.CharField(max_length=255), required=False
    )
    tax_rate = serializers.DecimalField(
        max_digits=5, decimal_places=2, min_value=0, required=False, allow_null=True
    )
    weight = serializers.DecimalField(
        max_digits=12, decimal_places=3, min_value=0, required=False, allow_null=True
    )
    data_source = serializers.UUIDField(
        source="seller_id",
        read_only=True,
        allow_null=True,
        help_text="The seller whose product it is (the Seller Center's seller id); null for "
        "the operator's own.",
    )
    is_seller_product = serializers.SerializerMethodField()

    class Meta:
        model = Product
        fields = [
            "pk", "id", "uuid", "name", "sku", "base_code", "product_type", "is_active",
            "attribute_set", "custom_attribute_set", "category", "attributes", "attributes_kwargs",
            "localized_attributes", "localized_attributes_kwargs", "extra_attributes", "parent",
            "group_products", "listing_code", "brand", "erp_categories", "tax_rate", "description",
            "weight", "productization_date", "data_source", "is_seller_product", "created_date",
            "modified_date",
        ]  # fmt: skip
        read_only_fields = ["uuid", "productization_date"]
        extra_kwargs = {
            "sku": {"validators": [], "help_text": "Unique among the operator's own products."},
            "base_code": {"required": False, "help_text": "Groups variants; defaults to the SKU."},
        }
        # The SKU's uniqueness is the service's to check, with a message naming the SKU.
        validators: list = []

    # The columns `to_representation` reads: a read-only list may load only these
    # (`.only(*ProductSerializer.COLUMNS)`), leaving out images, videos and approval details.
    COLUMNS = (
        "id", "uuid", "name", "sku", "base_code", "product_type", "is_active", "attribute_set",
        "custom_attribute_set", "category", "attributes", "attributes_kwargs",
        "localized_attributes", "localized_attributes_kwargs", "extra_attributes", "parent",
        "listing_code", "brand", "erp_categories", "tax_rate", "description", "weight",
        "productization_date", "seller", "created_at", "updated_at",
    )  # fmt: skip

    def get_is_seller_product(self, product: Product) -> bool:
        return product.seller_id is not None

    def to_representation(self, product: Product) -> dict:
        """DRF's output of the fields above, written directly: a feed page is 100 products of
        30 fields, and DRF's per-field machinery was most of its time. `tests/catalog/
        test_product_representation.py` holds it equal to DRF's own."""
        group = getattr(product, selectors.GROUP_PRODUCT_LIST, None)
        if group is None:
            group = product.group_products.all() if product.pk is not None else []
        return {
            "pk": product.pk,
            "id": product.pk,
            "uuid": str(product.uuid),
            "name": product.name,
            "sku": product.sku,
            "base_code": product.base_code,
            "product_type": _text(product.product_type),
            "is_active": product.is_active,
            "attribute_set": product.attribute_set_id,
            "custom_attribute_set": product.custom_attribute_set_id,
            "category": product.category_id,
            "attributes": product.attributes,
            "attributes_kwargs": product.attributes_kwargs,
            "localized_attributes": product.localized_attributes,
            "localized_attributes_kwargs": product.localized_attributes_kwargs,
            "extra_attributes": product.extra_attributes,
            "parent": product.parent_id,
            "group_products": sorted(member.pk for member in group),
            "listing_code": product.listing_code,
            "brand": product.brand,
            "erp_categories": _texts(product.erp_categories),
            "tax_rate": decimal_text(product.tax_rate, 2),
            "description": product.description,
            "weight": decimal_text(product.weight, 3),
            "productization_date": utc_text(product.productization_date),
            "data_source": None if product.seller_id is None else str(product.seller_id),
            "is_seller_product": product.seller_id is not None,
            "created_date": utc_text(product.created_at),
            "modified_date": utc_text(product.updated_at),
        }


def _text(value):
    return value if value in ("", None) else str(value)


def _texts(values):
    return None if values is None else [None if item is None else str(item) for item in values]


class PreProductWriteSerializer(ProductSerializer):
    """A pre-product's data (type `5` pre_product unless `6` pre_miscellaneous)."""

    product_type = serializers.ChoiceField(
        choices=ProductType.choices,
        required=False,
        help_text="`5` pre_product (default) or `6` pre_miscellaneous.",
    )


class PreProductUpdateSerializer(PreProductWriteSerializer):
    """Any product field, and the two write-only flags of Omnitron's pre-product viewset."""

    approved = serializers.BooleanField(
        write_only=True,
        required=False,
        help_text="`true` productizes the pre-product once the other fields are saved.",
    )
    run_product_mapping = serializers.BooleanField(
        write_only=True,
        required=False,
        allow_null=True,
        help_text="Accepted for compatibility; Pazar has no attribute mapping rules to run.",
    )

    class Meta(PreProductWriteSerializer.Meta):
        fields = [*PreProductWriteSerializer.Meta.fields, "approved", "run_product_mapping"]

    def validate_approved(self, value: bool) -> bool:
        if not value:
            raise serializers.ValidationError(
                "Only true is accepted; reject a product with POST …/reject/ and a reason."
            )
        return value
