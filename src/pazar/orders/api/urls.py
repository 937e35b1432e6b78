from django.urls import path

from pazar.orders.api import views

omnitron_urlpatterns = [
    path(
        "api/v1/cargo_companies/", views.CargoCompanyListView.as_view(), name="cargo-company-list"
    ),
    path(
        "api/v1/cargo_companies/<int:pk>/",
        views.CargoCompanyDetailView.as_view(),
        name="cargo-company-detail",
    ),
]
channel_urlpatterns = [
    path("cargos/", views.ChannelCargoListView.as_view(), name="channel-cargo-list"),
    path("cargos/<int:pk>/", views.ChannelCargoDetailView.as_view(), name="channel-cargo-detail"),
]
