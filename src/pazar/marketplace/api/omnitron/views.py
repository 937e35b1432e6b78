"""Omnitron: the marketplace settings (our design). Writes go through the marketplace services."""

from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import generics

from pazar.accounts.sites import OmnitronView
from pazar.marketplace.api.omnitron.serializers import MarketplaceSettingsSerializer
from pazar.marketplace.models import MarketplaceSettings
from pazar.marketplace.services.settings import (
    marketplace_settings_get,
    marketplace_settings_update,
)


@extend_schema_view(
    get=extend_schema(summary="Read the marketplace settings"),
    patch=extend_schema(
        summary="Change the marketplace settings",
        examples=[
            OpenApiExample("Auto-approve", value={"auto_approve_products": True}, request_only=True)
        ],
    ),
)
class MarketplaceSettingsView(OmnitronView, generics.RetrieveUpdateAPIView):
    """`auto_approve_products`: sellers' new products and changes go live without an operator."""

    queryset = MarketplaceSettings.objects.all()
    serializer_class = MarketplaceSettingsSerializer
    http_method_names = ["get", "patch", "head", "options"]

    def get_object(self):
        marketplace_settings = marketplace_settings_get()
        self.check_object_permissions(self.request, marketplace_settings)
        return marketplace_settings

    def perform_update(self, serializer):
        serializer.instance = marketplace_settings_update(data=serializer.validated_data)
