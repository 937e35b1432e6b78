"""Writes of product images.

- `image_download_accept` records a request to replace a product's images from URLs and queues
  its task, in one transaction.
- `image_download_run` (the task) downloads and checks the new images outside any transaction,
  then applies the whole set in one transaction, or nothing: when any image fails the product
  keeps the images it had and the download records, per URL, why.
- `product_image_create` / `_update` / `_delete` are the v1 writes of single images.

Each write ends with `product_images_publish`, which sets `Product.images` (the list the
Seller Center shows) to the URLs of the active images in order. Files of deleted images are
removed after the commit, and only when no image refers to them any more.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from pazar.catalog.models import Product
from pazar.catalog.selectors import omnitron_products_by_sku
from pazar.core.services import field_error, model_update
from pazar.images import files
from pazar.images.download import Downloaded, DownloadFailed, Limits, fetch
from pazar.images.error_codes import ErrorCode
from pazar.images.inspection import (
    DOWNLOAD_FORMATS,
    UPLOAD_FORMATS,
    ImageRejected,
    InspectedImage,
    inspect_image,
    max_dimensions,
    sha256_of,
)
from pazar.images.models import (
    DownloadStatus,
    ImageDownload,
    ImageSource,
    ImageStatus,
    ImageType,
    ProductImage,
)

logger = logging.getLogger(__name__)

UPLOAD_EXTENSIONS = {".png", ".jpg", ".jpeg"}


# --- Product.images -------------------------------------------------------------------------


def product_images_publish(*, product_id: int) -> list[str]:
    """Set `Product.images` to the active images' URLs, in order; returns them."""
    names = ProductImage.objects.filter(product_id=product_id, is_active=True).order_by(
        "order", "pk"
    )
    urls = [files.public_url(name) for name in names.values_list("image", flat=True)]
    Product.objects.filter(pk=product_id).update(images=urls, updated_at=timezone.now())
    return urls


def _delete_files_after_commit(*, product_id: int, names: set[str]) -> None:
    if names:
        transaction.on_commit(
            lambda: image_files_delete_unreferenced(product_id=product_id, names=names)
        )


def image_files_delete_unreferenced(*, product_id: int, names: set[str]) -> None:
    """Delete those of `names` no image refers to, holding the product's lock so that a write
    adding an image with the same content waits for the deletion or prevents it."""
    with transaction.atomic():
        Product.objects.select_for_update().filter(pk=product_id).first()
        used = set(ProductImage.objects.filter(image__in=names).values_list("image", flat=True))
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
    _delete_files_after_commit(product_id=product_id, names={name})


# --- i1: replace a product's images from URLs -----------------------------------------------


@transaction.atomic
def image_download_accept(*, product_sku: str, images: list[dict], user=None) -> ImageDownload:
    """Record the request and queue the download; `images` are `{"url", "order", "image_type"}`
    with distinct URLs (the caller checked the envelope)."""
    from pazar.images.tasks import process_image_download

    found, ambiguous = omnitron_products_by_sku([product_sku])
    if product_sku in ambiguous:
        raise field_error(
            "product_sku",
            "Several sellers have a product with this SKU; "
            "upload the images by product id (/api/v1/product_image/).",
            ErrorCode.AMBIGUOUS_SKU,
        )
    if product_sku not in found:
        raise field_error("product_sku", "No product has this SKU.", ErrorCode.UNKNOWN_SKU)
    download = ImageDownload.objects.create(
        product=found[product_sku],
        product_sku=product_sku,
        images=[
            {"url": item["url"], "order": item["order"], "image_type": item["image_type"]}
            for item in images
        ],
        created_by=user,
    )
    process_image_download.enqueue(download_id=download.pk)
    return download


@dataclass
class Fetched:
    downloaded: Downloaded
    image: InspectedImage


class _Abandoned(Exception):
    """The set cannot be applied as a whole; `errors` say why."""

    def __init__(self, errors: list[dict]):
        super().__init__(errors)
        self.errors = errors


def _error(index: int | None, url: str | None, code: ErrorCode, detail: str) -> dict:
    return {"index": index, "url": url, "code": str(code), "detail": detail}


def image_download_run(*, download_id: int) -> None:
    """Apply a replacement request; running it again once it has finished changes nothing."""
    download = ImageDownload.objects.filter(pk=download_id).first()
    if download is None or download.status in {DownloadStatus.COMPLETED, DownloadStatus.FAILED}:
        return
    now = timezone.now()
    ImageDownload.objects.filter(pk=download.pk, status=DownloadStatus.WAITING).update(
        status=DownloadStatus.PROCESSING, started_at=now, updated_at=now
    )
    fetched: dict[str, Fetched] = {}
    try:
        fetched, errors = _fetch_new_images(download)
        if errors:
            raise _Abandoned(errors)
        _apply(download_id=download.pk, fetched=fetched)
    except _Abandoned as exc:
        _finish_failed(download_id=download.pk, errors=exc.errors)
    except Exception:
        logger.exception("image download %s failed", download.pk)
        detail = "The images could not be stored; nothing was changed. Send the request again."
        _finish_failed(
            download_id=download.pk, errors=[_error(None, None, ErrorCode.ERROR, detail)]
        )
    finally:
        for item in fetched.values():
            item.downloaded.close()


def _fetch_new_images(download: ImageDownload) -> tuple[dict[str, Fetched], list[dict]]:
    """Download and check each requested URL the product has no image from yet."""
    known = set(
        ProductImage.objects.filter(product_id=download.product_id)
        .exclude(source_url="")
        .values_list("source_url", flat=True)
    )
    limits, max_size = Limits.from_settings(), max_dimensions()
    fetched: dict[str, Fetched] = {}
    errors: list[dict] = []
    for index, item in enumerate(download.images):
        url = item["url"]
        if url in known:
            continue
        try:
            downloaded = fetch(url, limits=limits)
        except DownloadFailed as exc:
            errors.append(_error(index, url, exc.code, exc.detail))
            continue
        try:
            image = inspect_image(downloaded.file, formats=DOWNLOAD_FORMATS, max_size=max_size)
        except ImageRejected as exc:
            downloaded.close()
            errors.append(_error(index, url, exc.code, exc.detail))
            continue
        fetched[url] = Fetched(downloaded, image)
    return fetched, errors


def _apply(*, download_id: int, fetched: dict[str, Fetched]) -> None:
    created_files: list[str] = []
    try:
        with transaction.atomic():
            download = (
                ImageDownload.objects.select_for_update()
                .filter(pk=download_id, status=DownloadStatus.PROCESSING)
                .first()
            )
            if download is None:
                return  # finished by another run of the same task
            product = Product.objects.select_for_update().get(pk=download.product_id)
            newer = ImageDownload.objects.filter(
                product=product, pk__gt=download.pk, status=DownloadStatus.COMPLETED
            )
            if newer.exists():
                detail = "A later request for this product was applied first; nothing was changed."
                raise _Abandoned([_error(None, None, ErrorCode.SUPERSEDED, detail)])
            results = _replace_images(product, download.images, fetched, created_files)
            product_images_publish(product_id=product.pk)
            download.status = DownloadStatus.COMPLETED
            download.results, download.errors = results, []
            download.finished_at = timezone.now()
            download.save(
                update_fields=["status", "results", "errors", "finished_at", "updated_at"]
            )
    except BaseException:
        files.delete_quietly(created_files)
        raise


def _replace_images(
    product: Product, requested: list[dict], fetched: dict[str, Fetched], created_files: list[str]
) -> list[dict]:
    """Make `requested` the product's image set with bulk statements; returns the results."""
    current = list(ProductImage.objects.filter(product=product))
    by_url = {image.source_url: image for image in current if image.source_url}
    by_hash = {image.hash: image for image in current}
    chosen: dict[int, ProductImage] = {}  # id() → image, in request order
    results, errors = [], []
    for index, item in enumerate(requested):
        url = item["url"]
        image = by_url.get(url)
        if image is None and url not in fetched:
            detail = "The image from this URL was deleted meanwhile; send the request again."
            errors.append(_error(index, url, ErrorCode.IMAGE_CHANGED, detail))
            continue
        if image is None:
            got = fetched[url]
            image = by_hash.get(got.downloaded.sha256)
            if image is None:
                image = _new_image(product, url, got, created_files)
                by_hash[image.hash] = image
            elif id(image) not in chosen:
                image.source_url = url
        if id(image) not in chosen:  # the first of several URLs with the same content wins
            image.order, image.image_type = item["order"], item["image_type"]
            chosen[id(image)] = image
        results.append((url, image))
    if errors:
        raise _Abandoned(errors)
    kept = [image for image in chosen.values() if image.pk is not None]
    new = [image for image in chosen.values() if image.pk is None]
    removed = [image for image in current if id(image) not in chosen]
    now = timezone.now()
    ProductImage.objects.filter(pk__in=[image.pk for image in removed]).delete()
    for image in kept:
        image.updated_at = now
    ProductImage.objects.bulk_update(kept, ["order", "image_type", "source_url", "updated_at"])
    ProductImage.objects.bulk_create(new)
    _delete_files_after_commit(product_id=product.pk, names={image.image.name for image in removed})
    return [{"url": url, "product_image": image.pk} for url, image in results]


def _new_image(product: Product, url: str, got: Fetched, created_files: list[str]) -> ProductImage:
    sha256 = got.downloaded.sha256
    name = files.image_name(product_id=product.pk, sha256=sha256, extension=got.image.extension)
    if files.save_once(name, got.downloaded.file):
        created_files.append(name)
    return ProductImage(
        product=product,
        image=name,
        source=ImageSource.INTEGRATION,
        source_url=url,
        width=got.image.width,
        height=got.image.height,
        hash=sha256,
        status=ImageStatus.ACTIVE,
        is_active=True,
    )


def _finish_failed(*, download_id: int, errors: list[dict]) -> None:
    now = timezone.now()
    ImageDownload.objects.filter(
        pk=download_id, status__in=[DownloadStatus.WAITING, DownloadStatus.PROCESSING]
    ).update(
        status=DownloadStatus.FAILED, errors=errors, results=[], finished_at=now, updated_at=now
    )
