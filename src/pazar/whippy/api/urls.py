from django.urls import path

from pazar.whippy.api import views

whippy_ware_urlpatterns = [
    path("api/v1/providers/", views.ProviderListView.as_view(), name="provider-list"),
    path("api/v1/providers/<int:pk>/", views.ProviderDetailView.as_view(), name="provider-detail"),
    path(
        "api/v1/stock-locations/",
        views.StockLocationListView.as_view(),
        name="stock-location-list",
    ),
    path(
        "api/v1/stock-locations/<int:pk>/",
        views.StockLocationDetailView.as_view(),
        name="stock-location-detail",
    ),
    path(
        "api/v1/stock-list-rules/",
        views.StockListRuleListView.as_view(),
        name="stock-list-rule-list",
    ),
    path(
        "api/v1/stock-list-rules/<int:pk>/",
        views.StockListRuleDetailView.as_view(),
        name="stock-list-rule-detail",
    ),
    path("api/v1/stock-lists/", views.StockListListView.as_view(), name="stock-list-list"),
    path(
        "api/v1/stock-lists/<int:pk>/",
        views.StockListDetailView.as_view(),
        name="stock-list-detail",
    ),
    path("api/v1/stocks/", views.StockListView.as_view(), name="stocks"),
    path("api/v1/stocks/<int:pk>/", views.StockDetailView.as_view(), name="stock-detail"),
    path("api/v1/stocks/<int:pk>/reserve/", views.StockReserveView.as_view(), name="stock-reserve"),
    path("api/v1/stocks/<int:pk>/release/", views.StockReleaseView.as_view(), name="stock-release"),
]
