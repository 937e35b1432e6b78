from django.urls import path

from pazar.geography.api import views
from pazar.geography.api.views import PLURALS

_VIEWS = {
    kind: [getattr(views, f"{prefix}{kind.title()}{suffix}") for prefix, suffix in (
        ("", "ListView"), ("", "DetailView"), ("Channel", "ListView"), ("Channel", "DetailView"),
    )]
    for kind in PLURALS
}  # fmt: skip

omnitron_urlpatterns = [
    pattern
    for kind, plural in PLURALS.items()
    for pattern in (
        path(f"api/v1/{plural}/", _VIEWS[kind][0].as_view(), name=f"{kind}-list"),
        path(f"api/v1/{plural}/<int:pk>/", _VIEWS[kind][1].as_view(), name=f"{kind}-detail"),
    )
]
channel_urlpatterns = [
    pattern
    for kind, plural in PLURALS.items()
    for pattern in (
        path(f"{plural}/", _VIEWS[kind][2].as_view(), name=f"channel-{kind}-list"),
        path(f"{plural}/<int:pk>/", _VIEWS[kind][3].as_view(), name=f"channel-{kind}-detail"),
    )
]
