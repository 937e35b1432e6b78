"""Each site publishes its own OpenAPI document and interactive docs under its base URL."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

DESCRIPTIONS = {
    "omnitron": "Omnitron: the operator's back office API (users, applications, catalog, prices, stocks).",
    "seller-center": "Seller Center Integration API: what sellers integrate with.",
    "whippy-ware": "Whippy Ware: location-based inventory and stock list rules.",
}
TITLES = {
    "omnitron": "Omnitron API",
    "seller-center": "Seller Center Integration API",
    "whippy-ware": "Whippy Ware API",
}


def schema_urlpatterns(site: str, urlconf: str) -> list:
    custom = {
        "TITLE": TITLES[site],
        "DESCRIPTION": DESCRIPTIONS[site],
        "SERVERS": [{"url": f"/{site}"}],
    }
    return [
        path(
            "api/schema/",
            SpectacularAPIView.as_view(urlconf=urlconf, custom_settings=custom),
            name="schema",
        ),
        path(
            "api/docs/",
            SpectacularSwaggerView.as_view(url_name=f"{site}:schema", title=TITLES[site]),
            name="docs",
        ),
    ]
