"""Omnitron: price lists and product prices (omnitron.md §7).

Writes go through `pazar.pricing.services`.
"""

from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import generics

from pazar.accounts.sites import OmnitronView
from pazar.api.bulk_create import BulkCreateMixin, one_or_many
from pazar.catalog.api.skus import rows_with_product_ids
from pazar.pricing import services
from pazar.pricing.api.filters import PriceListFilter, ProductPriceFilter
from pazar.pricing.api.serializers import (
    IntegrationProductPriceSerializer,
    PriceListSerializer,
    ProductPriceChangeSerializer,
    ProductPriceSerializer,
)
from pazar.pricing.models import PriceList, ProductPrice

PRICE_LIST_EXAMPLE = OpenApiExample(
    "Price list",
    value={
        "name": "Marketplace USD",
        "code": "mp-usd",
        "currency": "usd",
        "is_auto_sync": False,
        "sellers": ["6f1c2a43-2b8e-4d4f-9d7e-1c6b8f0a4e21"],
    },
    request_only=True,
)


@extend_schema_view(
    get=extend_schema(summary="List price lists"),
    post=extend_schema(summary="Create a price list", examples=[PRICE_LIST_EXAMPLE]),
)
class PriceListListView(OmnitronView, generics.ListCreateAPIView):
    """Price lists; `sellers` are the sellers who may price their products in a list."""

    queryset = PriceList.objects.prefetch_related("sellers").order_by("pk")
    serializer_class = PriceListSerializer
    filterset_class = PriceListFilter

    def perform_create(self, serializer):
        serializer.instance = services.price_list_create(**serializer.validated_data)


@extend_schema_view(
    get=extend_schema(operation_id="i1_price_list_list", summary="List price lists (i1)"),
    post=extend_schema(
        operation_id="i1_price_list_create",
        summary="Create a price list (i1)",
        examples=[PRICE_LIST_EXAMPLE],
    ),
)
class IntegrationPriceListListView(PriceListListView):
    """The ERP-integration (i1) path of the same price lists."""


@extend_schema_view(
    get=extend_schema(summary="Read a price list"),
    put=extend_schema(summary="Replace a price list"),
    patch=extend_schema(summary="Change a price list or the sellers who may use it"),
    delete=extend_schema(
        summary="Delete a price list", description="Its product prices are deleted with it."
    ),
)
class PriceListDetailView(OmnitronView, generics.RetrieveUpdateDestroyAPIView):
    queryset = PriceList.objects.prefetch_related("sellers")
    serializer_class = PriceListSerializer

    def perform_update(self, serializer):
        serializer.instance = services.price_list_update(
            price_list=serializer.instance, data=serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.price_list_delete(price_list=instance)


# --- product prices -------------------------------------------------------------------------

PRICE_EXAMPLE = {
    "price_list": 1,
    "price": "89.99",
    "retail_price": "99.99",
    "tax_rate": "18.00",
    "currency_type": "try",
    "price_type": "default",
    "discount_percentage": "10.00",
    "extra_field": {},
}
PRICE_WRITE_DESCRIPTION = (
    "One object, or a list of up to 1000 applied all-or-nothing in bulk statements: a list "
    "with an error anywhere is refused whole, with one error object per row "
    '(`{"1": {"price": ["…"]}}`, by row index). `currency_type` defaults to the list\'s currency and must be '
    "it. `tax_rate` is a percentage. Fields a row leaves out keep their stored values."
)
PRICE_FIELDS = [field.name for field in ProductPrice._meta.concrete_fields]


def _price_examples(product_key: str, product_value) -> list[OpenApiExample]:
    row = {product_key: product_value, **PRICE_EXAMPLE}
    return [
        OpenApiExample("One price", value=row, request_only=True),
        OpenApiExample("Several prices", value=[row, {**row, "price_list": 2}], request_only=True),
    ]


@extend_schema_view(
    get=extend_schema(summary="List product prices"),
    post=extend_schema(
        summary="Create product prices",
        description=PRICE_WRITE_DESCRIPTION
        + " A (product, price list) pair that already has a price is a row error here; "
        "`/api/i1/product_price/` updates it instead.",
        examples=_price_examples("product", 12),
        request=one_or_many(ProductPriceSerializer, "ProductPrices"),
        responses={201: one_or_many(ProductPriceSerializer, "ProductPrices")},
    ),
)
class ProductPriceListView(OmnitronView, BulkCreateMixin, generics.ListCreateAPIView):
    """Prices of products in price lists (omnitron.md §7); one per (product, price list)."""

    queryset = ProductPrice.objects.order_by("pk")
    serializer_class = ProductPriceSerializer
    filterset_class = ProductPriceFilter

    def bulk_write(self, rows):
        return services.product_prices_upsert(rows=rows, create_only=True)


@extend_schema_view(
    get=extend_schema(operation_id="i1_product_price_list", summary="List product prices (i1)"),
    post=extend_schema(
        operation_id="i1_product_price_create",
        summary="Create or update product prices by SKU (i1)",
        description=PRICE_WRITE_DESCRIPTION
        + " A pair that already has a price is updated. `product_sku` names the operator's "
        "product, else the one seller product with that SKU.",
        examples=_price_examples("product_sku", "SKU-1"),
        request=one_or_many(IntegrationProductPriceSerializer, "IntegrationProductPrices"),
        responses={201: one_or_many(IntegrationProductPriceSerializer, "IntegrationProductPrices")},
    ),
)
class IntegrationProductPriceListView(ProductPriceListView):
    queryset = (
        ProductPrice.objects.select_related("product")
        .only(*PRICE_FIELDS, "product__sku")
        .order_by("pk")
    )
    serializer_class = IntegrationProductPriceSerializer

    def bulk_write(self, rows):
        rows = rows_with_product_ids(rows, v1_path="/api/v1/product_price/")
        return services.product_prices_upsert(rows=rows)


@extend_schema_view(
    get=extend_schema(summary="Read a product price"),
    put=extend_schema(summary="Replace a product price"),
    patch=extend_schema(summary="Change a product price"),
    delete=extend_schema(summary="Delete a product price"),
)
class ProductPriceDetailView(OmnitronView, generics.RetrieveUpdateDestroyAPIView):
    queryset = ProductPrice.objects.select_related("price_list")
    serializer_class = ProductPriceChangeSerializer

    def perform_update(self, serializer):
        serializer.instance = services.product_price_update(
            product_price=serializer.instance, data=serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.product_price_delete(product_price=instance)
