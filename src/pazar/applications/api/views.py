"""Omnitron: applications (seed 003), their permission trees, and the app proxy (omnitron.md §3).

Writes go through `pazar.applications.services`, forwarding through `pazar.applications.proxy`.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import generics, serializers
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.response import Response
from rest_framework.views import APIView

from pazar.accounts.permissions import IsOperator
from pazar.accounts.sites import OmnitronView
from pazar.applications import proxy, selectors, services
from pazar.applications.api import filters
from pazar.applications.api.permissions import CanUseAppProxy, ProxySecretPermissions
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


# --- app proxy -------------------------------------------------------------------------------


class ProxyErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    code = serializers.CharField()


class FirstRendererNegotiation(BaseContentNegotiation):
    """The proxy relays any media type, so the caller's Accept header never makes a 406."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


def _error(description: str) -> OpenApiResponse:
    return OpenApiResponse(ProxyErrorSerializer, description=description)


PROXY_SCHEMA = {
    "parameters": [
        OpenApiParameter("application_id", OpenApiTypes.INT, OpenApiParameter.PATH),
        OpenApiParameter(
            "path",
            OpenApiTypes.STR,
            OpenApiParameter.PATH,
            description="The rest of the path (may contain `/`), appended to `config.web_url`.",
        ),
    ],
    "responses": {
        (200, "*/*"): OpenApiResponse(
            OpenApiTypes.BINARY,
            description="The application's answer relayed as it streams: its status, headers "
            "(not Set-Cookie) and body.",
        ),
        400: _error("The path has `.` or `..` segments."),
        401: _error("No Omnitron user token."),
        403: _error("The caller lacks `applications.view_application`."),
        404: _error("No such application, or inactive, or `is_proxy_available` is false."),
        411: _error("A chunked body on a server that cannot end it."),
        413: _error("The body is over PAZAR_APP_PROXY_MAX_BODY_BYTES."),
        502: _error("The application failed, or its address is private."),
        504: _error("The application did not answer in time."),
    },
    "description": "Forwards the method, path, query string, body and headers (not "
    "`Authorization` or `Cookie`) to the application's `config.web_url`, adding the signed "
    "`X-Pazar-User-Id`, `X-Pazar-Username`, `X-Pazar-Timestamp` and `X-Pazar-Signature` "
    "headers (docs/applications.md). Redirects are relayed, not followed. HEAD and OPTIONS "
    "are forwarded too.",
}
BODY = {"request": {"*/*": OpenApiTypes.BINARY}}


@extend_schema_view(
    get=extend_schema(operation_id="app_proxy_get", summary="App proxy (GET)", **PROXY_SCHEMA),
    post=extend_schema(
        operation_id="app_proxy_post", summary="App proxy (POST)", **BODY, **PROXY_SCHEMA
    ),
    put=extend_schema(
        operation_id="app_proxy_put", summary="App proxy (PUT)", **BODY, **PROXY_SCHEMA
    ),
    patch=extend_schema(
        operation_id="app_proxy_patch", summary="App proxy (PATCH)", **BODY, **PROXY_SCHEMA
    ),
    delete=extend_schema(
        operation_id="app_proxy_delete", summary="App proxy (DELETE)", **PROXY_SCHEMA
    ),
)
class AppProxyView(OmnitronView, APIView):
    """Any request under `/api/v1/app_proxy/{application_id}/`, forwarded to the application."""

    permission_classes = [IsOperator, CanUseAppProxy]
    content_negotiation_class = FirstRendererNegotiation

    @property
    def default_response_headers(self) -> dict:
        return {}  # DRF's `Allow` would overwrite the application's own

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        # A method the proxy does not forward (TRACE, CONNECT, …) is our own 405: it names
        # the methods it does forward, as RFC 9110 asks.
        if response.status_code == 405 and not response.has_header("Allow"):
            response["Allow"] = ", ".join(self.allowed_methods)
        return response

    def forward(self, request, application_id: str, path: str):
        application = selectors.proxy_application(application_id=int(application_id))
        return proxy.forward(
            request=request._request, application=application, user=request.user, path=path
        )

    def get(self, request, application_id, path):
        return self.forward(request, application_id, path)

    def post(self, request, application_id, path):
        return self.forward(request, application_id, path)

    def put(self, request, application_id, path):
        return self.forward(request, application_id, path)

    def patch(self, request, application_id, path):
        return self.forward(request, application_id, path)

    def delete(self, request, application_id, path):
        return self.forward(request, application_id, path)

    def head(self, request, application_id, path):
        return self.forward(request, application_id, path)

    def options(self, request, application_id, path):
        return self.forward(request, application_id, path)
