"""Omnitron: dynamic settings (omnitron.md §6, `MAX_IMAGE_DIMENSIONS`). Writes go through
`pazar.core.services`."""

from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.response import Response

from pazar.accounts.sites import OmnitronView
from pazar.core import services
from pazar.core.models import DynamicSetting
from pazar.sites.dynamic_settings.filters import DynamicSettingFilter
from pazar.sites.dynamic_settings.serializers import DynamicSettingSerializer

DIMENSIONS_EXAMPLE = OpenApiExample(
    "Largest product image",
    value={"key": "MAX_IMAGE_DIMENSIONS", "value": {"WIDTH": 2000, "HEIGHT": 2000}},
    request_only=True,
)


@extend_schema_view(
    get=extend_schema(summary="List stored dynamic settings"),
    post=extend_schema(
        summary="Set a dynamic setting",
        description="Creates the setting (201) or replaces its value (200). Known keys: "
        '`MAX_IMAGE_DIMENSIONS` (`{"WIDTH": int, "HEIGHT": int}`, 1–10000 each, default '
        "2000×2000). An unknown key or a value of the wrong shape is a 400.",
        examples=[DIMENSIONS_EXAMPLE],
        responses={200: DynamicSettingSerializer, 201: DynamicSettingSerializer},
    ),
)
class DynamicSettingListView(OmnitronView, generics.ListCreateAPIView):
    """Settings an operator changes at run time; a setting not listed has its default."""

    queryset = DynamicSetting.objects.order_by("key")
    serializer_class = DynamicSettingSerializer
    filterset_class = DynamicSettingFilter

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        setting, created = services.dynamic_setting_set(**serializer.validated_data)
        return Response(
            self.get_serializer(setting).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


@extend_schema_view(
    get=extend_schema(summary="Read a dynamic setting"),
    delete=extend_schema(
        summary="Delete a dynamic setting", description="The setting has its default again."
    ),
)
class DynamicSettingDetailView(OmnitronView, generics.RetrieveDestroyAPIView):
    queryset = DynamicSetting.objects.all()
    serializer_class = DynamicSettingSerializer

    def perform_destroy(self, instance):
        services.dynamic_setting_delete(setting=instance)
