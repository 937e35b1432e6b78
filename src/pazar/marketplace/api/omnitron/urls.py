from django.urls import path

from pazar.marketplace.api.omnitron import views

omnitron_urlpatterns = [
    path(
        "api/v1/marketplace_settings/",
        views.MarketplaceSettingsView.as_view(),
        name="marketplace-settings",
    ),
]
