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


# What every operation of every site shares; the refusals each can answer are listed with it
# (pazar.api.schema).
CONVENTIONS = (
    '\n\nErrors are JSON: `{"detail": …, "code": …}`, or field errors '
    '`{"field": ["message"]}` for a 400. No string, in the URL or in a JSON body, may hold '
    "the NUL character (U+0000): such a request is a 400. As DRF (and so Omnitron) reads a "
    'body, a text field also takes a number, read as its text (`12` as `"12"`), a number or '
    'id field its number written as text (`"12"`), and a boolean field `1`, `0`, `"true"` or '
    '`"false"`. A comma-separated query list sent empty (`?pk__in=`) is the empty list, as if '
    "it were left out."
)


def schema_urlpatterns(site: str, urlconf: str) -> list:
    custom = {
        "TITLE": TITLES[site],
        "DESCRIPTION": DESCRIPTIONS[site] + CONVENTIONS,
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
