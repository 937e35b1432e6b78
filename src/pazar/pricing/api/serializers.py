from decimal import Decimal

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from pazar.api.fields import JSONObjectField, decimal_text
from pazar.api.omnitron import OmnitronModelSerializer
from pazar.core.dates import utc_text
from pazar.pricing.currencies import ALIASES, currency_code, omnitron_currency
from pazar.pricing.models import CURRENCIES, PriceList, PriceType, ProductPrice


def any_case(code: str) -> str:
    """A pattern matching `code` in any case (JSON Schema patterns have no flags)."""
    return "".join(f"[{char.upper()}{char.lower()}]" for char in code)


@extend_schema_field(
    {
        "type": "string",
        "pattern": "^\\s*(?:"
        + "|".join(any_case(code) for code in [*CURRENCIES, *ALIASES])
        + ")\\s*$",
        "example": "usd",
        "description": "Read as Omnitron writes it, lower-case (`try`, `usd`, `eur`, …); written "
        "in any case, with the aliases `tr` (TRY), `eu` (EUR) and `lei` (RON). One of "
        f"{', '.join(code.lower() for code in CURRENCIES)}.",
    }
)
class CurrencyField(serializers.CharField):
    default_error_messages = {"currency": '"{value}" is not a valid currency.'}

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        code = currency_code(value)
        if code is None:
            self.fail("currency", value=value)
        return code

    def to_representation(self, value):
        return omnitron_currency(value)


class PriceListSerializer(OmnitronModelSerializer):
    currency = CurrencyField()

    class Meta:
        model = PriceList
        fields = [
            "pk", "id", "uuid", "name", "code", "currency", "is_auto_sync", "sellers",
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


class PercentField(serializers.DecimalField):
    """A percentage 0…100 on the wire (`"18.00"`), stored as a fraction (`0.1800`)."""

    HUNDRED = Decimal(100)

    def __init__(self, **kwargs):
        super().__init__(max_digits=5, decimal_places=2, **kwargs)

    def to_internal_value(self, data):
        percent = super().to_internal_value(data)
        if percent < 0:
            self.fail("min_value", min_value=0)
        if percent > self.HUNDRED:
            self.fail("max_value", max_value=self.HUNDRED)
        return percent / self.HUNDRED

    def to_representation(self, value):
        return super().to_representation(value * self.HUNDRED)


def money(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=20, decimal_places=2, min_value=Decimal(0), **kwargs)


class ProductPriceSerializer(OmnitronModelSerializer):
    """A product's price in a price list; `product` and `price_list` are pks (v1)."""

    product = serializers.IntegerField(source="product_id", min_value=1, help_text="Product pk.")
    price_list = serializers.IntegerField(source="price_list_id", min_value=1)
    price = money()
    retail_price = money(required=False, allow_null=True, help_text="List price before discount.")
    tax_rate = PercentField(
        required=False, help_text='A percentage: "18.00" is 18 %. 0 for a new price when left out.'
    )
    currency_type = CurrencyField(
        required=False, help_text="The price list's currency, which it defaults to."
    )
    price_type = serializers.ChoiceField(choices=PriceType.choices, required=False)
    discount_percentage = serializers.DecimalField(
        max_digits=5, decimal_places=2, min_value=Decimal(0), max_value=Decimal(100),
        required=False, allow_null=True, help_text='A percentage, e.g. "10.00".',
    )  # fmt: skip
    extra_field = JSONObjectField(required=False)

    class Meta:
        model = ProductPrice
        fields = [
            "pk", "id", "product", "price_list", "price", "retail_price", "tax_rate",
            "currency_type", "price_type", "discount_percentage", "extra_field",
            "created_date", "modified_date",
        ]  # fmt: skip
        validators: list = []

    def to_representation(self, price: ProductPrice) -> dict:
        """The declared fields, written directly: a 1000-row answer in a few milliseconds."""
        return {
            "pk": price.pk,
            "id": price.pk,
            "product": price.product_id,
            "price_list": price.price_list_id,
            "price": decimal_text(price.price, 2),
            "retail_price": decimal_text(price.retail_price, 2),
            "tax_rate": decimal_text(price.tax_rate * PercentField.HUNDRED, 2),
            "currency_type": omnitron_currency(price.currency_type),
            "price_type": price.price_type,
            "discount_percentage": decimal_text(price.discount_percentage, 2),
            "extra_field": price.extra_field,
            "created_date": utc_text(price.created_at),
            "modified_date": utc_text(price.updated_at),
        }


class ProductPriceChangeSerializer(ProductPriceSerializer):
    """PUT / PATCH of one price: its product and price list stay."""

    product = serializers.IntegerField(source="product_id", read_only=True)
    price_list = serializers.IntegerField(source="price_list_id", read_only=True)


class IntegrationProductPriceSerializer(ProductPriceSerializer):
    """The i1 form: the product is named by `product_sku` (its pk is returned as `product`)."""

    product_sku = serializers.CharField(source="product.sku", max_length=255)
    product = serializers.IntegerField(source="product_id", read_only=True)

    class Meta(ProductPriceSerializer.Meta):
        fields = ["pk", "id", "product_sku", *ProductPriceSerializer.Meta.fields[2:]]

    def to_representation(self, price: ProductPrice) -> dict:
        return {
            "pk": price.pk,
            "id": price.pk,
            "product_sku": price.product.sku,
        } | super().to_representation(price)
