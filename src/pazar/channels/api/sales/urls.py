"""`/api/v1/channel/{channel_id}/…`: the sales-channel API connectors speak (omnitron.md §11)."""

from django.urls import path, re_path

from pazar.channels.api.sales import views

PREFIX = "api/v1/channel/<int:channel_id>/"


def _path(route: str, view, name: str):
    return path(PREFIX + route, view.as_view(), name=f"channel-{name}")


sales_urlpatterns = [
    _path("batch_requests/", views.BatchRequestListView, "batch-request-list"),
    _path("batch_requests/<int:pk>/", views.BatchRequestDetailView, "batch-request-detail"),
    _path("integration_actions/", views.IntegrationActionListView, "integration-action-list"),
    _path(
        "integration_actions/deleted/",
        views.DeletedIntegrationActionListView,
        "integration-action-deleted",
    ),
    _path(
        "integration_actions/<int:pk>/",
        views.IntegrationActionDetailView,
        "integration-action-detail",
    ),
    _path("error_reports/", views.ErrorReportListView, "error-report-list"),
    _path("error_reports/<int:pk>/", views.ErrorReportDetailView, "error-report-detail"),
    re_path(
        r"^api/v1/channel/(?P<channel_id>[0-9]+)/error_reports/"
        r"(?P<kind>distinct|country|city|township|district)/$",
        views.AddressErrorReportView.as_view(),
        name="channel-address-error-report",
    ),
]
