from django.urls import path

from pazar.marketplace.api import views

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
]
