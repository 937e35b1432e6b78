from django.urls import path

from pazar.marketplace.api import claims, packages, views

seller_center_urlpatterns = [
    path("api/i2/categories/", views.CategoryTreeView.as_view(), name="category-tree"),
    path(
        "api/i2/categories/<uuid:id>/attributes/",
        views.CategoryAttributesView.as_view(),
        name="category-attributes",
    ),
    path("api/i1/price-lists/", views.PriceListView.as_view(), name="price-list-list"),
    path("api/i1/stock-lists/", views.StockListView.as_view(), name="stock-list-list"),
    path("api/i2/products/", views.ProductsView.as_view(), name="product-list"),
    path("api/i2/products/search/", views.ProductSearchView.as_view(), name="product-search"),
    path(
        "api/i2/products/prices-and-stocks/",
        views.PricesAndStocksView.as_view(),
        name="product-prices-and-stocks",
    ),
    path("api/i2/products/prices/", views.PricesView.as_view(), name="product-prices"),
    path("api/i2/products/stocks/", views.StocksView.as_view(), name="product-stocks"),
    path("api/i2/packages/", packages.PackagesView.as_view(), name="package-list"),
    path(
        "api/i2/packages/changes/",
        packages.PackageChangesView.as_view(),
        name="package-changes",
    ),
    path(
        "api/i2/packages/<str:number>/items/",
        packages.PackageItemsView.as_view(),
        name="package-items",
    ),
    *[
        path(
            f"api/i2/packages/<str:number>/{action}/",
            packages.action_view(action),
            name=f"package-{action}",
        )
        for action in packages.ACTION_SERIALIZERS
    ],
    path("api/i2/orders/<str:number>/", packages.OrderView.as_view(), name="order-detail"),
    path("api/i2/claims/", claims.ClaimsView.as_view(), name="claim-list"),
    path("api/i2/claims/changes/", claims.ClaimChangesView.as_view(), name="claim-changes"),
    *[
        path(
            f"api/i2/claims/<uuid:claim_id>/{action}/",
            claims.claim_action_view(action),
            name=f"claim-{action}",
        )
        for action in ("approve", "reject")
    ],
    path("api/i2/callbacks/", packages.CallbacksView.as_view(), name="callback-list"),
    path(
        "api/i2/callbacks/replay/",
        packages.CallbacksReplayView.as_view(),
        name="callback-replay",
    ),
]
