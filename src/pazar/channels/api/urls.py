from django.urls import path

from pazar.channels.api import views
from pazar.channels.api.sales.urls import sales_urlpatterns

omnitron_urlpatterns = [
    path("api/v1/category_trees/", views.CategoryTreeListView.as_view(), name="category-tree-list"),
    path(
        "api/v1/category_trees/<int:pk>/",
        views.CategoryTreeDetailView.as_view(),
        name="category-tree-detail",
    ),
    path("api/v1/catalogs/", views.CatalogListView.as_view(), name="catalog-list"),
    path("api/v1/catalogs/<int:pk>/", views.CatalogDetailView.as_view(), name="catalog-detail"),
    path("api/v1/catalog_items/", views.CatalogItemListView.as_view(), name="catalog-item-list"),
    path(
        "api/v1/catalog_items/<int:pk>/",
        views.CatalogItemDetailView.as_view(),
        name="catalog-item-detail",
    ),
    path("api/v1/channels/", views.ChannelListView.as_view(), name="channel-list"),
    path("api/v1/channels/<int:pk>/", views.ChannelDetailView.as_view(), name="channel-detail"),
    path("api/v1/content_types/", views.ContentTypeListView.as_view(), name="content-type-list"),
    path(
        "api/v1/content_types/<int:pk>/",
        views.ContentTypeDetailView.as_view(),
        name="content-type-detail",
    ),
    *sales_urlpatterns,
]
