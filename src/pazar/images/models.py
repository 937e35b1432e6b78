"""Product images: files in Django's default storage, and the downloads that replace them.

An image's file is named by its content (`product_images/<product>/<sha256>.<ext>`), so a
product stores each content once and a stored URL never changes meaning.
"""

from django.conf import settings
from django.db import models


class ImageType(models.TextChoices):
    DEFAULT = "default"
    SWATCH = "swatch"


class ImageSource(models.TextChoices):
    UNIFIED = "unified"
    INTEGRATION = "integration"
    SELLER_CENTER = "seller_center"


class ImageStatus(models.TextChoices):
    ACTIVE = "active"
    DISABLED = "disabled"


class ProductImage(models.Model):
    product = models.ForeignKey(
        "catalog.Product", on_delete=models.CASCADE, related_name="product_images"
    )
    image = models.FileField(max_length=255, upload_to="product_images/")
    order = models.PositiveIntegerField(default=0)
    image_type = models.CharField(
        max_length=10, choices=ImageType.choices, default=ImageType.DEFAULT
    )
    source = models.CharField(max_length=20, choices=ImageSource.choices, null=True, blank=True)
    # Follows `is_active` (set by the services); Omnitron shows it read-only.
    status = models.CharField(
        max_length=10, choices=ImageStatus.choices, default=ImageStatus.ACTIVE
    )
    is_active = models.BooleanField(default=True)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    hash = models.CharField(max_length=64, help_text="SHA-256 of the file, hex.")
    source_url = models.URLField(max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["product", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["product", "hash"], name="unique_product_image_hash")
        ]

    def __str__(self) -> str:
        return self.image.name


class ProductVideo(models.Model):
    """An MP4 file shown with a product; named by its content like images."""

    product = models.ForeignKey(
        "catalog.Product", on_delete=models.CASCADE, related_name="product_videos"
    )
    video = models.FileField(max_length=255, upload_to="product_videos/")
    order = models.PositiveIntegerField(default=0)
    source = models.CharField(max_length=20, choices=ImageSource.choices, null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=ImageStatus.choices, default=ImageStatus.ACTIVE
    )
    is_active = models.BooleanField(default=True)
    size = models.PositiveBigIntegerField(help_text="Bytes.")
    hash = models.CharField(max_length=64, help_text="SHA-256 of the file, hex.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["product", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["product", "hash"], name="unique_product_video_hash")
        ]

    def __str__(self) -> str:
        return self.video.name


class DownloadStatus(models.TextChoices):
    WAITING = "waiting"
    PROCESSING = "processing"
    COMPLETED = "completed"
    FAILED = "failed"


class ImageDownload(models.Model):
    """A request to replace a product's whole image set with the images at some URLs.

    `images` is the request (`[{"url", "order", "image_type"}]`); the background worker fills
    `results` (`[{"url", "product_image"}]`) when it completes, or `errors`
    (`[{"index", "url", "code", "detail"}]`) when it fails and nothing changed.
    """

    product = models.ForeignKey(
        "catalog.Product", on_delete=models.CASCADE, related_name="image_downloads"
    )
    product_sku = models.CharField(max_length=255)
    images = models.JSONField(default=list)
    status = models.CharField(
        max_length=10, choices=DownloadStatus.choices, default=DownloadStatus.WAITING
    )
    results = models.JSONField(default=list, blank=True)
    errors = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-pk"]
        indexes = [models.Index(fields=["product", "status"], name="image_download_product")]

    def __str__(self) -> str:
        return f"{self.product_sku} ({self.status})"
