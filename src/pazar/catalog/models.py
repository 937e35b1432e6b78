"""The marketplace's category tree and the attributes products are described with."""

import uuid

from django.db import models


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

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
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
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
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
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
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
