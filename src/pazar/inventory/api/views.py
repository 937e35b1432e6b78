"""Omnitron: stock lists and product stocks (omnitron.md §8).

Writes go through `pazar.inventory.services`.
"""

from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import generics

from pazar.accounts.sites import OmnitronView
from pazar.api.bulk_create import BulkCreateMixin, one_or_many
from pazar.catalog.api.skus import rows_with_product_ids
from pazar.inventory import services
from pazar.inventory.api.filters import ProductStockFilter, StockListFilter
from pazar.inventory.api.serializers import (
    IntegrationProductStockSerializer,
    ProductStockChangeSerializer,
    ProductStockSerializer,
    StockListSerializer,
)
from pazar.inventory.models import ProductStock, StockList

STOCK_LIST_EXAMPLE = OpenApiExample(
    "Stock list",
    value={
        "name": "Main warehouse",
        "code": "wh-main",
        "is_auto_sync": True,
        "sellers": ["6f1c2a43-2b8e-4d4f-9d7e-1c6b8f0a4e21"],
    },
    request_only=True,
)


@extend_schema_view(
    get=extend_schema(summary="List stock lists"),
    post=extend_schema(summary="Create a stock list", examples=[STOCK_LIST_EXAMPLE]),
)
class StockListListView(OmnitronView, generics.ListCreateAPIView):
    """Stock lists; `sellers` are the sellers who may keep their products' stock in a list."""

    queryset = StockList.objects.prefetch_related("sellers").order_by("pk")
    serializer_class = StockListSerializer
    filterset_class = StockListFilter

    def perform_create(self, serializer):
        serializer.instance = services.stock_list_create(**serializer.validated_data)


@extend_schema_view(
    get=extend_schema(operation_id="i1_stock_list_list", summary="List stock lists (i1)"),
    post=extend_schema(
        operation_id="i1_stock_list_create",
        summary="Create a stock list (i1)",
        examples=[STOCK_LIST_EXAMPLE],
    ),
)
class IntegrationStockListListView(StockListListView):
    """The ERP-integration (i1) path of the same stock lists."""


@extend_schema_view(
    get=extend_schema(summary="Read a stock list"),
    put=extend_schema(summary="Replace a stock list"),
    patch=extend_schema(summary="Change a stock list or the sellers who may use it"),
    delete=extend_schema(
        summary="Delete a stock list", description="Its product stocks are deleted with it."
    ),
)
class StockListDetailView(OmnitronView, generics.RetrieveUpdateDestroyAPIView):
    queryset = StockList.objects.prefetch_related("sellers")
    serializer_class = StockListSerializer

    def perform_update(self, serializer):
        serializer.instance = services.stock_list_update(
            stock_list=serializer.instance, data=serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.stock_list_delete(stock_list=instance)


# --- product stocks -------------------------------------------------------------------------

STOCK_EXAMPLE = {"stock_list": 1, "stock": 90, "unit_type": "qty", "extra_field": {}}
STOCK_WRITE_DESCRIPTION = (
    "One object, or a list of up to 1000 applied all-or-nothing in bulk statements: a list "
    "with an error anywhere is refused whole, with one error object per row "
    '(`{"1": {"stock": ["…"]}}`, by row index). `stock` is whole for `qty`, up to 3 decimal places for `kg`. '
    "Fields a row leaves out keep their stored values (`sold_quantity_unreported` included)."
)
STOCK_FIELDS = [field.name for field in ProductStock._meta.concrete_fields]


def _stock_examples(product_key: str, product_value) -> list[OpenApiExample]:
    row = {product_key: product_value, **STOCK_EXAMPLE}
    return [
        OpenApiExample("One stock", value=row, request_only=True),
        OpenApiExample(
            "Several stocks",
            value=[row, {**row, "stock_list": 2, "stock": "1.250", "unit_type": "kg"}],
            request_only=True,
        ),
    ]


@extend_schema_view(
    get=extend_schema(summary="List product stocks"),
    post=extend_schema(
        summary="Create product stocks",
        description=STOCK_WRITE_DESCRIPTION
        + " A (product, stock list) pair that already has a stock is a row error here; "
        "`/api/i1/product_stock/` updates it instead.",
        examples=_stock_examples("product", 12),
        request=one_or_many(ProductStockSerializer, "ProductStocks"),
        responses={201: one_or_many(ProductStockSerializer, "ProductStocks")},
    ),
)
class ProductStockListView(OmnitronView, BulkCreateMixin, generics.ListCreateAPIView):
    """Stocks of products in stock lists (omnitron.md §8); one per (product, stock list)."""

    queryset = ProductStock.objects.order_by("pk")
    serializer_class = ProductStockSerializer
    filterset_class = ProductStockFilter

    def bulk_write(self, rows):
        return services.product_stocks_upsert(rows=rows, create_only=True)


@extend_schema_view(
    get=extend_schema(operation_id="i1_product_stock_list", summary="List product stocks (i1)"),
    post=extend_schema(
        operation_id="i1_product_stock_create",
        summary="Create or update product stocks by SKU (i1)",
        description=STOCK_WRITE_DESCRIPTION
        + " A pair that already has a stock is updated. `product_sku` names the operator's "
        "product, else the one seller product with that SKU.",
        examples=_stock_examples("product_sku", "SKU-1"),
        request=one_or_many(IntegrationProductStockSerializer, "IntegrationProductStocks"),
        responses={201: one_or_many(IntegrationProductStockSerializer, "IntegrationProductStocks")},
    ),
)
class IntegrationProductStockListView(ProductStockListView):
    queryset = (
        ProductStock.objects.select_related("product")
        .only(*STOCK_FIELDS, "product__sku")
        .order_by("pk")
    )
    serializer_class = IntegrationProductStockSerializer

    def bulk_write(self, rows):
        rows = rows_with_product_ids(rows, v1_path="/api/v1/product_stock/")
        return services.product_stocks_upsert(rows=rows)


@extend_schema_view(
    get=extend_schema(summary="Read a product stock"),
    put=extend_schema(summary="Replace a product stock"),
    patch=extend_schema(summary="Change a product stock"),
    delete=extend_schema(summary="Delete a product stock"),
)
class ProductStockDetailView(OmnitronView, generics.RetrieveUpdateDestroyAPIView):
    queryset = ProductStock.objects.all()
    serializer_class = ProductStockChangeSerializer

    def perform_update(self, serializer):
        serializer.instance = services.product_stock_update(
            product_stock=serializer.instance, data=serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.product_stock_delete(product_stock=instance)
