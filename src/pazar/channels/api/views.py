"""Omnitron: category trees, catalogs, catalog items, channels, content types (§9).

Writes go through `pazar.channels.services`; the views only parse and serialize.
"""

from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import generics

from pazar.accounts.sites import OmnitronView
from pazar.api.bulk_create import BulkCreateMixin, one_or_many
from pazar.channels import selectors, services
from pazar.channels.api import filters, serializers
from pazar.channels.models import Catalog, CatalogItem, CategoryTree, Channel


def _request_example(name: str, value) -> OpenApiExample:
    return OpenApiExample(name, value=value, request_only=True)


# --- category trees -------------------------------------------------------------------------


@extend_schema_view(
    get=extend_schema(summary="List category trees"),
    post=extend_schema(
        summary="Create a category tree",
        examples=[_request_example("Web tree", {"name": "Web", "category_root": 1})],
    ),
)
class CategoryTreeListView(OmnitronView, generics.ListCreateAPIView):
    """Trees of the marketplace's categories, each named by its root node."""

    queryset = CategoryTree.objects.select_related("category_root").order_by("pk")
    serializer_class = serializers.CategoryTreeSerializer
    filterset_class = filters.CategoryTreeFilter

    def perform_create(self, serializer):
        serializer.instance = services.category_tree_create(**serializer.validated_data)


@extend_schema_view(
    get=extend_schema(summary="Read a category tree"),
    put=extend_schema(summary="Replace a category tree"),
    patch=extend_schema(summary="Change a category tree"),
    delete=extend_schema(
        summary="Delete a category tree",
        description="A tree a catalog or channel uses is kept (400 `category_tree_in_use`).",
    ),
)
class CategoryTreeDetailView(OmnitronView, generics.RetrieveUpdateDestroyAPIView):
    queryset = CategoryTree.objects.select_related("category_root")
    serializer_class = serializers.CategoryTreeSerializer

    def perform_update(self, serializer):
        serializer.instance = services.category_tree_update(
            category_tree=serializer.instance, data=serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.category_tree_delete(category_tree=instance)


# --- catalogs -------------------------------------------------------------------------------

CATALOG_EXAMPLE = _request_example(
    "Web catalog",
    {
        "name": "Web",
        "price_list": 1,
        "stock_list": 1,
        "category_tree": 1,
        "extra_price_lists": [],
        "extra_stock_lists": [2, 3],
    },
)


@extend_schema_view(
    get=extend_schema(summary="List catalogs"),
    post=extend_schema(summary="Create a catalog", examples=[CATALOG_EXAMPLE]),
)
class CatalogListView(OmnitronView, generics.ListCreateAPIView):
    """What channels sell: products (catalog items) at a price list, from a stock list."""

    queryset = Catalog.objects.prefetch_related("extra_price_lists", "extra_stock_lists").order_by(
        "pk"
    )
    serializer_class = serializers.CatalogSerializer
    filterset_class = filters.CatalogFilter

    def perform_create(self, serializer):
        serializer.instance = services.catalog_create(**serializer.validated_data)


@extend_schema_view(
    get=extend_schema(summary="Read a catalog"),
    put=extend_schema(summary="Replace a catalog"),
    patch=extend_schema(summary="Change a catalog"),
    delete=extend_schema(
        summary="Delete a catalog",
        description="Its items go with it; a catalog a channel uses is kept (400 "
        "`catalog_in_use`).",
    ),
)
class CatalogDetailView(OmnitronView, generics.RetrieveUpdateDestroyAPIView):
    queryset = Catalog.objects.prefetch_related("extra_price_lists", "extra_stock_lists")
    serializer_class = serializers.CatalogSerializer

    def perform_update(self, serializer):
        serializer.instance = services.catalog_update(
            catalog=serializer.instance, data=serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.catalog_delete(catalog=instance)


# --- catalog items --------------------------------------------------------------------------


@extend_schema_view(
    get=extend_schema(summary="List catalog items"),
    post=extend_schema(
        summary="Put products into catalogs",
        description="One object, or a list of up to 1000 applied all-or-nothing: errors by row "
        'index (`{"1": {"product": ["…"]}}`). A product already in the catalog is a row error.',
        examples=[
            _request_example("One product", {"catalog": 1, "product": 12}),
            _request_example(
                "Several products", [{"catalog": 1, "product": 12}, {"catalog": 1, "product": 13}]
            ),
        ],
        request=one_or_many(serializers.CatalogItemSerializer, "CatalogItems"),
        responses={201: one_or_many(serializers.CatalogItemSerializer, "CatalogItems")},
    ),
)
class CatalogItemListView(OmnitronView, BulkCreateMixin, generics.ListCreateAPIView):
    """The products of catalogs: `{catalog, product}` pairs, unique."""

    queryset = CatalogItem.objects.order_by("pk")
    serializer_class = serializers.CatalogItemSerializer
    filterset_class = filters.CatalogItemFilter

    def bulk_write(self, rows):
        return services.catalog_items_add(rows=rows)


@extend_schema_view(
    get=extend_schema(summary="Read a catalog item"),
    delete=extend_schema(summary="Take a product out of a catalog"),
)
class CatalogItemDetailView(OmnitronView, generics.RetrieveDestroyAPIView):
    queryset = CatalogItem.objects.all()
    serializer_class = serializers.CatalogItemSerializer

    def perform_destroy(self, instance):
        services.catalog_item_delete(catalog_item=instance)


# --- channels -------------------------------------------------------------------------------


@extend_schema_view(
    get=extend_schema(summary="List channels"),
    post=extend_schema(
        summary="Create a channel",
        examples=[
            _request_example(
                "Marketplace channel",
                {
                    "name": "Marketplace X",
                    "catalog": 1,
                    "channel_type": "sales_channel",
                    "conf": {"remote_id_attribute": "attributes__barcode"},
                    "category_tree": 1,
                    "is_active": True,
                    "schema": {},
                },
            )
        ],
    ),
)
class ChannelListView(OmnitronView, generics.ListCreateAPIView):
    """E-shops and marketplaces; each sells from one catalog."""

    queryset = Channel.objects.order_by("pk")
    serializer_class = serializers.ChannelSerializer
    filterset_class = filters.ChannelFilter

    def perform_create(self, serializer):
        serializer.instance = services.channel_create(**serializer.validated_data)


@extend_schema_view(
    get=extend_schema(summary="Read a channel"),
    patch=extend_schema(
        summary="Change a channel",
        description="e.g. its `category_tree` or `schema`; `conf` and `schema` are replaced "
        "whole. Deactivate a channel with `is_active=false`.",
    ),
)
class ChannelDetailView(OmnitronView, generics.RetrieveUpdateAPIView):
    queryset = Channel.objects.all()
    serializer_class = serializers.ChannelSerializer
    http_method_names = ["get", "patch", "head", "options"]

    def perform_update(self, serializer):
        serializer.instance = services.channel_update(
            channel=serializer.instance, data=serializer.validated_data
        )


# --- content types --------------------------------------------------------------------------


@extend_schema_view(
    get=extend_schema(
        summary="List content types",
        description="Ids for generic relations: `?model=productprice`. Every model name "
        "Omnitron's clients use resolves; names with no model here yet answer with a "
        "placeholder in the app label `omnitron`.",
    )
)
class ContentTypeListView(OmnitronView, generics.ListAPIView):
    serializer_class = serializers.ContentTypeSerializer
    filterset_class = filters.ContentTypeFilter

    def get_queryset(self):
        return selectors.content_types()


@extend_schema_view(get=extend_schema(summary="Read a content type"))
class ContentTypeDetailView(ContentTypeListView, generics.RetrieveAPIView):
    get = generics.RetrieveAPIView.get
    action = "retrieve"  # one object, for the OpenAPI document too
