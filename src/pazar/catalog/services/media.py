"""Writes of a product's media lists: the URLs the images app publishes (`Product.images`,
`Product.videos`), in order."""

from __future__ import annotations

from django.utils import timezone

from pazar.catalog.models import Product


def product_images_set(*, product_id: int, urls: list[str]) -> None:
    Product.objects.filter(pk=product_id).update(images=urls, updated_at=timezone.now())


def product_videos_set(*, product_id: int, urls: list[str]) -> None:
    Product.objects.filter(pk=product_id).update(videos=urls, updated_at=timezone.now())
