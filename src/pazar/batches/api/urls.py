from django.urls import path, re_path

from pazar.batches.api import views

seller_center_urlpatterns = [
    path(
        "api/i2/products/batch-requests/<uuid:id>/",
        views.BatchRequestView.as_view(),
        name="batch-request",
    ),
    re_path(
        r"^api/i2/products/batch-requests/(?P<id>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})"
        r"/files/(?P<kind>request|success|error)\.json$",
        views.BatchFileView.as_view(),
        name="batch-request-file",
    ),
]
