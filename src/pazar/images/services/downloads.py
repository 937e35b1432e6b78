"""i1: replace a product's whole image set with the images at some URLs.

- `image_download_accept` records the request and queues its task, in one transaction.
- `image_download_run` (the task) downloads and checks the new images outside any transaction,
  then applies the whole set in one transaction, or nothing: when any image fails the product
  keeps the images it had and the download records, per URL, why.
- `image_download_recover` (run periodically by every worker) queues again the downloads whose
  worker died.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from pazar.catalog.models import Product
from pazar.catalog.selectors import omnitron_products_by_sku
from pazar.core.services import field_error
from pazar.images import files
from pazar.images.download import Downloaded, DownloadFailed, Limits, fetch
from pazar.images.error_codes import ErrorCode
from pazar.images.inspection import (
    DOWNLOAD_FORMATS,
    ImageRejected,
    InspectedImage,
    inspect_image,
    max_dimensions,
)
from pazar.images.models import (
    DownloadStatus,
    ImageDownload,
    ImageSource,
    ImageStatus,
    ProductImage,
)
from pazar.images.services.images import product_images_publish
from pazar.images.services.media import delete_files_after_commit

logger = logging.getLogger(__name__)

# One request replaces a product's whole set; the Seller Center takes as many per product.
MAX_IMAGES = 50


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
    delete_files_after_commit(
        product_id=product.pk,
        names={image.image.name for image in removed},
        model=ProductImage,
    )
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


def image_download_recover() -> int:
    """Queue again the downloads left unfinished longer than any download can take (their
    worker died); returns how many. Running one twice is harmless: only one run applies it."""
    from pazar.images.tasks import process_image_download

    now = timezone.now()
    longest = settings.PAZAR_IMAGE_DOWNLOAD_DEADLINE_SECONDS * MAX_IMAGES + 300
    stale = ImageDownload.objects.filter(
        status__in=[DownloadStatus.WAITING, DownloadStatus.PROCESSING],
        updated_at__lt=now - timedelta(seconds=longest),
    ).values_list("pk", flat=True)[:500]
    count = 0
    for download_id in stale:
        with transaction.atomic():
            # Touching the row first keeps another worker's recovery from queueing it too.
            if ImageDownload.objects.filter(
                pk=download_id, updated_at__lt=now - timedelta(seconds=longest)
            ).update(updated_at=now):
                process_image_download.enqueue(download_id=download_id)
                count += 1
    if count:
        logger.info("re-enqueued %s unfinished image downloads", count)
    return count
