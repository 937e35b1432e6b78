from django.urls import path

from pazar.sites.dynamic_settings import views

omnitron_urlpatterns = [
    path(
        "api/v1/dynamic_settings/",
        views.DynamicSettingListView.as_view(),
        name="dynamic-setting-list",
    ),
    path(
        "api/v1/dynamic_settings/<int:pk>/",
        views.DynamicSettingDetailView.as_view(),
        name="dynamic-setting-detail",
    ),
]
