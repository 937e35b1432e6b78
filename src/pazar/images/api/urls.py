from django.urls import path

from pazar.images.api import views

omnitron_urlpatterns = [
    path("api/v1/product_image/", views.ProductImageListView.as_view(), name="product-image-list"),
    path(
        "api/v1/product_image/<int:pk>/",
        views.ProductImageDetailView.as_view(),
        name="product-image-detail",
    ),
    path("api/v1/product_video/", views.ProductVideoListView.as_view(), name="product-video-list"),
    path(
        "api/v1/product_video/<int:pk>/",
        views.ProductVideoDetailView.as_view(),
        name="product-video-detail",
    ),
    path(
        "api/i1/downloadable_image/",
        views.DownloadableImageListView.as_view(),
        name="downloadable-image-list",
    ),
    path(
        "api/i1/downloadable_image/<int:pk>/",
        views.DownloadableImageDetailView.as_view(),
        name="downloadable-image-detail",
    ),
]
