from decimal import Decimal

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from pazar.api.fields import JSONObjectField, decimal_text
from pazar.api.omnitron import OmnitronModelSerializer
from pazar.core.dates import utc_text
from pazar.inventory.models import ProductStock, StockList, UnitType


class StockListSerializer(OmnitronModelSerializer):
    class Meta:
        model = StockList
        fields = [
            "pk", "id", "uuid", "name", "code", "is_auto_sync", "sellers",
            "created_date", "modified_date",
        ]  # fmt: skip
        extra_kwargs = {
            "code": {
                "validators": [],
                "allow_blank": False,
                "help_text": "The ERP's id of the list: optional, unique, needed with "
                "`is_auto_sync`.",
            },
            "sellers": {"help_text": "Ids (uuids) of the sellers who may use the list."},
        }


@extend_schema_field(
    {
        "oneOf": [{"type": "integer"}, {"type": "string", "format": "decimal"}],
        "example": 90,
        "description": "0…2147483647. Read as an integer for `qty` rows and as a decimal string "
        'with 3 places for `kg` rows (`"1.250"`); written as a number or a string, whole for '
        "`qty`, up to 3 decimal places for `kg`.",
    }
)
def quantity_text(value, unit_type: str):
    """An integer for a row counted in units, a decimal string with 3 places for one in kg."""
    return int(value) if unit_type == UnitType.QTY else decimal_text(value, 3)


class QuantityField(serializers.DecimalField):
    """A quantity whose wire form follows the row's unit type (see the schema above)."""

    def __init__(self, **kwargs):
        super().__init__(
            max_digits=13, decimal_places=3, min_value=Decimal(0),
            max_value=Decimal(2147483647), **kwargs,
        )  # fmt: skip

    def get_attribute(self, instance):
        return super().get_attribute(instance), instance.unit_type

    def to_representation(self, value):
        return quantity_text(*value)


class ProductStockSerializer(OmnitronModelSerializer):
    """A product's stock in a stock list; `product` and `stock_list` are pks (v1)."""

    product = serializers.IntegerField(source="product_id", min_value=1, help_text="Product pk.")
    stock_list = serializers.IntegerField(source="stock_list_id", min_value=1)
    stock = QuantityField()
    unit_type = serializers.ChoiceField(
        choices=UnitType.choices, required=False, help_text="`qty` for a new stock when left out."
    )
    sold_quantity_unreported = QuantityField(
        required=False, help_text="Sold but not yet reported to the ERP."
    )
    extra_field = JSONObjectField(required=False)

    class Meta:
        model = ProductStock
        fields = [
            "pk", "id", "product", "stock_list", "stock", "unit_type", "sold_quantity_unreported",
            "extra_field", "created_date", "modified_date",
        ]  # fmt: skip
        validators: list = []

    def to_representation(self, stock: ProductStock) -> dict:
        """The declared fields, written directly: a 1000-row answer in a few milliseconds."""
        return {
            "pk": stock.pk,
            "id": stock.pk,
            "product": stock.product_id,
            "stock_list": stock.stock_list_id,
            "stock": quantity_text(stock.stock, stock.unit_type),
            "unit_type": stock.unit_type,
            "sold_quantity_unreported": quantity_text(
                stock.sold_quantity_unreported, stock.unit_type
            ),
            "extra_field": stock.extra_field,
            "created_date": utc_text(stock.created_at),
            "modified_date": utc_text(stock.updated_at),
        }


class ProductStockChangeSerializer(ProductStockSerializer):
    """PUT / PATCH of one stock: its product and stock list stay."""

    product = serializers.IntegerField(source="product_id", read_only=True)
    stock_list = serializers.IntegerField(source="stock_list_id", read_only=True)


class IntegrationProductStockSerializer(ProductStockSerializer):
    """The i1 form: the product is named by `product_sku` (its pk is returned as `product`)."""

    product_sku = serializers.CharField(source="product.sku", max_length=255)
    product = serializers.IntegerField(source="product_id", read_only=True)

    class Meta(ProductStockSerializer.Meta):
        fields = ["pk", "id", "product_sku", *ProductStockSerializer.Meta.fields[2:]]

    def to_representation(self, stock: ProductStock) -> dict:
        return {
            "pk": stock.pk,
            "id": stock.pk,
            "product_sku": stock.product.sku,
        } | super().to_representation(stock)
