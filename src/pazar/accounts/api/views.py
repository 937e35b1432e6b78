from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from pazar.accounts import selectors, services
from pazar.accounts.api import serializers
from pazar.accounts.api.filters import (
    AccessTokenFilter,
    GroupFilter,
    PermissionFilter,
    SellerFilter,
    UserFilter,
)
from pazar.accounts.models import Seller, SellerAccessToken
from pazar.accounts.permissions import IsOperator, UserModelPermissions
from pazar.accounts.sites import OmnitronView, SellerCenterView, WhippyWareView


class LoginView(APIView):
    """Operator login of Omnitron (seed 000) and Whippy Ware (seed 001)."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes: list = []  # the login limits are the service's (pazar.accounts.logins)
    login_limited = True  # …which answer 429 (documented by pazar.api.schema)

    @extend_schema(
        request=serializers.LoginSerializer,
        responses={200: serializers.LoginResponseSerializer},
        examples=[
            OpenApiExample(
                "Login", value={"username": "test", "password": "test_pass"}, request_only=True
            ),
            OpenApiExample(
                "Token",
                value={"key": "f532e1c4a1d94e4c8d0f2e6b201a7c2f9332d0a1"},
                response_only=True,
            ),
        ],
    )
    def post(self, request):
        serializer = serializers.LoginSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        token = services.operator_login(
            **serializer.validated_data, address=request.META.get("REMOTE_ADDR", "")
        )
        return Response({"key": token.key})


@extend_schema_view(post=extend_schema(operation_id="auth_login_i1_create"))
class IntegrationLoginView(LoginView):
    """Omnitron's ERP-integration (i1) login: the same operator login."""


class ExpireTokenView(WhippyWareView, APIView):
    """Whippy Ware: expire a user's token; it stops working at once."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=serializers.ExpireTokenSerializer,
        responses={204: None},
        examples=[OpenApiExample("Expire", value={"username": "test"}, request_only=True)],
    )
    def post(self, request):
        serializer = serializers.ExpireTokenSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.operator_token_expire(actor=request.user, **serializer.validated_data)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ActiveUserView(OmnitronView, APIView):
    """The operator the token belongs to."""

    permission_classes = [IsOperator]

    @extend_schema(responses={200: serializers.ActiveUserSerializer})
    def get(self, request):
        return Response(serializers.ActiveUserSerializer(request.user).data)


class TokenObtainView(APIView):
    """Seller Center (legacy i1): a seller user's email and password → a session token."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes: list = []  # the login limits are the service's (pazar.accounts.logins)
    login_limited = True  # …which answer 429 (documented by pazar.api.schema)

    @extend_schema(
        request=serializers.TokenObtainSerializer,
        responses={200: serializers.TokenObtainResponseSerializer},
    )
    def post(self, request):
        serializer = serializers.TokenObtainSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        _, key = services.seller_session_obtain(
            **serializer.validated_data, address=request.META.get("REMOTE_ADDR", "")
        )
        return Response({"access": key})


class SellerAccessTokensMixin(SellerCenterView):
    throttle_family = "access-tokens"
    serializer_class = serializers.AccessTokenSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no caller
            return SellerAccessToken.objects.none()
        return selectors.seller_access_token_list(seller=self.request.auth.seller)


class AccessTokenListView(SellerAccessTokensMixin, generics.ListCreateAPIView):
    """The seller's access tokens (Settings → Access Tokens); the key is shown once, at creation."""

    filterset_class = AccessTokenFilter

    @extend_schema(
        request=serializers.AccessTokenCreateSerializer,
        responses={201: serializers.AccessTokenCreatedSerializer},
    )
    def post(self, request):
        serializer = serializers.AccessTokenCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        token, key = services.seller_access_token_create(
            actor=request.user, **serializer.validated_data
        )
        token.key = key
        body = serializers.AccessTokenCreatedSerializer(token).data
        return Response(body, status=status.HTTP_201_CREATED)


class AccessTokenDetailView(SellerAccessTokensMixin, generics.RetrieveDestroyAPIView):
    """One access token; DELETE revokes it (irreversibly) and keeps it listed as Expired."""

    def perform_destroy(self, instance):
        services.seller_access_token_revoke(actor=self.request.user, token=instance)


# --- Omnitron: sellers (our design) -------------------------------------------------------


@extend_schema_view(get=extend_schema(summary="List sellers"))
class SellerListView(OmnitronView, generics.ListCreateAPIView):
    """The marketplace's sellers; creating one also creates its first admin user."""

    queryset = Seller.objects.order_by("name")
    serializer_class = serializers.SellerSerializer
    filterset_class = SellerFilter

    @extend_schema(
        summary="Create a seller and its first admin user",
        request=serializers.SellerCreateSerializer,
        responses={201: serializers.SellerSerializer},
        examples=[
            OpenApiExample(
                "Seller",
                value={
                    "name": "Acme Textiles",
                    "username": "acme-admin",
                    "password": "a long passphrase",
                    "email": "admin@acme.example",
                },
                request_only=True,
            )
        ],
    )
    def post(self, request):
        body = serializers.SellerCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        membership = services.seller_create(**body.validated_data)
        return Response(
            serializers.SellerSerializer(membership.seller).data, status=status.HTTP_201_CREATED
        )


@extend_schema_view(
    get=extend_schema(summary="Read a seller"),
    patch=extend_schema(
        summary="Change a seller",
        description="`is_active=false` stops the seller's tokens at once. "
        "`callback_secret` is write-only.",
    ),
)
class SellerDetailView(OmnitronView, generics.RetrieveUpdateAPIView):
    queryset = Seller.objects.all()
    serializer_class = serializers.SellerSerializer
    http_method_names = ["get", "patch", "head", "options"]

    def perform_update(self, serializer):
        serializer.instance = services.seller_update(
            seller=serializer.instance, data=serializer.validated_data
        )


# --- Omnitron: users, groups and permissions (omnitron.md §10) ----------------------------

USER_EXAMPLE = OpenApiExample(
    "Operator",
    value={
        "username": "catalog-editor",
        "email": "editor@example.com",
        "first_name": "Ayşe",
        "last_name": "Yılmaz",
        "password": "a long passphrase",
        "groups": [1],
        "user_permissions": ["catalog.view_product"],
    },
    request_only=True,
)
GROUP_EXAMPLE = OpenApiExample(
    "Catalog editors",
    value={
        "name": "Catalog editors",
        "permissions": ["catalog.view_product", "catalog.change_product"],
    },
    request_only=True,
)
USER_RULES = (
    "Seller users are not Omnitron users: they are not listed and are a 404 here. Only a "
    "superuser grants `is_superuser` or changes a superuser, and a non-superuser manages only "
    "users whose permissions (their own and their groups') they hold themselves (else 403). "
    "The last active superuser cannot be deactivated or lose `is_superuser` (409 "
    "`last_active_superuser`), and nobody deactivates themselves (403 `self_deactivation`)."
)


class OperatorUsersMixin(OmnitronView):
    permission_classes = [IsOperator, UserModelPermissions]
    serializer_class = serializers.UserSerializer

    def get_queryset(self):
        return selectors.operator_user_list()


@extend_schema_view(
    get=extend_schema(summary="List users", description=USER_RULES),
    post=extend_schema(summary="Create a user", description=USER_RULES, examples=[USER_EXAMPLE]),
)
class UserListView(OperatorUsersMixin, generics.ListCreateAPIView):
    """Omnitron's users (staff and superusers); `password` is write-only."""

    filterset_class = UserFilter

    def perform_create(self, serializer):
        serializer.instance = services.operator_user_create(
            actor=self.request.user, **serializer.validated_data
        )


@extend_schema_view(
    get=extend_schema(summary="Read a user", description=USER_RULES),
    put=extend_schema(summary="Replace a user", description=USER_RULES, examples=[USER_EXAMPLE]),
    patch=extend_schema(
        summary="Change a user",
        description=f"{USER_RULES} A new password or `is_active=false` deletes the user's token.",
    ),
    delete=extend_schema(
        summary="Deactivate a user",
        description="Sets `is_active=false` (needs `auth.change_user`); the user stays listed "
        "and their token stops working at once. Refused for one's own account (403 "
        "`self_deactivation`) and for the last active superuser (409 `last_active_superuser`).",
    ),
)
class UserDetailView(OperatorUsersMixin, generics.RetrieveUpdateDestroyAPIView):
    serializer_class = serializers.UserChangeSerializer

    def perform_update(self, serializer):
        serializer.instance = services.operator_user_update(
            actor=self.request.user, user=serializer.instance, data=serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.operator_user_deactivate(actor=self.request.user, user=instance)


@extend_schema_view(
    get=extend_schema(summary="List groups"),
    post=extend_schema(summary="Create a group", examples=[GROUP_EXAMPLE]),
)
class GroupListView(OmnitronView, generics.ListCreateAPIView):
    """Groups of permissions; a user holds the permissions of each of their groups."""

    queryset = selectors.group_list()
    serializer_class = serializers.GroupSerializer
    filterset_class = GroupFilter

    def perform_create(self, serializer):
        serializer.instance = services.group_create(
            actor=self.request.user, **serializer.validated_data
        )


@extend_schema_view(
    get=extend_schema(summary="Read a group"),
    put=extend_schema(summary="Replace a group", examples=[GROUP_EXAMPLE]),
    patch=extend_schema(summary="Rename a group or replace its permissions"),
    delete=extend_schema(
        summary="Delete a group", description="Its users lose its permissions and stay."
    ),
)
class GroupDetailView(OmnitronView, generics.RetrieveUpdateDestroyAPIView):
    queryset = selectors.group_list()
    serializer_class = serializers.GroupSerializer

    def perform_update(self, serializer):
        serializer.instance = services.group_update(
            actor=self.request.user, group=serializer.instance, data=serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.group_delete(actor=self.request.user, group=instance)


@extend_schema_view(get=extend_schema(summary="List the permissions users and groups can hold"))
class PermissionListView(OmnitronView, generics.ListAPIView):
    """Every permission there is, named `app_label.codename` in users and groups."""

    queryset = selectors.permission_list()
    serializer_class = serializers.PermissionSerializer
    filterset_class = PermissionFilter
