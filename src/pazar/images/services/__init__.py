"""Writes of product images and videos: `images` (v1, one image at a time, and what every image
write ends with), `media` (the store every image and video write goes through), `downloads` (i1, a whole image set from URLs, in the background), `videos`."""

from pazar.images.services.downloads import (
    image_download_accept,
    image_download_recover,
    image_download_run,
)
from pazar.images.services.images import (
    product_image_create,
    product_image_delete,
    product_image_update,
    product_images_publish,
)
from pazar.images.services.media import files_delete_unreferenced
from pazar.images.services.videos import (
    product_video_create,
    product_video_delete,
    product_video_update,
    product_videos_publish,
)

__all__ = [
    "files_delete_unreferenced",
    "image_download_accept",
    "image_download_recover",
    "image_download_run",
    "product_image_create",
    "product_image_delete",
    "product_image_update",
    "product_images_publish",
    "product_video_create",
    "product_video_delete",
    "product_video_update",
    "product_videos_publish",
]
