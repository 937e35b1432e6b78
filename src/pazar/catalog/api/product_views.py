"""Omnitron: products (i1 and v1) and pre-products, the approval queue (omnitron.md §4).

Every write goes through `pazar.catalog.services`; the views only parse and serialize.
"""

from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from pazar.accounts.permissions import IsOperator, OperatorModelPermissions
from pazar.accounts.sites import OmnitronView
from pazar.catalog import selectors, services
from pazar.catalog.api import filters, serializers
from pazar.catalog.api.product_serializers import (
    PreProductUpdateSerializer,
    PreProductWriteSerializer,
    ProductSerializer,
)
from pazar.catalog.api.views import request_example
from pazar.catalog.models import Product

PRODUCT_EXAMPLE = request_example(
    "A variant by SKU",
    {
        "name": "Red T-shirt, S",
        "sku": "TSHIRT-RD-S",
        "base_code": "TSHIRT",
        "product_type": "0",
        "attribute_set": 4,
        "attributes": {"COLOR": "RD", "SIZE": "S"},
        "is_active": True,
    },
)

# --- products -----------------------------------------------------------------------------


class ProductMixin(OmnitronView):
    serializer_class = ProductSerializer

    def get_queryset(self):
        return selectors.product_list()


@extend_schema_view(
    get=extend_schema(
        summary="List products",
        description="The approved products of the catalog, the operator's own and sellers' "
        "alike (pre-products are listed under pre_products). Filter JSON keys with "
        "`attributes__<key>=<value>` (also `attributes_kwargs`, `localized_attributes`, "
        "`localized_attributes_kwargs`, `extra_attributes`; `__<lookup>` such as `__in`, "
        "`__icontains`, `__gte` may follow).",
    ),
    post=extend_schema(
        summary="Create a product",
        description="An operator's product, approved at once. `sku` is unique among the "
        "operator's products; attributes are checked against the attribute set(s).",
        examples=[PRODUCT_EXAMPLE],
    ),
)
class ProductListView(ProductMixin, generics.ListCreateAPIView):
    """Products (omnitron.md §4), addressed by id; i1 serves the same list."""

    filterset_class = filters.ProductFilter

    def perform_create(self, serializer):
        serializer.instance = services.product_create(**serializer.validated_data)


@extend_schema_view(
    get=extend_schema(operation_id="i1_products_list", summary="List products (i1)"),
    post=extend_schema(
        operation_id="i1_products_create",
        summary="Create a product (i1)",
        examples=[PRODUCT_EXAMPLE],
    ),
)
class IntegrationProductListView(ProductListView):
    """The ERP-integration (i1) path: find a product by SKU with `?sku=`."""


@extend_schema_view(
    get=extend_schema(summary="Read a product"),
    patch=extend_schema(
        summary="Change a product",
        description="Any of the writable fields; always bumps `modified_date`. Attributes are "
        "checked again when they, the attribute sets or the type change. A seller's product "
        "keeps its SKU.",
        examples=[request_example("Rename", {"name": "Red T-shirt (cotton), S"})],
    ),
)
class ProductDetailView(ProductMixin, generics.RetrieveUpdateAPIView):
    http_method_names = ["get", "patch", "head", "options"]

    def perform_update(self, serializer):
        serializer.instance = services.product_update(
            product=serializer.instance, data=serializer.validated_data
        )


# --- pre-products: the approval queue -----------------------------------------------------


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

    def respond(self, product: Product, status_code: int = status.HTTP_200_OK) -> Response:
        # Read again, outside the queue: a productized pre-product of the operator has left it.
        product = Product.objects.select_related("seller").get(pk=product.pk)
        return Response(self.get_serializer(product).data, status=status_code)


@extend_schema_view(
    get=extend_schema(
        summary="List pre-products",
        description="Sellers' products waiting for approval (new ones, and approved ones with a "
        "pending change) and the operator's pre-products (types `5` pre_product and `6` "
        "pre_miscellaneous). Filter `approval_status` to list approved or rejected ones.",
    ),
    post=extend_schema(
        summary="Create a pre-product",
        description="An operator's product waiting for approval; approving it productizes it.",
        request=PreProductWriteSerializer,
        responses={201: serializers.PreProductSerializer},
        examples=[
            request_example(
                "Raw ERP item", {"name": "Tote bag", "sku": "BAG-1", "product_type": "6"}
            )
        ],
    ),
)
class PreProductListView(PreProductMixin, generics.ListCreateAPIView):
    """The approval queue (omnitron.md §4, pre-products)."""

    filterset_class = filters.PreProductFilter

    def create(self, request, *args, **kwargs):
        body = PreProductWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        product = services.pre_product_create(**body.validated_data)
        return self.respond(product, status.HTTP_201_CREATED)


@extend_schema_view(
    get=extend_schema(operation_id="i1_pre_products_list", summary="List pre-products (i1)"),
    post=extend_schema(
        operation_id="i1_pre_products_create",
        summary="Create a pre-product (i1)",
        request=PreProductWriteSerializer,
        responses={201: serializers.PreProductSerializer},
    ),
)
class IntegrationPreProductListView(PreProductListView):
    """The ERP-integration (i1) path of the same queue."""


class PreProductDetailView(PreProductMixin, generics.RetrieveAPIView):
    """One pre-product; PATCH changes it and, with `{"approved": true}`, productizes it."""

    @extend_schema(summary="Read a pre-product")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        summary="Change or approve a pre-product",
        description="Product fields are saved first; `approved: true` then productizes the "
        "pre-product (pre_product → simple, pre_miscellaneous → miscellaneous), all or "
        "nothing. `run_product_mapping` is accepted and has no effect.",
        request=PreProductUpdateSerializer,
        responses={200: serializers.PreProductSerializer},
        examples=[request_example("Approve", {"approved": True})],
    )
    def patch(self, request, pk):
        product = self.get_object()
        body = PreProductUpdateSerializer(instance=product, data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        approved = data.pop("approved", None)
        data.pop("run_product_mapping", None)
        product = services.pre_product_update(
            product=product, data=data, actor=request.user, approved=approved
        )
        return self.respond(product)


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
        product = services.pre_product_approve(product=self.get_object(), actor=request.user)
        return self.respond(product)


class PreProductRejectView(PreProductMixin, generics.GenericAPIView):
    permission_classes = [IsOperator, ApprovalPermissions]

    @extend_schema(
        operation_id="pre_products_reject",
        summary="Reject a pre-product",
        description="An approved product keeps its approved data; its pending change is dropped.",
        request=serializers.RejectSerializer,
        responses={200: serializers.PreProductSerializer},
        examples=[request_example("Reject", {"reason": "Images are missing."})],
    )
    def post(self, request, pk):
        product = self.get_object()
        body = serializers.RejectSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        product = services.pre_product_reject(
            product=product, actor=request.user, **body.validated_data
        )
        return self.respond(product)


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
            request_example("Approve", {"ids": [11, 12, 13]}),
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
            request_example("Reject", {"ids": [11, 12], "reason": "Images are missing."}),
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
