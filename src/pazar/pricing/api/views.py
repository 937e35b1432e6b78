"""Omnitron: price lists (omnitron.md §7). Writes go through `pazar.pricing.services`."""

from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import generics

from pazar.api.sites import OmnitronView
from pazar.pricing import services
from pazar.pricing.api.filters import PriceListFilter
from pazar.pricing.api.serializers import PriceListSerializer
from pazar.pricing.models import PriceList

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
