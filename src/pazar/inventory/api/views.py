"""Omnitron: stock lists (omnitron.md §8). Writes go through `pazar.inventory.services`."""

from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import generics

from pazar.api.sites import OmnitronView
from pazar.inventory import services
from pazar.inventory.api.filters import StockListFilter
from pazar.inventory.api.serializers import StockListSerializer
from pazar.inventory.models import StockList

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
