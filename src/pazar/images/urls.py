"""Mounted at MEDIA_URL (`/files/`) by the root URLconf."""

from django.urls import path

from pazar.images import files, views

urlpatterns = [
    path(f"{files.DIRECTORY}/<path:name>", views.product_image_file, name="product-image-file"),
]
