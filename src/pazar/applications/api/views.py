"""Omnitron: applications (seed 003) and their permission trees (omnitron.md §3).

Writes go through `pazar.applications.services`.
"""

from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import generics
from rest_framework.response import Response

from pazar.accounts.permissions import IsOperator
from pazar.api.sites import OmnitronView
from pazar.applications import services
from pazar.applications.api import filters
from pazar.applications.api.permissions import ProxySecretPermissions
from pazar.applications.api.serializers import (
    ApplicationPermissionSerializer,
    ApplicationProxySecretSerializer,
    ApplicationSerializer,
)
from pazar.applications.models import Application, ApplicationPermission

# The seed's own example body (client `id` and dates are ignored).
APPLICATION_EXAMPLE = OpenApiExample(
    "Sales channel application",
    value={
        "id": 1,
        "name": "Test Application",
        "application_type": "sales-channel",
        "config": {
            "web_url": "https://application-test.akinon.net/",
            "visible_type": "empty",
            "client_path": "test/path",
        },
        "is_active": True,
        "remote_object_id": 1234,
        "created_by": 5,
        "is_visible": False,
        "is_proxy_available": True,
        "related_application_id": "app-4567",
        "created_date": "2024-01-01T12:00:00Z",
        "modified_date": "2024-01-02T12:00:00Z",
    },
    request_only=True,
)


@extend_schema_view(
    get=extend_schema(summary="List applications"),
    post=extend_schema(
        summary="Create an application",
        description="`created_by` is the caller's user id unless given; `id`, `created_date` and "
        "`modified_date` are the server's (values sent for them are ignored).",
        examples=[APPLICATION_EXAMPLE],
    ),
)
class ApplicationListView(OmnitronView, generics.ListCreateAPIView):
    """Applications that extend the platform: sales channels, extensions, UI plugins."""

    queryset = Application.objects.order_by("pk")
    serializer_class = ApplicationSerializer
    filterset_class = filters.ApplicationFilter

    def perform_create(self, serializer):
        serializer.instance = services.application_create(
            actor=self.request.user, **serializer.validated_data
        )


@extend_schema_view(
    get=extend_schema(summary="Read an application"),
    put=extend_schema(summary="Update an application", examples=[APPLICATION_EXAMPLE]),
    patch=extend_schema(summary="Partially update an application", examples=[APPLICATION_EXAMPLE]),
    delete=extend_schema(
        summary="Soft delete an application",
        description="Sets `is_active=false` (204); the application stays readable and filterable, "
        "and the app proxy answers 404 for it.",
    ),
)
class ApplicationDetailView(OmnitronView, generics.RetrieveUpdateDestroyAPIView):
    queryset = Application.objects.all()
    serializer_class = ApplicationSerializer

    def perform_update(self, serializer):
        serializer.instance = services.application_update(
            application=serializer.instance, data=serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.application_deactivate(application=instance)


@extend_schema_view(
    get=extend_schema(
        summary="Read an application's proxy signing key",
        description="The key of the `X-Pazar-Signature` HMAC on app-proxy requests "
        "(docs/applications.md). Needs `applications.change_application`.",
    ),
    post=extend_schema(
        summary="Rotate an application's proxy signing key",
        description="Requests signed with the old key stop verifying at once. Needs "
        "`applications.change_application`.",
        request=None,
    ),
)
class ApplicationProxySecretView(OmnitronView, generics.GenericAPIView):
    """Pazar's own addition: the key an application verifies proxied requests with."""

    permission_classes = [IsOperator, ProxySecretPermissions]
    queryset = Application.objects.all()
    serializer_class = ApplicationProxySecretSerializer

    def get(self, request, pk):
        return Response(self.get_serializer(self.get_object()).data)

    def post(self, request, pk):
        application = services.application_proxy_secret_rotate(application=self.get_object())
        return Response(self.get_serializer(application).data)


# --- application permissions -----------------------------------------------------------------

PERMISSION_EXAMPLE = OpenApiExample(
    "Update button under a menu",
    value={
        "name": "Update orders",
        "path": "/orders",
        "label": "update",
        "parent": 1,
        "application": 1,
    },
    request_only=True,
)


@extend_schema_view(
    get=extend_schema(summary="List application permissions"),
    post=extend_schema(summary="Create an application permission", examples=[PERMISSION_EXAMPLE]),
)
class ApplicationPermissionListView(OmnitronView, generics.ListCreateAPIView):
    """Each application's tree of named permissions; `parent` is in the same application."""

    queryset = ApplicationPermission.objects.order_by("pk")
    serializer_class = ApplicationPermissionSerializer
    filterset_class = filters.ApplicationPermissionFilter

    def perform_create(self, serializer):
        serializer.instance = services.application_permission_create(**serializer.validated_data)


@extend_schema_view(
    get=extend_schema(summary="Read an application permission"),
    put=extend_schema(summary="Update an application permission"),
    patch=extend_schema(summary="Partially update an application permission"),
    delete=extend_schema(
        summary="Delete an application permission",
        description="Its descendants are deleted with it.",
    ),
)
class ApplicationPermissionDetailView(OmnitronView, generics.RetrieveUpdateDestroyAPIView):
    queryset = ApplicationPermission.objects.select_related("application", "parent")
    serializer_class = ApplicationPermissionSerializer

    def perform_update(self, serializer):
        serializer.instance = services.application_permission_update(
            permission=serializer.instance, data=serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.application_permission_delete(permission=instance)
