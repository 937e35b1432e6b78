"""A channel's copy of its marketplace's attributes (omnitron.md §11 "channel attributes").

A connector mirrors the marketplace's attribute sets, attributes and values here, ties each set
to category nodes (`MarketplaceAttributeSetConfig`) and says how each attribute is used in a set
(`MarketplaceAttributeConfig`). `mapped_products/{pk}/` reads a product through them.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class _Stamped(models.Model):
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        abstract = True


class MarketplaceAttributeSet(_Stamped):
    channel = models.ForeignKey(
        "channels.Channel", on_delete=models.CASCADE, related_name="attribute_sets"
    )
    name = models.CharField(max_length=255)
    remote_id = models.CharField(max_length=255, null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "name"], name="unique_marketplace_attribute_set"
            )
        ]
        verbose_name = _("marketplace attribute set")
        verbose_name_plural = _("marketplace attribute sets")

    def __str__(self) -> str:
        return self.name


class MarketplaceAttributeSetConfig(_Stamped):
    """The attribute set of the products of an object (a category node)."""

    attribute_set = models.ForeignKey(
        MarketplaceAttributeSet, on_delete=models.CASCADE, related_name="set_configs"
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["attribute_set", "content_type", "object_id"],
                name="unique_marketplace_attribute_set_config",
            )
        ]
        verbose_name = _("marketplace attribute set's category")
        verbose_name_plural = _("marketplace attribute sets' categories")


class MarketplaceAttribute(_Stamped):
    channel = models.ForeignKey(
        "channels.Channel", on_delete=models.CASCADE, related_name="attributes"
    )
    name = models.CharField(max_length=255)
    remote_id = models.CharField(max_length=255, null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["channel", "name"], name="unique_marketplace_attribute")
        ]
        verbose_name = _("marketplace attribute")
        verbose_name_plural = _("marketplace attributes")

    def __str__(self) -> str:
        return self.name


class MarketplaceAttributeSchema(_Stamped):
    """A free JSON schema; `{"attribute": "<our attribute key>"}` names what a config maps."""

    channel = models.ForeignKey(
        "channels.Channel", on_delete=models.CASCADE, related_name="attribute_schemas"
    )
    name = models.CharField(max_length=255)
    schema = models.JSONField(default=dict)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "name"], name="unique_marketplace_attribute_schema"
            )
        ]
        verbose_name = _("marketplace attribute schema")
        verbose_name_plural = _("marketplace attribute schemas")


class MarketplaceAttributeConfig(_Stamped):
    attribute_set = models.ForeignKey(
        MarketplaceAttributeSet, on_delete=models.CASCADE, related_name="attribute_configs"
    )
    attribute = models.ForeignKey(
        MarketplaceAttribute, on_delete=models.CASCADE, related_name="configs"
    )
    locale_attribute_schema = models.ForeignKey(
        MarketplaceAttributeSchema,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="configs",
    )
    attribute_remote_id = models.CharField(max_length=255, null=True, blank=True)
    is_required = models.BooleanField(default=False)
    is_variant = models.BooleanField(default=False)
    is_custom = models.BooleanField(default=False)
    is_image_attribute = models.BooleanField(default=False)
    is_meta = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["attribute_set", "attribute"], name="unique_marketplace_attribute_config"
            )
        ]
        verbose_name = _("marketplace attribute's use in a set")
        verbose_name_plural = _("marketplace attributes' uses in sets")


class MarketplaceAttributeValue(_Stamped):
    channel = models.ForeignKey(
        "channels.Channel", on_delete=models.CASCADE, related_name="attribute_values"
    )
    attribute = models.ForeignKey(
        MarketplaceAttribute, on_delete=models.CASCADE, related_name="values"
    )
    label = models.CharField(max_length=255)
    value = models.CharField(max_length=255)
    remote_id = models.CharField(max_length=255, null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["attribute", "value"], name="unique_marketplace_attribute_value"
            )
        ]
        verbose_name = _("marketplace attribute value")
        verbose_name_plural = _("marketplace attribute values")


class MarketplaceAttributeValueConfig(_Stamped):
    attribute_set = models.ForeignKey(
        MarketplaceAttributeSet, on_delete=models.CASCADE, related_name="value_configs"
    )
    attribute_value = models.ForeignKey(
        MarketplaceAttributeValue, on_delete=models.CASCADE, related_name="configs"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["attribute_set", "attribute_value"],
                name="unique_marketplace_attribute_value_config",
            )
        ]
        verbose_name = _("marketplace attribute value's use in a set")
        verbose_name_plural = _("marketplace attribute values' uses in sets")
