"""Writes of product videos (v1): MP4 uploads, ordering, showing and hiding, deleting.

`product_videos_publish` sets `Product.videos` (the list the Seller Center shows) to the URLs
of the active videos in order, after every write.
"""

from __future__ import annotations

from django.conf import settings

from pazar.catalog.models import Product
from pazar.catalog.services import product_videos_set
from pazar.core.services import field_error
from pazar.images import files
from pazar.images.error_codes import ErrorCode
from pazar.images.inspection import sha256_of
from pazar.images.models import ProductVideo
from pazar.images.services.media import MediaKind, media_create, media_delete, media_update

# ISO base media files that are still images, not videos.
IMAGE_BRANDS = {b"heic", b"heix", b"mif1", b"msf1", b"avif", b"avis"}


def product_videos_publish(*, product_id: int) -> list[str]:
    """Set `Product.videos` to the active videos' URLs, in order; returns them."""
    names = ProductVideo.objects.filter(product_id=product_id, is_active=True).order_by(
        "order", "pk"
    )
    urls = [files.public_url(name) for name in names.values_list("video", flat=True)]
    product_videos_set(product_id=product_id, urls=urls)
    return urls


def _check_upload(upload) -> str:
    if not upload.name.lower().endswith(".mp4"):
        raise field_error("video", "Upload an .mp4 file.", ErrorCode.UNSUPPORTED_FORMAT)
    if upload.size > settings.PAZAR_VIDEO_MAX_BYTES:
        raise field_error(
            "video",
            f"The file is larger than {settings.PAZAR_VIDEO_MAX_BYTES} bytes.",
            ErrorCode.TOO_LARGE,
        )
    upload.seek(0)
    head = upload.read(12)
    # An MP4 file opens with its `ftyp` box: 4 bytes of size, "ftyp", the major brand.
    if len(head) < 12 or head[4:8] != b"ftyp" or head[8:12] in IMAGE_BRANDS:
        raise field_error("video", "The file is not an MP4 video.", ErrorCode.NOT_A_VIDEO)
    return sha256_of(upload)


VIDEOS = MediaKind(
    model=ProductVideo,
    field="video",
    duplicate_code=ErrorCode.DUPLICATE_VIDEO,
    updatable=("order", "source", "is_active"),
    publish=product_videos_publish,
)


def product_video_create(
    *,
    product: Product,
    video,
    source: str | None = None,
    order: int | None = None,
    is_active: bool = True,
) -> ProductVideo:
    """Store an uploaded MP4 (`video`: an uploaded file). Without `order` it goes last."""
    sha256 = _check_upload(video)
    return media_create(
        kind=VIDEOS,
        product=product,
        upload=video,
        name=files.video_name(product_id=product.pk, sha256=sha256),
        sha256=sha256,
        order=order,
        fields={"source": source, "is_active": is_active, "size": video.size},
    )


def product_video_update(*, product_video: ProductVideo, data: dict) -> ProductVideo:
    """Change `order`, `source` or `is_active` (which sets `status`)."""
    return media_update(kind=VIDEOS, item=product_video, data=data)


def product_video_delete(*, product_video: ProductVideo) -> None:
    media_delete(kind=VIDEOS, item=product_video)
