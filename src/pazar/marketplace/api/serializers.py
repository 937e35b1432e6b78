"""Seller Center representations. Declared fields document the OpenAPI schema; lists of
products are written by `to_representation` directly, which is several times faster than
field-by-field serialization for pages of up to 1000 products."""

from rest_framework import serializers

from pazar.catalog.models import seller_center_data_type
from pazar.core.dates import utc_text
from pazar.languages.negotiation import translate
from pazar.marketplace.api.fields import money, number


class PriceSerializer(serializers.Serializer):
    price_list = serializers.UUIDField()
    currency_type = serializers.CharField(
        help_text="Currency code, e.g. USD; must be the price list's."
    )
    retail_price = serializers.CharField(
        required=False, allow_null=True, help_text="List price, a decimal string."
    )
    price = serializers.CharField(help_text="Selling price, a decimal string (≤ retail_price).")
    tax_rate = serializers.CharField(required=False, help_text='A fraction: "0.08" is 8 %.')


class StockSerializer(serializers.Serializer):
    stock_list = serializers.UUIDField()
    stock = serializers.CharField(help_text="A decimal string ≥ 0; whole for unit_type qty.")
    unit_type = serializers.ChoiceField(choices=["qty", "kg"], default="qty")


class StockOutSerializer(StockSerializer):
    sold_quantity_unreported = serializers.CharField(
        read_only=True, help_text="Sold on the marketplace since the seller's last stock update."
    )


class ProductWriteSerializer(serializers.Serializer):
    """One PRD101 row (validated by the worker; errors are reported per row)."""

    name = serializers.CharField(max_length=255)
    base_code = serializers.CharField(max_length=255)
    sku = serializers.CharField(max_length=255)
    category = serializers.UUIDField()
    product = serializers.UUIDField(required=False, allow_null=True)
    attributes = serializers.DictField(default=dict)
    images = serializers.ListField(child=serializers.URLField(), required=False)
    videos = serializers.ListField(child=serializers.URLField(), required=False)
    prices = PriceSerializer(many=True, required=False)
    stocks = StockSerializer(many=True, required=False)
    restrict_for_others = serializers.BooleanField(required=False, allow_null=True)


class SkuSerializer(serializers.Serializer):
    sku = serializers.CharField(max_length=255)


class PriceRowSerializer(PriceSerializer):
    sku = serializers.CharField(max_length=255)


class StockRowSerializer(StockSerializer):
    sku = serializers.CharField(max_length=255)


class PriceStockRowSerializer(PriceSerializer, StockSerializer):
    sku = serializers.CharField(max_length=255)


class BatchAcceptedSerializer(serializers.Serializer):
    batch_request_id = serializers.UUIDField()


class ApprovalSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=["pending", "approved", "rejected"])
    reason = serializers.CharField(allow_blank=True)


class ProductSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()
    base_code = serializers.CharField()
    sku = serializers.CharField()
    category = serializers.UUIDField(allow_null=True)
    product = serializers.UUIDField(
        allow_null=True, help_text="The catalog product this offer sells."
    )
    attributes = serializers.DictField()
    images = serializers.ListField(child=serializers.CharField())
    videos = serializers.ListField(child=serializers.CharField())
    restrict_for_others = serializers.BooleanField()
    approved = serializers.BooleanField()
    approval = ApprovalSerializer(
        help_text="Where the product stands with the marketplace operator."
    )
    prices = PriceSerializer(many=True)
    stocks = StockOutSerializer(many=True)
    updated_at = serializers.DateTimeField()
    created_at = serializers.DateTimeField()

    def to_representation(self, product):
        """A product of `selectors.seller_products` (a dict of values); its prices and stocks
        come from `context["offers"]` (selectors.offers_of)."""
        offers = self.context["offers"][product["pk"]]
        category, catalog_product = product["category_uuid"], product["catalog_product_uuid"]
        return {
            "id": str(product["uuid"]),
            "name": product["name"],
            "base_code": product["base_code"],
            "sku": product["sku"],
            "category": str(category) if category is not None else None,
            "product": str(catalog_product) if catalog_product is not None else None,
            "attributes": product["attributes"],
            "images": product["images"],
            "videos": product["videos"],
            "restrict_for_others": product["restrict_for_others"],
            "approved": product["approved"],
            "approval": {
                "status": product["approval_status"],
                "reason": product["rejection_reason"],
            },
            "prices": [
                {
                    "price_list": str(list_id),
                    "currency_type": currency,
                    "retail_price": money(retail),
                    "price": money(price),
                    "tax_rate": number(tax, min_places=2),
                }
                for list_id, currency, retail, price, tax in offers["prices"]
            ],
            "stocks": [
                {
                    "stock_list": str(list_id),
                    "unit_type": unit,
                    "stock": number(stock),
                    "sold_quantity_unreported": number(unreported),
                }
                for list_id, unit, stock, unreported in offers["stocks"]
            ],
            "updated_at": utc_text(product["updated_at"]),
            "created_at": utc_text(product["created_at"]),
        }


class CatalogProductSerializer(serializers.Serializer):
    """PRD108: a product of the marketplace catalog."""

    id = serializers.UUIDField()
    name = serializers.CharField()
    base_code = serializers.CharField()
    sku = serializers.CharField()
    category = serializers.UUIDField(allow_null=True)
    attributes = serializers.DictField()
    images = serializers.ListField(child=serializers.CharField())
    videos = serializers.ListField(child=serializers.CharField())
    updated_at = serializers.DateTimeField()
    created_at = serializers.DateTimeField()

    def to_representation(self, product):
        return {
            "id": str(product.uuid),
            "name": product.name,
            "base_code": product.base_code,
            "sku": product.sku,
            "category": str(product.category.uuid) if product.category_id else None,
            "attributes": product.attributes,
            "images": product.images,
            "videos": product.videos,
            "updated_at": utc_text(product.updated_at),
            "created_at": utc_text(product.created_at),
        }


class CategoryNodeSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()
    parent = serializers.UUIDField(allow_null=True)
    children = serializers.ListField(
        child=serializers.DictField(), help_text="Nodes of the same shape."
    )


def category_node(node: dict, language: str, parent=None) -> dict:
    category = node["category"]
    return {
        "id": str(category.uuid),
        "name": translate(category.name, category.translations, "name", language),
        "parent": str(parent.uuid) if parent else None,
        "children": [category_node(child, language, category) for child in node["children"]],
    }


class AttributeValueSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    label = serializers.CharField()
    value = serializers.CharField()
    translations = serializers.DictField()


class CategoryAttributeSerializer(serializers.Serializer):
    key = serializers.CharField()
    name = serializers.CharField()
    data_type = serializers.CharField()
    default_value = serializers.JSONField(allow_null=True)
    values = AttributeValueSerializer(many=True)
    is_required = serializers.BooleanField()
    is_variant = serializers.BooleanField()
    is_offer = serializers.BooleanField()
    is_localizable = serializers.BooleanField()
    translations = serializers.DictField()


def category_attribute(rule, language: str) -> dict:
    attribute, link = rule.attribute, rule.link
    return {
        "key": attribute.key,
        "name": translate(attribute.name, attribute.translations, "name", language),
        "data_type": seller_center_data_type(attribute.data_type),
        "default_value": attribute.default_value,
        "values": [
            {
                "id": str(value.uuid),
                "label": translate(value.label, value.translations, "label", language),
                "value": value.value,
                "translations": value.translations,
            }
            for value in sorted(rule.values, key=lambda value: (value.order, value.value))
        ],
        "is_required": link.is_required,
        "is_variant": link.is_variant,
        "is_offer": link.is_offer,
        "is_localizable": attribute.is_localizable,
        "translations": attribute.translations,
    }


class PriceListSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="uuid")
    name = serializers.CharField()
    code = serializers.CharField(allow_null=True, help_text="Null when the list has no ERP code.")
    currency = serializers.CharField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class StockListSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="uuid")
    name = serializers.CharField()
    code = serializers.CharField(allow_null=True, help_text="Null when the list has no ERP code.")
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
