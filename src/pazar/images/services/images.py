"""Writes of single product images (v1), and what every image write ends with.

`product_images_publish` sets `Product.images` (the list the Seller Center shows) to the URLs
of the active images in order. The writes are those of every media file (`media`).
"""

from __future__ import annotations

from django.conf import settings

from pazar.catalog.models import Product
from pazar.catalog.services import product_images_set
from pazar.core.services import field_error
from pazar.images import files
from pazar.images.error_codes import ErrorCode
from pazar.images.inspection import (
    UPLOAD_FORMATS,
    ImageRejected,
    InspectedImage,
    inspect_image,
    max_dimensions,
    sha256_of,
)
from pazar.images.models import ImageType, ProductImage
from pazar.images.services.media import MediaKind, media_create, media_delete, media_update

UPLOAD_EXTENSIONS = {".png", ".jpg", ".jpeg"}

# --- Product.images -------------------------------------------------------------------------


def product_images_publish(*, product_id: int) -> list[str]:
    """Set `Product.images` to the active images' URLs, in order; returns them."""
    names = ProductImage.objects.filter(product_id=product_id, is_active=True).order_by(
        "order", "pk"
    )
    urls = [files.public_url(name) for name in names.values_list("image", flat=True)]
    product_images_set(product_id=product_id, urls=urls)
    return urls


# --- v1: single images ----------------------------------------------------------------------


def _check_upload(upload) -> tuple[InspectedImage, str]:
    extension = "." + upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    if extension not in UPLOAD_EXTENSIONS:
        raise field_error(
            "image", "Upload a .png, .jpg or .jpeg file.", ErrorCode.UNSUPPORTED_FORMAT
        )
    if upload.size > settings.PAZAR_IMAGE_MAX_BYTES:
        raise field_error(
            "image",
            f"The file is larger than {settings.PAZAR_IMAGE_MAX_BYTES} bytes.",
            ErrorCode.TOO_LARGE,
        )
    try:
        inspected = inspect_image(upload, formats=UPLOAD_FORMATS, max_size=max_dimensions())
    except ImageRejected as exc:
        raise field_error("image", exc.detail, exc.code) from None
    if (extension == ".png") != (inspected.format == "PNG"):
        raise field_error(
            "image",
            f"The file is a {inspected.format} image, not what its name ({extension}) says.",
            ErrorCode.UNSUPPORTED_FORMAT,
        )
    return inspected, sha256_of(upload)


IMAGES = MediaKind(
    model=ProductImage,
    field="image",
    duplicate_code=ErrorCode.DUPLICATE_IMAGE,
    updatable=("order", "image_type", "source", "is_active"),
    publish=product_images_publish,
)


def product_image_create(
    *,
    product: Product,
    image,
    source: str | None = None,
    order: int | None = None,
    image_type: str = ImageType.DEFAULT,
    is_active: bool = True,
) -> ProductImage:
    """Store an uploaded image (`image`: an uploaded file). Without `order` it goes last."""
    inspected, sha256 = _check_upload(image)
    return media_create(
        kind=IMAGES,
        product=product,
        upload=image,
        name=files.image_name(product_id=product.pk, sha256=sha256, extension=inspected.extension),
        sha256=sha256,
        order=order,
        fields={
            "image_type": image_type,
            "source": source,
            "is_active": is_active,
            "width": inspected.width,
            "height": inspected.height,
        },
    )


def product_image_update(*, product_image: ProductImage, data: dict) -> ProductImage:
    """Change `order`, `image_type`, `source` or `is_active` (which sets `status`)."""
    return media_update(kind=IMAGES, item=product_image, data=data)


def product_image_delete(*, product_image: ProductImage) -> None:
    media_delete(kind=IMAGES, item=product_image)
