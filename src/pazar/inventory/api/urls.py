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
]
