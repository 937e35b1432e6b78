"""Omnitron: attributes, attribute values, category nodes and their attributes, pre-products.

Every write goes through `pazar.catalog.services`; the views only parse and serialize.
"""

from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import generics
from rest_framework.response import Response
from rest_framework.views import APIView

from pazar.accounts.permissions import IsOperator, OperatorModelPermissions
from pazar.api.sites import OmnitronView
from pazar.catalog import selectors, services
from pazar.catalog.api import filters, serializers
from pazar.catalog.models import Attribute, AttributeValue, Category, CategoryAttribute, Product


def _request_example(name: str, value: dict) -> OpenApiExample:
    return OpenApiExample(name, value=value, request_only=True)


# --- attributes ---------------------------------------------------------------------------

ATTRIBUTE_EXAMPLE = _request_example(
    "Dropdown attribute",
    {
        "key": "color",
        "name": "Color",
        "data_type": "dropdown",
        "is_localizable": False,
        "translations": {"tr-tr": {"name": "Renk"}},
    },
)


@extend_schema_view(
    get=extend_schema(summary="List attributes"),
    post=extend_schema(summary="Create an attribute", examples=[ATTRIBUTE_EXAMPLE]),
)
class AttributeListView(OmnitronView, generics.ListCreateAPIView):
    """Attribute definitions (omnitron.md §5). `key` is unique and stored upper-case."""

    queryset = Attribute.objects.order_by("pk")
    serializer_class = serializers.AttributeSerializer
    filterset_class = filters.AttributeFilter

    def perform_create(self, serializer):
        serializer.instance = services.attribute_create(**serializer.validated_data)


@extend_schema_view(
    get=extend_schema(operation_id="i1_attributes_list", summary="List attributes (i1)"),
    post=extend_schema(
        operation_id="i1_attributes_create",
        summary="Create an attribute (i1)",
        examples=[ATTRIBUTE_EXAMPLE],
    ),
)
class IntegrationAttributeListView(AttributeListView):
    """The ERP-integration (i1) path of the same attributes."""


@extend_schema_view(
    get=extend_schema(summary="Read an attribute"),
    put=extend_schema(summary="Replace an attribute"),
    patch=extend_schema(summary="Change an attribute"),
    delete=extend_schema(
        summary="Delete an attribute",
        description="Its values and category links are deleted with it.",
    ),
)
class AttributeDetailView(OmnitronView, generics.RetrieveUpdateDestroyAPIView):
    queryset = Attribute.objects.all()
    serializer_class = serializers.AttributeSerializer

    def perform_update(self, serializer):
        serializer.instance = services.attribute_update(
            attribute=serializer.instance, data=serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.attribute_delete(attribute=instance)


# --- attribute values ---------------------------------------------------------------------


@extend_schema_view(
    get=extend_schema(summary="List attribute values"),
    post=extend_schema(
        summary="Create an attribute value",
        description="`(attribute, value)` is unique.",
        examples=[
            _request_example(
                "Color value",
                {
                    "attribute": 1,
                    "label": "Red",
                    "value": "RD",
                    "order": 0,
                    "translations": {"tr-tr": {"label": "Kırmızı"}},
                },
            )
        ],
    ),
)
class AttributeValueListView(OmnitronView, generics.ListCreateAPIView):
    """The allowed values of choice attributes (omnitron.md §5)."""

    queryset = AttributeValue.objects.select_related("attribute").order_by("pk")
    serializer_class = serializers.AttributeValueSerializer
    filterset_class = filters.AttributeValueFilter

    def perform_create(self, serializer):
        serializer.instance = services.attribute_value_create(**serializer.validated_data)


@extend_schema_view(
    get=extend_schema(summary="Read an attribute value"),
    put=extend_schema(summary="Replace an attribute value"),
    patch=extend_schema(summary="Change an attribute value"),
    delete=extend_schema(summary="Delete an attribute value"),
)
class AttributeValueDetailView(OmnitronView, generics.RetrieveUpdateDestroyAPIView):
    queryset = AttributeValue.objects.select_related("attribute")
    serializer_class = serializers.AttributeValueSerializer

    def perform_update(self, serializer):
        serializer.instance = services.attribute_value_update(
            attribute_value=serializer.instance, data=serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.attribute_value_delete(attribute_value=instance)


# --- category nodes -----------------------------------------------------------------------


@extend_schema_view(
    get=extend_schema(
        summary="List category nodes",
        description="A flat list of the category tree; `parent__isnull=true` gives the roots.",
    ),
    post=extend_schema(
        summary="Create a category node",
        examples=[
            _request_example(
                "T-Shirts under Men",
                {
                    "name": "T-Shirts",
                    "code": "men-t-shirts",
                    "parent": 2,
                    "order": 0,
                    "translations": {"tr-tr": {"name": "Tişörtler"}},
                },
            )
        ],
    ),
)
class CategoryNodeListView(OmnitronView, generics.ListCreateAPIView):
    """The marketplace's category tree, node by node (our design; omnitron.md §9).

    The same categories are the Seller Center's (`uuid` is their `id` there).
    """

    queryset = Category.objects.order_by("pk")
    serializer_class = serializers.CategoryNodeSerializer
    filterset_class = filters.CategoryNodeFilter

    def perform_create(self, serializer):
        serializer.instance = services.category_create(**serializer.validated_data)


@extend_schema_view(
    get=extend_schema(summary="Read a category node"),
    put=extend_schema(summary="Replace a category node"),
    patch=extend_schema(summary="Change or move a category node"),
    delete=extend_schema(
        summary="Delete a category node",
        description="Only a node without subcategories and products can be deleted (400 else).",
    ),
)
class CategoryNodeDetailView(OmnitronView, generics.RetrieveUpdateDestroyAPIView):
    queryset = Category.objects.all()
    serializer_class = serializers.CategoryNodeSerializer

    def perform_update(self, serializer):
        serializer.instance = services.category_update(
            category=serializer.instance, data=serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.category_delete(category=instance)


# --- category attributes ------------------------------------------------------------------


@extend_schema_view(
    get=extend_schema(summary="List category attributes"),
    post=extend_schema(
        summary="Attach an attribute to a category",
        description="`(category, attribute)` is unique. Subcategories inherit the link.",
        examples=[
            _request_example(
                "Required variant attribute",
                {"category": 3, "attribute": 1, "is_required": True, "is_variant": True},
            )
        ],
    ),
)
class CategoryAttributeListView(OmnitronView, generics.ListCreateAPIView):
    """Which attributes the products of a category carry, and how (our design)."""

    queryset = CategoryAttribute.objects.order_by("pk")
    serializer_class = serializers.CategoryAttributeSerializer
    filterset_class = filters.CategoryAttributeFilter

    def perform_create(self, serializer):
        serializer.instance = services.category_attribute_create(**serializer.validated_data)


@extend_schema_view(
    get=extend_schema(summary="Read a category attribute"),
    put=extend_schema(summary="Replace a category attribute"),
    patch=extend_schema(summary="Change a category attribute"),
    delete=extend_schema(summary="Detach an attribute from a category"),
)
class CategoryAttributeDetailView(OmnitronView, generics.RetrieveUpdateDestroyAPIView):
    queryset = CategoryAttribute.objects.all()
    serializer_class = serializers.CategoryAttributeSerializer

    def perform_update(self, serializer):
        serializer.instance = services.category_attribute_update(
            link=serializer.instance, data=serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.category_attribute_delete(link=instance)


# --- pre-products: the approval queue of sellers' products ----------------------------------


class ApprovalPermissions(OperatorModelPermissions):
    """Approving or rejecting is changing the product (`catalog.change_product`)."""

    perms_map = {
        **OperatorModelPermissions.perms_map,
        "POST": ["%(app_label)s.change_%(model_name)s"],
    }


class PreProductMixin(OmnitronView):
    serializer_class = serializers.PreProductSerializer

    def get_queryset(self):
        return selectors.pre_product_list()


@extend_schema_view(
    get=extend_schema(
        summary="List pre-products",
        description="Sellers' products waiting for approval (new ones, and approved ones with a "
        "pending change). Filter `approval_status` to list approved or rejected ones.",
    )
)
class PreProductListView(PreProductMixin, generics.ListAPIView):
    """The approval queue of sellers' products (omnitron.md §4, pre-products)."""

    filterset_class = filters.PreProductFilter


@extend_schema_view(
    get=extend_schema(operation_id="i1_pre_products_list", summary="List pre-products (i1)")
)
class IntegrationPreProductListView(PreProductListView):
    """The ERP-integration (i1) path of the same queue."""


class PreProductDetailView(PreProductMixin, generics.RetrieveAPIView):
    """One of the sellers' products; PATCH `{"approved": true}` productizes it."""

    @extend_schema(summary="Read a pre-product")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        summary="Approve a pre-product",
        request=serializers.PreProductApproveSerializer,
        responses={200: serializers.PreProductSerializer},
        examples=[_request_example("Approve", {"approved": True})],
    )
    def patch(self, request, pk):
        product = self.get_object()
        body = serializers.PreProductApproveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.pre_product_approve(product=product, actor=request.user)
        return Response(self.get_serializer(self.get_object()).data)


class PreProductApproveView(PreProductMixin, generics.GenericAPIView):
    permission_classes = [IsOperator, ApprovalPermissions]

    @extend_schema(
        operation_id="pre_products_approve",
        summary="Approve a pre-product",
        description="A new product goes live; a pending change is applied to the product.",
        request=None,
        responses={200: serializers.PreProductSerializer},
    )
    def post(self, request, pk):
        services.pre_product_approve(product=self.get_object(), actor=request.user)
        return Response(self.get_serializer(self.get_object()).data)


class PreProductRejectView(PreProductMixin, generics.GenericAPIView):
    permission_classes = [IsOperator, ApprovalPermissions]

    @extend_schema(
        operation_id="pre_products_reject",
        summary="Reject a pre-product",
        description="An approved product keeps its approved data; its pending change is dropped.",
        request=serializers.RejectSerializer,
        responses={200: serializers.PreProductSerializer},
        examples=[_request_example("Reject", {"reason": "Images are missing."})],
    )
    def post(self, request, pk):
        product = self.get_object()
        body = serializers.RejectSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.pre_product_reject(product=product, actor=request.user, **body.validated_data)
        return Response(self.get_serializer(self.get_object()).data)


class PreProductBulkApproveView(OmnitronView, APIView):
    permission_classes = [IsOperator, ApprovalPermissions]
    queryset = Product.objects.all()

    @extend_schema(
        operation_id="pre_products_bulk_approve",
        summary="Approve pre-products",
        description="Unknown ids are a 400 naming them; ids not waiting for approval are "
        "left alone and listed in `not_pending`.",
        request=serializers.BulkDecisionSerializer,
        responses={200: serializers.BulkApprovedSerializer},
        examples=[
            _request_example("Approve", {"ids": [11, 12, 13]}),
            OpenApiExample(
                "Approved", value={"approved": 2, "not_pending": [13]}, response_only=True
            ),
        ],
    )
    def post(self, request):
        body = serializers.BulkDecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        outcome = services.pre_products_approve(ids=body.validated_data["ids"], actor=request.user)
        return Response({"approved": outcome.decided, "not_pending": outcome.not_pending})


class PreProductBulkRejectView(OmnitronView, APIView):
    permission_classes = [IsOperator, ApprovalPermissions]
    queryset = Product.objects.all()

    @extend_schema(
        operation_id="pre_products_bulk_reject",
        summary="Reject pre-products",
        request=serializers.BulkRejectSerializer,
        responses={200: serializers.BulkRejectedSerializer},
        examples=[
            _request_example("Reject", {"ids": [11, 12], "reason": "Images are missing."}),
            OpenApiExample(
                "Rejected", value={"rejected": 2, "not_pending": []}, response_only=True
            ),
        ],
    )
    def post(self, request):
        body = serializers.BulkRejectSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        outcome = services.pre_products_reject(actor=request.user, **body.validated_data)
        return Response({"rejected": outcome.decided, "not_pending": outcome.not_pending})
