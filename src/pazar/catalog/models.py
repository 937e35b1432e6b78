"""The marketplace's category tree, attribute definitions and products.

Every row has an integer `pk` (Omnitron's ids) and a `uuid` (the Seller Center's `id`), so each
API can speak its own dialect about the same data.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q


class DataType(models.TextChoices):
    DROPDOWN = "dropdown"
    TEXT = "text"
    TEXTAREA = "textarea"
    NUMBER = "number"
    BOOLEAN = "boolean"
    DATE = "date"
    MULTISELECT = "multiselect"


class Category(models.Model):
    """A node of the category tree; `translations` is `{"tr-tr": {"name": "…"}}`."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=255)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    code = models.SlugField(max_length=100, unique=True)
    translations = models.JSONField(default=dict, blank=True)
    order = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["order", "name"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.name


class Attribute(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    key = models.CharField(max_length=100, unique=True)
    name = models.CharField(max_length=255)
    data_type = models.CharField(max_length=20, choices=DataType.choices, default=DataType.TEXT)
    default_value = models.JSONField(null=True, blank=True)
    is_localizable = models.BooleanField(default=False)
    translations = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["key"]

    def __str__(self) -> str:
        return self.key


class AttributeValue(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    attribute = models.ForeignKey(Attribute, on_delete=models.CASCADE, related_name="values")
    label = models.CharField(max_length=255)
    value = models.CharField(max_length=255)
    order = models.PositiveIntegerField(default=0)
    translations = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["attribute", "order", "value"]
        constraints = [
            models.UniqueConstraint(fields=["attribute", "value"], name="unique_attribute_value")
        ]

    def __str__(self) -> str:
        return f"{self.attribute.key}={self.value}"


class CategoryAttribute(models.Model):
    """How an attribute is used by the products of one category."""

    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="attribute_links")
    attribute = models.ForeignKey(
        Attribute, on_delete=models.CASCADE, related_name="category_links"
    )
    is_required = models.BooleanField(default=False)
    is_variant = models.BooleanField(default=False)
    is_offer = models.BooleanField(default=False)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "attribute__key"]
        constraints = [
            models.UniqueConstraint(
                fields=["category", "attribute"], name="unique_category_attribute"
            )
        ]


class ApprovalStatus(models.TextChoices):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


class ProductQuerySet(models.QuerySet):
    def catalog(self):
        """The marketplace master catalog: approved, active products."""
        return self.filter(approved=True, is_active=True)


class Product(models.Model):
    """A product of the catalog. With a `seller`, it is that seller's offer (one SKU).

    `approved` says whether the product is live; the data in the row is always the approved
    version. A seller's change to catalog data waits in a pending `ProductRevision` until an
    operator decides; a new product waits as a row with `approved=False`.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    seller = models.ForeignKey(
        "accounts.Seller",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="products",
        db_index=False,  # (seller, sku) and the indexes below lead with the seller
    )
    sku = models.CharField(max_length=255)
    base_code = models.CharField(max_length=255)
    name = models.CharField(max_length=255)
    category = models.ForeignKey(
        Category, null=True, blank=True, on_delete=models.PROTECT, related_name="products"
    )
    attributes = models.JSONField(default=dict, blank=True)
    images = models.JSONField(default=list, blank=True)
    videos = models.JSONField(default=list, blank=True)
    catalog_product = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="offers",
        help_text="The catalog product this offer sells (PRD101 `product`).",
    )  # fmt: skip
    restrict_for_others = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)
    approved = models.BooleanField(default=False)
    approval_status = models.CharField(
        max_length=10, choices=ApprovalStatus.choices, default=ApprovalStatus.PENDING
    )
    rejection_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProductQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-pk"]
        constraints = [
            # NULL sellers never conflict here, so operators' own products are covered below.
            models.UniqueConstraint(fields=["seller", "sku"], name="unique_seller_sku"),
            models.UniqueConstraint(
                fields=["sku"], condition=Q(seller__isnull=True), name="unique_catalog_sku"
            ),
        ]
        indexes = [
            # PRD102's default page: a seller's approved products, newest first, read in index order.
            models.Index(
                fields=["seller", "-updated_at", "-id"],
                condition=Q(approved=True),
                name="product_seller_list",
            ),
            # Counts of a seller's (approved) products, also by category, from the index alone.
            models.Index(fields=["seller", "approved", "category"], name="product_seller_count"),
            models.Index(fields=["approval_status"], name="product_approval"),
            models.Index(fields=["base_code"], name="product_base_code"),
        ]

    def __str__(self) -> str:
        return self.sku


class ProductRevision(models.Model):
    """A seller's change to an approved product's catalog data, waiting for an operator."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="revisions")
    data = models.JSONField(
        help_text="The proposed catalog fields, as the product would hold them."
    )
    status = models.CharField(
        max_length=10, choices=ApprovalStatus.choices, default=ApprovalStatus.PENDING
    )
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["product"], condition=Q(status="pending"), name="one_pending_revision"
            )
        ]
