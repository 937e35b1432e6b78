"""Writes of single product images (v1), and what every image write ends with.

`product_images_publish` sets `Product.images` (the list the Seller Center shows) to the URLs
of the active images in order. Files of deleted images are removed after the commit, and only
when nothing refers to them any more.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models, transaction
from django.db.models import Max

from pazar.catalog.models import Product
from pazar.catalog.services import product_images_set
from pazar.core.services import field_error, model_update
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
from pazar.images.models import ImageStatus, ImageType, ProductImage

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


def delete_files_after_commit(
    *, product_id: int, names: set[str], model: type[models.Model] = ProductImage
) -> None:
    if names:
        transaction.on_commit(
            lambda: files_delete_unreferenced(product_id=product_id, names=names, model=model)
        )


def files_delete_unreferenced(
    *, product_id: int, names: set[str], model: type[models.Model] = ProductImage
) -> None:
    """Delete those of `names` no row of `model` refers to, holding the product's lock so that
    a write adding a file with the same content waits for the deletion or prevents it."""
    field = next(f.name for f in model._meta.fields if isinstance(f, models.FileField))
    with transaction.atomic():
        Product.objects.select_for_update().filter(pk=product_id).first()
        used = set(model.objects.filter(**{f"{field}__in": names}).values_list(field, flat=True))
        files.delete_quietly(sorted(set(names) - used))


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
    name = files.image_name(product_id=product.pk, sha256=sha256, extension=inspected.extension)
    created_file = False
    try:
        with transaction.atomic():
            Product.objects.select_for_update().filter(pk=product.pk).first()
            if ProductImage.objects.filter(product=product, hash=sha256).exists():
                raise field_error(
                    "image",
                    f"The product has this image already (hash {sha256}).",
                    ErrorCode.DUPLICATE_IMAGE,
                )
            if order is None:
                last = product.product_images.aggregate(last=Max("order"))["last"]
                order = 0 if last is None else last + 1
            created_file = files.save_once(name, image)
            product_image = ProductImage.objects.create(
                product=product,
                image=name,
                order=order,
                image_type=image_type,
                source=source,
                is_active=is_active,
                status=ImageStatus.ACTIVE if is_active else ImageStatus.DISABLED,
                width=inspected.width,
                height=inspected.height,
                hash=sha256,
            )
            product_images_publish(product_id=product.pk)
    except BaseException:
        if created_file:
            files.delete_quietly([name])
        raise
    return product_image


@transaction.atomic
def product_image_update(*, product_image: ProductImage, data: dict) -> ProductImage:
    """Change `order`, `image_type`, `source` or `is_active` (which sets `status`)."""
    Product.objects.select_for_update().filter(pk=product_image.product_id).first()
    data = dict(data)
    if "is_active" in data:
        data["status"] = ImageStatus.ACTIVE if data["is_active"] else ImageStatus.DISABLED
    fields = ["order", "image_type", "source", "is_active", "status"]
    if model_update(instance=product_image, fields=fields, data=data):
        product_images_publish(product_id=product_image.product_id)
    return product_image


@transaction.atomic
def product_image_delete(*, product_image: ProductImage) -> None:
    product_id = product_image.product_id
    Product.objects.select_for_update().filter(pk=product_id).first()
    name = product_image.image.name
    product_image.delete()
    product_images_publish(product_id=product_id)
    delete_files_after_commit(product_id=product_id, names={name})
