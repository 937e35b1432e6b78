from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from pazar.accounts.sites import SellerCenterView
from pazar.batches.models import BatchKind
from pazar.batches.services import batch_accept
from pazar.catalog import search
from pazar.catalog.models import Category, Product
from pazar.catalog.selectors import category_rules, category_tree
from pazar.inventory.models import StockList
from pazar.languages.negotiation import request_language
from pazar.marketplace import selectors
from pazar.marketplace.api import serializers
from pazar.marketplace.api.filters import PriceListFilter, ProductFilter, StockListFilter
from pazar.marketplace.envelope import validate_envelope
from pazar.pricing.models import PriceList

ACCEPTED = {202: serializers.BatchAcceptedSerializer}
ACCEPTED_EXAMPLE = OpenApiExample(
    "Accepted",
    value={"batch_request_id": "4b306686-cabb-4dd4-bf28-31679957c229"},
    response_only=True,
    status_codes=["202"],
)


PRODUCT_ROW = {
    "sku": "TEE-RED-M",
    "base_code": "TEE-RED",
    "name": "Organic cotton tee",
    "category": "2f0a3c5e-6b1d-4a6f-9c2e-1d7b3e4f5a60",
    "attributes": {"COLOR": "R", "SIZE": "M"},
    "prices": [
        {
            "price_list": "9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a",
            "price": "199.90",
            "retail_price": "249.90",
            "currency_type": "TRY",
            "tax_rate": "0.20",
        }
    ],
    "stocks": [{"stock_list": "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", "stock": "25"}],
}
PRICE_ROW = {
    "sku": "TEE-RED-M",
    "price_list": "9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a",
    "price": "179.90",
    "retail_price": "249.90",
    "currency_type": "TRY",
    "tax_rate": "0.20",
}
STOCK_ROW = {
    "sku": "TEE-RED-M",
    "stock_list": "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
    "stock": "12",
}
QUEUED = (
    " The rows are checked and applied in the background as one batch request: the answer is "
    "its id (202); follow it with `GET /api/i1/batch-requests/{id}/`, and read the rows that "
    "failed, with their errors and codes, in its error file."
)


def request_example(name: str, value) -> OpenApiExample:
    return OpenApiExample(name, value=value, request_only=True)


class CategoryTreeView(SellerCenterView, APIView):
    """CTG101: the whole category tree, unpaginated."""

    throttle_family = "categories"

    @extend_schema(
        operation_id="CTG101_categories",
        responses={200: serializers.CategoryNodeSerializer(many=True)},
    )
    def get(self, request):
        language = request_language(request)
        return Response([serializers.category_node(node, language) for node in category_tree()])


class CategoryAttributesView(SellerCenterView, APIView):
    """CTG102: the attributes (and allowed values) of products in one category."""

    throttle_family = "categories"

    @extend_schema(
        operation_id="CTG102_category_attributes",
        responses={200: serializers.CategoryAttributeSerializer(many=True)},
    )
    def get(self, request, id):
        category = Category.objects.filter(uuid=id).first()
        if category is None:
            raise NotFound()
        language = request_language(request)
        rules = category_rules([category])[category.pk]
        return Response([serializers.category_attribute(rule, language) for rule in rules.values()])


class PriceListView(SellerCenterView, generics.ListAPIView):
    """PLI01: the price lists this seller may price products in."""

    throttle_family = "price-lists"
    serializer_class = serializers.PriceListSerializer
    filterset_class = PriceListFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return PriceList.objects.none()
        return selectors.seller_price_lists(seller=self.request.auth.seller)


class StockListView(SellerCenterView, generics.ListAPIView):
    """The stock lists this seller may keep stock in."""

    throttle_family = "stock-lists"
    serializer_class = serializers.StockListSerializer
    filterset_class = StockListFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return StockList.objects.none()
        return selectors.seller_stock_lists(seller=self.request.auth.seller)


class BatchAcceptMixin:
    """Check the envelope, store the body as the request file, queue the batch: 202."""

    rows_checked_later = True  # each row is checked by the worker (pazar.api.schema)

    def accept(self, request, kind: str) -> Response:
        body = request._request.body  # the request file keeps the body exactly as it was sent
        rows = validate_envelope(request.data, kind=kind)
        batch = batch_accept(
            seller=request.auth.seller,
            kind=kind,
            body=body,
            rows=rows,
            language=request_language(request),
        )
        return Response({"batch_request_id": str(batch.id)}, status=status.HTTP_202_ACCEPTED)


class ProductsView(SellerCenterView, BatchAcceptMixin, generics.ListAPIView):
    # Each operation (PRD102 list, PRD101 upsert, PRD103 delete) has its own summary and
    # description below; a docstring here would be the description of all three.

    throttle_family = "products"
    serializer_class = serializers.ProductSerializer
    filterset_class = ProductFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Product.objects.none()
        return selectors.seller_products(seller=self.request.auth.seller)

    @extend_schema(
        operation_id="PRD102_products_list",
        summary="List your products",
        description=(
            "Your products, live or waiting for approval, with their prices and stocks; "
            "filtered and paginated."
        ),
    )
    def get(self, request, *args, **kwargs):
        seller, params = request.auth.seller, self.paginator.filter_params(request)
        self.paginator.count_of = lambda queryset: selectors.seller_product_count(
            seller=seller,
            queryset=queryset,
            params=params,
            counted=ProductFilter(
                request.query_params, queryset=queryset, request=request
            ).counted_filter(),
        )
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        context = {"offers": selectors.offers_of(products=page)}
        return self.get_paginated_response(
            self.get_serializer(page, many=True, context=context).data
        )

    @extend_schema(
        operation_id="PRD101_products_upsert",
        summary="Create or update products",
        description=(
            "Creates the products whose SKU you have not used yet and proposes changes to the "
            "others; new products and changes wait for the marketplace's approval. Fields left "
            "out keep their stored values." + QUEUED
        ),
        request=serializers.ProductWriteSerializer(many=True),
        responses=ACCEPTED,
        examples=[request_example("Products", [PRODUCT_ROW]), ACCEPTED_EXAMPLE],
    )
    def post(self, request):
        return self.accept(request, BatchKind.PRODUCT_UPSERT)

    @extend_schema(
        operation_id="PRD103_products_delete",
        summary="Delete products",
        description=(
            "Removes your products with these SKUs, with their prices and stocks. The body is a "
            'list of SKUs: `[{"sku": "TEE-RED-M"}, {"sku": "TEE-RED-L"}]`.' + QUEUED
        ),
        request=serializers.SkuSerializer(many=True),
        responses=ACCEPTED,
        examples=[
            request_example("SKUs", [{"sku": "TEE-RED-M"}, {"sku": "TEE-RED-L"}]),
            ACCEPTED_EXAMPLE,
        ],
    )
    def delete(self, request):
        return self.accept(request, BatchKind.PRODUCT_DELETE)


class PricesAndStocksView(SellerCenterView, BatchAcceptMixin, APIView):
    throttle_family = "products"

    @extend_schema(
        operation_id="PRD104_prices_and_stocks_upsert",
        summary="Update prices and stocks together",
        description="Sets the prices and stocks of products you already have, by SKU." + QUEUED,
        request=serializers.PriceStockRowSerializer(many=True),
        responses=ACCEPTED,
        examples=[
            request_example(
                "Prices and stocks",
                [{**PRICE_ROW, "stock_list": STOCK_ROW["stock_list"], "stock": "12"}],
            ),
            ACCEPTED_EXAMPLE,
        ],
    )
    def post(self, request):
        return self.accept(request, BatchKind.PRICE_STOCK_UPSERT)


class PricesView(SellerCenterView, BatchAcceptMixin, APIView):
    throttle_family = "products"

    @extend_schema(
        operation_id="PRD105_prices_upsert",
        summary="Update prices",
        description="Sets prices of products you already have, one row per SKU and price list."
        + QUEUED,
        request=serializers.PriceRowSerializer(many=True),
        responses=ACCEPTED,
        examples=[request_example("Prices", [PRICE_ROW]), ACCEPTED_EXAMPLE],
    )
    def post(self, request):
        return self.accept(request, BatchKind.PRICE_UPSERT)


class StocksView(SellerCenterView, BatchAcceptMixin, APIView):
    throttle_family = "products"

    @extend_schema(
        operation_id="PRD106_stocks_upsert",
        summary="Update stocks",
        description="Sets stocks of products you already have, one row per SKU and stock list."
        + QUEUED,
        request=serializers.StockRowSerializer(many=True),
        responses=ACCEPTED,
        examples=[request_example("Stocks", [STOCK_ROW]), ACCEPTED_EXAMPLE],
    )
    def post(self, request):
        return self.accept(request, BatchKind.STOCK_UPSERT)


class ProductSearchView(SellerCenterView, generics.ListAPIView):
    """PRD108: search the marketplace catalog to link an offer to an existing product."""

    throttle_family = "products"
    serializer_class = serializers.CatalogProductSerializer
    filter_backends: list = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Product.objects.none()
        query = self.request.query_params.get("query", "").strip()
        if not query:
            raise ValidationError({"query": ["This field is required."]})
        seller = self.request.auth.seller
        products, count = search.catalog_search_counted(query=query, seller=seller)
        self.paginator.count_of = lambda queryset: count()
        return products.select_related("category")

    @extend_schema(
        operation_id="PRD108_catalog_search",
        summary="Search the marketplace's catalog",
        description=(
            "Products of the catalog matching the words, to link your offer to one of them "
            "(`product` in PRD101) instead of creating a new product."
        ),
        parameters=[
            OpenApiParameter(
                "query",
                {"type": "string", "pattern": r"\S"},
                required=True,
                description="Words to find.",
            )
        ],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)
