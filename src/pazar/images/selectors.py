"""Reads of the images app other apps use."""

from django.db.models import QuerySet

from pazar.images.models import ProductImage


def active_product_images() -> QuerySet[ProductImage]:
    """The images shown on products, by pk."""
    return ProductImage.objects.filter(is_active=True).order_by("pk")
