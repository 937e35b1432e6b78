from django.urls import path

from pazar.pricing.api import views

omnitron_urlpatterns = [
    path(
        "api/i1/price_list/",
        views.IntegrationPriceListListView.as_view(),
        name="price-list-list-i1",
    ),
    path("api/v1/price_list/", views.PriceListListView.as_view(), name="price-list-list"),
    path(
        "api/v1/price_list/<int:pk>/", views.PriceListDetailView.as_view(), name="price-list-detail"
    ),
    path(
        "api/i1/product_price/",
        views.IntegrationProductPriceListView.as_view(),
        name="product-price-list-i1",
    ),
    path("api/v1/product_price/", views.ProductPriceListView.as_view(), name="product-price-list"),
    path(
        "api/v1/product_price/<int:pk>/",
        views.ProductPriceDetailView.as_view(),
        name="product-price-detail",
    ),
]
