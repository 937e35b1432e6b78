"""Omnitron: cargo companies (operators), `cargos/` (sales channels)."""

from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import generics

from pazar.api.sites import OmnitronView
from pazar.channels.api.channel_scope import ChannelScopedMixin
from pazar.orders import services
from pazar.orders.api import filters, serializers
from pazar.orders.models import CargoCompany

CARGO_EXAMPLE = OpenApiExample(
    "Cargo company",
    value={"name": "Yurtiçi Kargo", "erp_code": "YK", "shipping_company": "yurtici"},
    request_only=True,
)


@extend_schema_view(
    get=extend_schema(summary="List cargo companies"),
    post=extend_schema(summary="Create a cargo company", examples=[CARGO_EXAMPLE]),
)
class CargoCompanyListView(OmnitronView, generics.ListCreateAPIView):
    """Shipping companies; sales channels match them on `erp_code`."""

    queryset = CargoCompany.objects.order_by("pk")
    serializer_class = serializers.CargoCompanySerializer
    filterset_class = filters.CargoCompanyFilter

    def perform_create(self, serializer):
        serializer.instance = services.cargo_company_create(**serializer.validated_data)


@extend_schema_view(
    get=extend_schema(summary="Read a cargo company"),
    put=extend_schema(summary="Replace a cargo company"),
    patch=extend_schema(summary="Change a cargo company"),
    delete=extend_schema(
        summary="Delete a cargo company",
        description="One orders or packages name is kept (400 `cargo_company_in_use`).",
    ),
)
class CargoCompanyDetailView(OmnitronView, generics.RetrieveUpdateDestroyAPIView):
    queryset = CargoCompany.objects.all()
    serializer_class = serializers.CargoCompanySerializer

    def perform_update(self, serializer):
        serializer.instance = services.cargo_company_update(
            cargo_company=serializer.instance, data=serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.cargo_company_delete(cargo_company=instance)


@extend_schema_view(get=extend_schema(summary="List cargo companies (sales channel)"))
class ChannelCargoListView(ChannelScopedMixin, OmnitronView, generics.ListAPIView):
    queryset = CargoCompany.objects.order_by("pk")
    serializer_class = serializers.CargoCompanySerializer
    filterset_class = filters.CargoCompanyFilter


@extend_schema_view(get=extend_schema(summary="Read a cargo company (sales channel)"))
class ChannelCargoDetailView(ChannelScopedMixin, OmnitronView, generics.RetrieveAPIView):
    queryset = CargoCompany.objects.all()
    serializer_class = serializers.CargoCompanySerializer
