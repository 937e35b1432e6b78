from django.urls import path

from pazar.applications.api import views

omnitron_urlpatterns = [
    path("api/v1/applications/", views.ApplicationListView.as_view(), name="application-list"),
    path(
        "api/v1/applications/<int:pk>/",
        views.ApplicationDetailView.as_view(),
        name="application-detail",
    ),
    path(
        "api/v1/applications/<int:pk>/proxy_secret/",
        views.ApplicationProxySecretView.as_view(),
        name="application-proxy-secret",
    ),
    path(
        "api/v1/application_permissions/",
        views.ApplicationPermissionListView.as_view(),
        name="application-permission-list",
    ),
    path(
        "api/v1/application_permissions/<int:pk>/",
        views.ApplicationPermissionDetailView.as_view(),
        name="application-permission-detail",
    ),
]
