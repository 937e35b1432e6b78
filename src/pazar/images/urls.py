"""Mounted at MEDIA_URL (`/files/`) by the root URLconf."""

from django.urls import path

from pazar.images import files, views

urlpatterns = [
    path(
        f"{directory}/<path:name>",
        views.product_media_file,
        {"directory": directory},
        name=f"{directory}-file",
    )
    for directory in [files.DIRECTORY, files.VIDEO_DIRECTORY]
]
