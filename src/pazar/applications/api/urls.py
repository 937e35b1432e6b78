from django.urls import path, re_path

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
    # Every method, any rest of the path (empty included).
    re_path(
        r"^api/v1/app_proxy/(?P<application_id>[0-9]{1,18})/(?P<path>.*)$",
        views.AppProxyView.as_view(),
        name="app-proxy",
    ),
]
