"""What a sales channel sells, as its connector reads it (omnitron.md §11, real-clients §4-§6).

Every list is scoped to the channel's catalog. `inserts/`, `updates/` and `inserts_or_updates/`
are the delta feeds (`pazar.channels.selectors.delta`).
"""

from django.db.models import F
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, serializers

from pazar.api.filters import IntegerInFilter
from pazar.catalog.api.filters import ProductFilter
from pazar.catalog.api.product_serializers import ProductSerializer
from pazar.catalog.models import Product, ProductType
from pazar.channels import selectors
from pazar.channels.api.sales import catalog_serializers as s
from pazar.channels.api.sales.base import ChannelView
from pazar.channels.error_codes import ErrorCode
from pazar.channels.models import CategoryTree, Channel
from pazar.channels.services import sales as services
from pazar.core.errors import ApplicationError
from pazar.images.api.filters import ProductImageFilter
from pazar.images.api.serializers import ProductImageSerializer
from pazar.inventory.api.filters import ProductStockFilter, StockListFilter
from pazar.inventory.api.serializers import ProductStockSerializer, StockListSerializer
from pazar.inventory.models import StockList
from pazar.pricing.api.filters import PriceListFilter, ProductPriceFilter
from pazar.pricing.api.serializers import PriceListSerializer, ProductPriceSerializer
from pazar.pricing.models import PriceList

FEED_HELP = (
    "`inserts/`: objects never sent to the channel; `updates/`: objects changed since the "
    "version the channel has (`version_date` of their integration action); "
    "`inserts_or_updates/`: both. Objects an open batch request holds are in none of them."
)


class FeedView(ChannelView, generics.ListAPIView):
    """A list of the channel's rows of one kind; with `feed`, only those to be sent."""

    feed: str | None = None

    def rows(self):
        raise NotImplementedError

    def get_queryset(self):
        rows = self.rows()
        if self.feed:
            rows = selectors.delta(rows, channel=self.channel, feed=self.feed)
        return rows


class FeedDetailView(ChannelView, generics.RetrieveAPIView):
    def get_queryset(self):
        return self.rows()


# --- products -------------------------------------------------------------------------------


class _Products:
    serializer_class = ProductSerializer

    def rows(self):
        return selectors.channel_products(self.channel)


class _ProductRows(_Products):
    """Only the columns the product serializer writes."""

    def rows(self):
        return super().rows().only(*ProductSerializer.COLUMNS)


@extend_schema_view(
    get=extend_schema(
        summary="List the channel's products (or a delta feed)",
        description="`?pk__in=1,2` for some; " + FEED_HELP,
    )
)
class ProductFeedView(_ProductRows, FeedView):
    filterset_class = ProductFilter

    def list(self, request, *args, **kwargs):
        """`inserts/`, `updates/` and `inserts_or_updates/` chosen by `product_type` alone (or
        by nothing; channel_app's loop) read their count from the channel's kept counts
        (`selectors.product_feed_count`) and their page by SQL compiled once
        (`selectors.product_feed_page`): the same number and the same rows, without counting
        the catalog or building the feed's query. Any other parameter, a repeated or unknown
        type, goes through the filters and counts the rows."""
        chosen = self._kept_choice()
        if chosen is None:
            self.paginator.count_of = self.paginator.rows_of = None
            return super().list(request, *args, **kwargs)
        (product_type,) = chosen
        channel, feed = self.channel, self.feed

        def count_of(_rows):
            return selectors.product_feed_count(channel, feed=feed, product_type=product_type)

        def rows_of(_rows, bottom, top):
            return selectors.product_feed_page(
                channel,
                feed=feed,
                columns=ProductSerializer.COLUMNS,
                product_type=product_type,
                offset=bottom,
                limit=top - bottom,
            )

        self.paginator.count_of, self.paginator.rows_of = count_of, rows_of
        page = self.paginate_queryset(Product.objects.none().order_by("pk"))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def _kept_choice(self) -> tuple[str | None] | None:
        """`(product_type,)` (None: every type) when the query chooses a feed by one known
        `product_type` or by nothing besides paging; None otherwise."""
        if self.feed not in selectors.FEEDS:
            return None
        params = self.request.query_params
        paging = {self.paginator.page_query_param, self.paginator.page_size_query_param}
        if not set(params) - paging <= {"product_type"}:
            return None
        types = params.getlist("product_type")
        if len(types) > 1 or (types and types[0] not in ProductType.values):
            return None  # several types: a union of pks; anything else: the filter's answer
        return (types[0] if types else None,)


@extend_schema_view(get=extend_schema(summary="Read a product of the channel"))
class ProductDetailView(_ProductRows, FeedDetailView):
    pass


# --- prices and stocks ----------------------------------------------------------------------


class ExtraListParams:
    """`?price_list=` / `?stock_list=` name one of the catalog's extra lists."""

    list_param = ""

    def list_ids(self) -> list[int] | None:
        raw = self.request.query_params.getlist(self.list_param)
        try:
            return [int(value) for value in raw] or None
        except ValueError:
            raise serializers.ValidationError(
                {self.list_param: ["A valid integer is required."]}
            ) from None


@extend_schema_view(get=extend_schema(summary="List the channel's prices", description=FEED_HELP))
class ProductPriceFeedView(FeedView):
    serializer_class = ProductPriceSerializer
    filterset_class = ProductPriceFilter

    def rows(self):
        return selectors.channel_prices(self.channel)


@extend_schema_view(
    get=extend_schema(
        summary="List prices of the catalog's extra price lists",
        description="`?price_list=<id>` for one of them. " + FEED_HELP,
    )
)
class ExtraProductPriceFeedView(ExtraListParams, ProductPriceFeedView):
    list_param = "price_list"

    def rows(self):
        return selectors.channel_prices(self.channel, extra=True, price_list_ids=self.list_ids())


@extend_schema_view(get=extend_schema(summary="List the channel's stocks", description=FEED_HELP))
class ProductStockFeedView(FeedView):
    serializer_class = ProductStockSerializer
    filterset_class = ProductStockFilter

    def rows(self):
        return selectors.channel_stocks(self.channel)


@extend_schema_view(
    get=extend_schema(
        summary="List stocks of the catalog's extra stock lists",
        description="`?stock_list=<id>` for one of them. " + FEED_HELP,
    )
)
class ExtraProductStockFeedView(ExtraListParams, ProductStockFeedView):
    list_param = "stock_list"

    def rows(self):
        return selectors.channel_stocks(self.channel, extra=True, stock_list_ids=self.list_ids())


class ChannelImageFilter(ProductImageFilter):
    id__in = IntegerInFilter(field_name="pk", lookup_expr="in")
    product__pk__in = IntegerInFilter(field_name="product_id", lookup_expr="in")


@extend_schema_view(
    get=extend_schema(summary="List the channel's product images", description=FEED_HELP)
)
class ProductImageFeedView(FeedView):
    serializer_class = ProductImageSerializer
    filterset_class = ChannelImageFilter

    def rows(self):
        return selectors.channel_images(self.channel)


@extend_schema_view(get=extend_schema(summary="The catalog's price lists (main and extra)"))
class PriceListView(ChannelView, generics.ListAPIView):
    serializer_class = PriceListSerializer
    filterset_class = PriceListFilter
    queryset = PriceList.objects.none()

    def get_queryset(self):
        catalog = self.channel.catalog
        pks = {catalog.price_list_id, *catalog.extra_price_lists.values_list("pk", flat=True)}
        return PriceList.objects.filter(pk__in=pks).order_by("pk")


@extend_schema_view(get=extend_schema(summary="The catalog's stock lists (main and extra)"))
class StockListView(ChannelView, generics.ListAPIView):
    serializer_class = StockListSerializer
    filterset_class = StockListFilter
    queryset = StockList.objects.none()

    def get_queryset(self):
        catalog = self.channel.catalog
        pks = {catalog.stock_list_id, *catalog.extra_stock_lists.values_list("pk", flat=True)}
        return StockList.objects.filter(pk__in=pks).order_by("pk")


@extend_schema_view(
    get=extend_schema(
        summary="Retail stores of the channel",
        description="Pazar keeps no retail stores yet: always an empty page.",
    )
)
class RetailStoreView(ChannelView, generics.ListAPIView):
    serializer_class = s.MarketplaceAttributeSetSerializer  # never used: the page is empty
    permission_model = Channel
    queryset = StockList.objects.none()

    def get_queryset(self):
        self.channel  # noqa: B018 - an unknown channel is a 404
        return StockList.objects.none()


# --- mapped products ------------------------------------------------------------------------


class MappedProductSerializer(serializers.Serializer):
    """Documentation only: the view writes `selectors.mapped_product`'s dict."""

    pk = serializers.IntegerField()
    mapped_attributes = serializers.DictField()
    mapped_attribute_values = serializers.DictField()
    attribute_set_id = serializers.IntegerField(allow_null=True)
    attribute_set_name = serializers.CharField(allow_null=True)
    attribute_set_remote_id = serializers.CharField(allow_null=True)
    modified_date = serializers.DateTimeField()

    def to_representation(self, product):
        view = self.context["view"]
        try:
            return selectors.mapped_product(channel=view.channel, product=product)
        except selectors.MappingFailed as failure:
            if view.kwargs.get("pk") is None:  # in a list, a failed product is a null mapping
                return {"pk": product.pk, "error": str(failure)}
            raise ApplicationError(
                {"error": str(failure), "code": ErrorCode.MAPPING_FAILED},
                code=ErrorCode.MAPPING_FAILED,
                status_code=406,
            ) from None


@extend_schema_view(
    get=extend_schema(
        summary="A product in the marketplace's attributes",
        description="`attribute_set_id` is null when no attribute set is configured for the "
        "product's category node. A required attribute without a value is a 406 "
        '`{"error": "…", "code": "mapping_failed"}`.',
    )
)
class MappedProductDetailView(_Products, FeedDetailView):
    serializer_class = MappedProductSerializer
    permission_model = Product


@extend_schema_view(get=extend_schema(summary="Products in the marketplace's attributes"))
class MappedProductListView(_Products, FeedView):
    serializer_class = MappedProductSerializer
    permission_model = Product
    filterset_class = ProductFilter


# --- category trees, nodes, product categories ----------------------------------------------


@extend_schema_view(
    get=extend_schema(summary="List category trees"),
    post=extend_schema(
        summary="Create a category tree", description="With a root node of the same name."
    ),
)
class CategoryTreeListView(ChannelView, generics.ListCreateAPIView):
    serializer_class = s.ChannelCategoryTreeSerializer

    def get_queryset(self):
        self.channel  # noqa: B018 - an unknown channel is a 404
        return CategoryTree.objects.select_related("category_root").order_by("pk")

    def perform_create(self, serializer):
        serializer.instance = services.channel_category_tree_create(
            channel=self.channel, name=serializer.validated_data["name"]
        )


@extend_schema_view(get=extend_schema(summary="Read a category tree (`category_root.path`)"))
class CategoryTreeDetailView(ChannelView, generics.RetrieveAPIView):
    serializer_class = s.ChannelCategoryTreeSerializer
    get_queryset = CategoryTreeListView.get_queryset


@extend_schema_view(
    get=extend_schema(summary="List category nodes"),
    post=extend_schema(summary="Add a node under `node`"),
)
class CategoryNodeListView(ChannelView, generics.ListCreateAPIView):
    serializer_class = s.ChannelCategoryNodeSerializer

    def get_queryset(self):
        return selectors.channel_categories(self.channel)

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.channel_category_node_create(
            channel=self.channel, parent=data["node"], name=data["name"], order=data.get("order", 0)
        )


class CategoryNodeDetailedListView(CategoryNodeListView):
    serializer_class = s.ChannelCategoryNodeDetailedSerializer
    http_method_names = ["get", "head", "options"]


@extend_schema_view(
    get=extend_schema(summary="Read a category node"),
    patch=extend_schema(
        summary="Change a category node",
        description="`name`, `order`; an empty PATCH still moves `modified_date`.",
    ),
)
class CategoryNodeDetailView(ChannelView, generics.RetrieveUpdateAPIView):
    serializer_class = s.ChannelCategoryNodeChangeSerializer

    def get_queryset(self):
        return selectors.channel_categories(self.channel)

    def perform_update(self, serializer):
        serializer.instance = services.channel_category_node_update(
            node=serializer.instance, data=serializer.validated_data
        )


class CategoryNodeDetailedView(CategoryNodeDetailView):
    serializer_class = s.ChannelCategoryNodeDetailedSerializer
    http_method_names = ["get", "head", "options"]


@extend_schema_view(
    get=extend_schema(
        summary="The category nodes of the channel's products",
        description="`?product=<pk>`; `detailed/` nests the node (`path`, `pk`, `name`).",
    )
)
class ProductCategoryView(ChannelView, generics.ListAPIView):
    serializer_class = s.ProductCategorySerializer
    permission_model = Product

    def get_queryset(self):
        products = selectors.channel_products(self.channel).filter(category__isnull=False)
        for key in ["product", "product__pk"]:
            if value := self.request.query_params.get(key):
                if not (value.isascii() and value.isdigit()):
                    raise serializers.ValidationError({key: ["A valid integer is required."]})
                products = products.filter(pk=int(value))
        return (
            products.select_related("category").annotate(product_pk=F("pk")).prefetch_related(None)
        )

    def get_serializer(self, *args, **kwargs):
        if args and isinstance(args[0], list):
            for product in args[0]:
                product.category_node = product.category
        return super().get_serializer(*args, **kwargs)


class ProductCategoryDetailedView(ProductCategoryView):
    serializer_class = s.ProductCategoryDetailedSerializer


# --- one row of a list ----------------------------------------------------------------------


def detail_view(list_view):
    """`{pk}/` of one of the channel's lists: the same rows, the same fields (omnisdk retrieves
    from every list it names); a row outside the channel's catalog is a 404."""

    class Detail(list_view, generics.RetrieveAPIView):
        filterset_class = None
        get = generics.RetrieveAPIView.get
        action = "retrieve"  # one object, for the OpenAPI document too

    Detail.__name__ = Detail.__qualname__ = list_view.__name__.replace("View", "DetailView")
    return extend_schema_view(get=extend_schema(summary=f"Read one: {list_view.__name__}"))(Detail)
