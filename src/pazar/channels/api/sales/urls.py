"""`/api/v1/channel/{channel_id}/…`: the sales-channel API connectors speak (omnitron.md §11)."""

from django.urls import path

from pazar.channels.api.sales import attribute_views, views
from pazar.channels.api.sales import catalog_views as catalog

PREFIX = "api/v1/channel/<int:channel_id>/"


def _path(route: str, view, name: str):
    return path(PREFIX + route, view.as_view(), name=f"channel-{name}")


FEEDS = {
    "products": catalog.ProductFeedView,
    "product_prices": catalog.ProductPriceFeedView,
    "product_stocks": catalog.ProductStockFeedView,
    "extra_product_prices": catalog.ExtraProductPriceFeedView,
    "extra_product_stocks": catalog.ExtraProductStockFeedView,
    "product_images": catalog.ProductImageFeedView,
}
feed_paths = [
    path(
        f"{PREFIX}{resource}/{feed}/",
        view.as_view(feed=feed),
        name=f"channel-{resource}-{feed}",
    )
    for resource, view in FEEDS.items()
    for feed in (
        ["inserts", "updates", "inserts_or_updates"]
        if resource == "products"
        else ["inserts", "updates"]
    )
]
family_paths = []
for resource in attribute_views.FAMILIES:
    family = attribute_views.family_views(resource)
    family_paths += [
        path(f"{PREFIX}{resource}/", family["list"].as_view(), name=f"channel-{resource}-list"),
        path(
            f"{PREFIX}{resource}/<int:pk>/",
            family["detail"].as_view(),
            name=f"channel-{resource}-detail",
        ),
    ]
    if "detailed" in family:
        family_paths += [
            path(
                f"{PREFIX}{resource}/detailed/",
                family["detailed_list"].as_view(),
                name=f"channel-{resource}-detailed",
            ),
            path(
                f"{PREFIX}{resource}/<int:pk>/detailed/",
                family["detailed"].as_view(),
                name=f"channel-{resource}-detail-detailed",
            ),
        ]

sales_urlpatterns = [
    _path("batch_requests/", views.BatchRequestListView, "batch-request-list"),
    _path("batch_requests/<int:pk>/", views.BatchRequestDetailView, "batch-request-detail"),
    _path("integration_actions/", views.IntegrationActionListView, "integration-action-list"),
    _path(
        "integration_actions/deleted/",
        views.DeletedIntegrationActionListView,
        "integration-action-deleted",
    ),
    _path(
        "integration_actions/<int:pk>/",
        views.IntegrationActionDetailView,
        "integration-action-detail",
    ),
    _path("error_reports/", views.ErrorReportListView, "error-report-list"),
    _path("error_reports/<int:pk>/", views.ErrorReportDetailView, "error-report-detail"),
    # One path per address type (omnitron.md §11): `error_reports/{id}/` is the report detail.
    *[
        path(
            f"{PREFIX}error_reports/{kind}/",
            views.AddressErrorReportView.as_view(kind=kind),
            name=f"channel-address-error-report-{kind}",
        )
        for kind in views.ADDRESS_TYPES
    ],
    _path("products/", catalog.ProductFeedView, "product-list"),
    _path("products/<int:pk>/", catalog.ProductDetailView, "product-detail"),
    _path("mapped_products/", catalog.MappedProductListView, "mapped-product-list"),
    _path("mapped_products/<int:pk>/", catalog.MappedProductDetailView, "mapped-product-detail"),
    _path("product_prices/", catalog.ProductPriceFeedView, "product-price-list"),
    _path("product_stocks/", catalog.ProductStockFeedView, "product-stock-list"),
    _path("extra_product_prices/", catalog.ExtraProductPriceFeedView, "extra-product-price-list"),
    _path("extra_product_stocks/", catalog.ExtraProductStockFeedView, "extra-product-stock-list"),
    _path("product_images/", catalog.ProductImageFeedView, "product-image-list"),
    *[
        _path(f"{resource}/<int:pk>/", catalog.detail_view(view), f"{name}-detail")
        for resource, view, name in (
            ("product_prices", catalog.ProductPriceFeedView, "product-price"),
            ("product_stocks", catalog.ProductStockFeedView, "product-stock"),
            ("extra_product_prices", catalog.ExtraProductPriceFeedView, "extra-product-price"),
            ("extra_product_stocks", catalog.ExtraProductStockFeedView, "extra-product-stock"),
            ("product_images", catalog.ProductImageFeedView, "product-image"),
            ("price_lists", catalog.PriceListView, "price-list"),
            ("stock_lists", catalog.StockListView, "stock-list"),
            ("retail_stores", catalog.RetailStoreView, "retail-store"),
        )
    ],
    _path("price_lists/", catalog.PriceListView, "price-list-list"),
    _path("stock_lists/", catalog.StockListView, "stock-list-list"),
    _path("retail_stores/", catalog.RetailStoreView, "retail-store-list"),
    _path("product_categories/", catalog.ProductCategoryView, "product-category-list"),
    _path(
        "product_categories/detailed/",
        catalog.ProductCategoryDetailedView,
        "product-category-detailed",
    ),
    _path("category_trees/", catalog.CategoryTreeListView, "category-tree-list"),
    _path("category_trees/<int:pk>/", catalog.CategoryTreeDetailView, "category-tree-detail"),
    _path("category_nodes/", catalog.CategoryNodeListView, "category-node-list"),
    _path(
        "category_nodes/detailed/", catalog.CategoryNodeDetailedListView, "category-node-detailed"
    ),
    _path("category_nodes/<int:pk>/", catalog.CategoryNodeDetailView, "category-node-detail"),
    _path(
        "category_nodes/<int:pk>/detailed/",
        catalog.CategoryNodeDetailedView,
        "category-node-detail-detailed",
    ),
    *feed_paths,
    *family_paths,
]
