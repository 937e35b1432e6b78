from django.urls import path

from pazar.inventory.api import views

omnitron_urlpatterns = [
    path(
        "api/i1/stock_list/",
        views.IntegrationStockListListView.as_view(),
        name="stock-list-list-i1",
    ),
    path("api/v1/stock_list/", views.StockListListView.as_view(), name="stock-list-list"),
    path(
        "api/v1/stock_list/<int:pk>/", views.StockListDetailView.as_view(), name="stock-list-detail"
    ),
    path(
        "api/i1/product_stock/",
        views.IntegrationProductStockListView.as_view(),
        name="product-stock-list-i1",
    ),
    path("api/v1/product_stock/", views.ProductStockListView.as_view(), name="product-stock-list"),
    path(
        "api/v1/product_stock/<int:pk>/",
        views.ProductStockDetailView.as_view(),
        name="product-stock-detail",
    ),
]
