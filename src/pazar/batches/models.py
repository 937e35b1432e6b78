"""Batch requests: a seller's bulk write, accepted at once and applied by a worker.

The row owns the truth of a batch: its status, the lease of the worker applying it and the
attempts made. Tasks only carry the id; a task that finds nothing to do does nothing.
"""

import uuid

from django.db import models
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _


class BatchKind(models.TextChoices):
    PRODUCT_UPSERT = "product_upsert", _("Product Upsert")
    PRODUCT_DELETE = "product_delete", _("Product Delete")
    PRICE_STOCK_UPSERT = "price_stock_upsert", _("Price & Stock Upsert")
    PRICE_UPSERT = "price_upsert", _("Price Upsert")
    STOCK_UPSERT = "stock_upsert", _("Stock Upsert")


class BatchStatus(models.IntegerChoices):
    WAITING = 1, _("waiting")
    PROCESSING = 2, _("processing")
    COMPLETED = 3, _("completed")
    FAILED = 4, _("failed")


class FileFormat(models.TextChoices):
    CSV = "csv", "CSV"
    XLSX = "xlsx", "XLSX"


class BatchImport(models.Model):
    """A file of rows a seller uploaded in the panel, applied as batches of at most
    `PAZAR_BULK_MAX_ITEMS` rows (`BatchRequest.file_import`), in the file's order.

    `table_file` keeps the file's cells as they were read (columns, rows, row numbers), so the
    rows that fail come back in the file's own format with an error column."""

    id = models.UUIDField(
        primary_key=True, default=uuid.uuid4, editable=False, verbose_name=_("ID")
    )
    seller = models.ForeignKey(
        "accounts.Seller",
        on_delete=models.CASCADE,
        related_name="batch_imports",
        verbose_name=_("seller"),
    )
    kind = models.CharField(max_length=20, choices=BatchKind.choices, verbose_name=_("kind"))
    file_name = models.CharField(max_length=255, verbose_name=_("file name"))
    file_format = models.CharField(
        max_length=4, choices=FileFormat.choices, verbose_name=_("file format")
    )
    delimiter = models.CharField(max_length=1, blank=True, verbose_name=_("CSV delimiter"))
    total = models.PositiveIntegerField(default=0, verbose_name=_("total"))
    table_file = models.CharField(max_length=255, blank=True, verbose_name=_("table file"))
    created_at = models.DateTimeField(db_default=Now(), db_index=True, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("file import")
        verbose_name_plural = _("file imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.file_name


class BatchRequest(models.Model):
    id = models.UUIDField(
        primary_key=True, default=uuid.uuid4, editable=False, verbose_name=_("ID")
    )
    seller = models.ForeignKey(
        "accounts.Seller",
        on_delete=models.CASCADE,
        related_name="batch_requests",
        verbose_name=_("seller"),
    )
    kind = models.CharField(max_length=20, choices=BatchKind.choices, verbose_name=_("kind"))
    status = models.PositiveSmallIntegerField(
        choices=BatchStatus.choices, default=BatchStatus.WAITING, verbose_name=_("status")
    )
    total = models.PositiveIntegerField(default=0, verbose_name=_("total"))
    succeeded = models.PositiveIntegerField(default=0, verbose_name=_("succeeded"))
    failed = models.PositiveIntegerField(default=0, verbose_name=_("failed"))
    processed_in = models.FloatField(
        null=True,
        blank=True,
        help_text=_("Seconds the worker spent applying it."),
        verbose_name=_("processed in"),
    )
    request_file = models.CharField(max_length=255, blank=True, verbose_name=_("request file"))
    success_file = models.CharField(max_length=255, blank=True, verbose_name=_("success file"))
    error_file = models.CharField(max_length=255, blank=True, verbose_name=_("error file"))
    language = models.CharField(max_length=10, blank=True, verbose_name=_("language"))
    file_import = models.ForeignKey(
        BatchImport,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="batches",
        verbose_name=_("file import"),
    )
    # The index (from 0) in the import's rows of this batch's first row.
    import_offset = models.PositiveIntegerField(
        null=True, blank=True, verbose_name=_("first row in the file")
    )
    attempts = models.PositiveSmallIntegerField(default=0, verbose_name=_("attempts"))
    lease_expires_at = models.DateTimeField(
        null=True, blank=True, verbose_name=_("lease expires at")
    )
    leased_by = models.CharField(max_length=64, blank=True, verbose_name=_("leased by"))
    last_enqueued_at = models.DateTimeField(
        null=True, blank=True, verbose_name=_("last enqueued at")
    )
    error = models.TextField(
        blank=True, help_text=_("Why the job failed (status 4)."), verbose_name=_("error")
    )
    # Set by the database's clock, which orders a seller's batches whichever web server took them.
    created_at = models.DateTimeField(db_default=Now(), db_index=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))
    started_at = models.DateTimeField(null=True, blank=True, verbose_name=_("started at"))
    finished_at = models.DateTimeField(null=True, blank=True, verbose_name=_("finished at"))

    class Meta:
        verbose_name = _("batch request")
        verbose_name_plural = _("batch requests")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["seller", "status", "created_at"], name="batch_seller_queue")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.id}"

    @property
    def registry(self) -> str:
        return f"{self.get_kind_display()} ({self.seller.name})"
