"""Product images: files in Django's default storage, and the downloads that replace them.

An image's file is named by its content (`product_images/<product>/<sha256>.<ext>`), so a
product stores each content once and a stored URL never changes meaning.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImageType(models.TextChoices):
    DEFAULT = "default", _("default")
    SWATCH = "swatch", _("swatch")


class ImageSource(models.TextChoices):
    UNIFIED = "unified", _("unified")
    INTEGRATION = "integration", _("integration")
    SELLER_CENTER = "seller_center", _("seller center")


class ImageStatus(models.TextChoices):
    ACTIVE = "active", _("active")
    DISABLED = "disabled", _("disabled")


class ProductImage(models.Model):
    product = models.ForeignKey(
        "catalog.Product",
        on_delete=models.CASCADE,
        related_name="product_images",
        verbose_name=_("product"),
    )
    image = models.FileField(max_length=255, upload_to="product_images/", verbose_name=_("image"))
    order = models.PositiveIntegerField(default=0, verbose_name=_("order"))
    image_type = models.CharField(
        max_length=10,
        choices=ImageType.choices,
        default=ImageType.DEFAULT,
        verbose_name=_("image type"),
    )
    source = models.CharField(
        max_length=20, choices=ImageSource.choices, null=True, blank=True, verbose_name=_("source")
    )
    # Follows `is_active` (set by the services); Omnitron shows it read-only.
    status = models.CharField(
        max_length=10,
        choices=ImageStatus.choices,
        default=ImageStatus.ACTIVE,
        verbose_name=_("status"),
    )
    is_active = models.BooleanField(default=True, verbose_name=_("is active"))
    width = models.PositiveIntegerField(verbose_name=_("width"))
    height = models.PositiveIntegerField(verbose_name=_("height"))
    hash = models.CharField(
        max_length=64, help_text=_("SHA-256 of the file, hex."), verbose_name=_("hash")
    )
    source_url = models.URLField(max_length=2000, blank=True, verbose_name=_("source URL"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        verbose_name = _("product image")
        verbose_name_plural = _("product images")
        ordering = ["product", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["product", "hash"], name="unique_product_image_hash")
        ]

    def __str__(self) -> str:
        return self.image.name


class ProductVideo(models.Model):
    """An MP4 file shown with a product; named by its content like images."""

    product = models.ForeignKey(
        "catalog.Product",
        on_delete=models.CASCADE,
        related_name="product_videos",
        verbose_name=_("product"),
    )
    video = models.FileField(max_length=255, upload_to="product_videos/", verbose_name=_("video"))
    order = models.PositiveIntegerField(default=0, verbose_name=_("order"))
    source = models.CharField(
        max_length=20, choices=ImageSource.choices, null=True, blank=True, verbose_name=_("source")
    )
    status = models.CharField(
        max_length=10,
        choices=ImageStatus.choices,
        default=ImageStatus.ACTIVE,
        verbose_name=_("status"),
    )
    is_active = models.BooleanField(default=True, verbose_name=_("is active"))
    size = models.PositiveBigIntegerField(help_text=_("Bytes."), verbose_name=_("size"))
    hash = models.CharField(
        max_length=64, help_text=_("SHA-256 of the file, hex."), verbose_name=_("hash")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        verbose_name = _("product video")
        verbose_name_plural = _("product videos")
        ordering = ["product", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["product", "hash"], name="unique_product_video_hash")
        ]

    def __str__(self) -> str:
        return self.video.name


class DownloadStatus(models.TextChoices):
    WAITING = "waiting", _("waiting")
    PROCESSING = "processing", _("processing")
    COMPLETED = "completed", _("completed")
    FAILED = "failed", _("failed")


class ImageDownload(models.Model):
    """A request to replace a product's whole image set with the images at some URLs.

    `images` is the request (`[{"url", "order", "image_type"}]`); the background worker fills
    `results` (`[{"url", "product_image"}]`) when it completes, or `errors`
    (`[{"index", "url", "code", "detail"}]`) when it fails and nothing changed.
    """

    product = models.ForeignKey(
        "catalog.Product",
        on_delete=models.CASCADE,
        related_name="image_downloads",
        verbose_name=_("product"),
    )
    product_sku = models.CharField(max_length=255, verbose_name=_("product SKU"))
    images = models.JSONField(default=list, verbose_name=_("images"))
    status = models.CharField(
        max_length=10,
        choices=DownloadStatus.choices,
        default=DownloadStatus.WAITING,
        verbose_name=_("status"),
    )
    results = models.JSONField(default=list, blank=True, verbose_name=_("results"))
    errors = models.JSONField(default=list, blank=True, verbose_name=_("errors"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))
    started_at = models.DateTimeField(null=True, blank=True, verbose_name=_("started at"))
    finished_at = models.DateTimeField(null=True, blank=True, verbose_name=_("finished at"))

    class Meta:
        verbose_name = _("image download")
        verbose_name_plural = _("image downloads")
        ordering = ["-pk"]
        indexes = [models.Index(fields=["product", "status"], name="image_download_product")]

    def __str__(self) -> str:
        return f"{self.product_sku} ({self.status})"
