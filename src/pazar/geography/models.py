"""Where orders ship to: countries, their cities, townships and districts (Omnitron's address
geography), and each place's codes on other systems.

A sales channel names places in its own words; an operator maps them with `Mapping` rows:
`integration_type` `sales_channel` and `code` `<channel id>_<the channel's code>`, which
channel apps look up with `?mapping__code__exact=…&mapping__integration_type=sales_channel`.
"""

from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class IntegrationType(models.TextChoices):
    SALES_CHANNEL = "sales_channel", _("Sales Channel")
    EXTERNAL_COMPANY = "external_company", _("External Company")
    WEB = "web", _("Web")


class Mapping(models.Model):
    """A place's code on another system; one code per (kind of place, integration type)."""

    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, verbose_name=_("content type")
    )
    object_id = models.PositiveBigIntegerField(verbose_name=_("object id"))
    place = GenericForeignKey("content_type", "object_id")
    integration_type = models.CharField(
        max_length=32,
        choices=IntegrationType.choices,
        default=IntegrationType.SALES_CHANNEL,
        verbose_name=_("integration type"),
    )
    code = models.CharField(max_length=255, verbose_name=_("code"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "integration_type", "code"], name="unique_place_mapping"
            )
        ]
        indexes = [models.Index(fields=["content_type", "object_id"], name="place_mapping_object")]
        verbose_name = _("mapping")
        verbose_name_plural = _("mappings")

    def __str__(self) -> str:
        return f"{self.integration_type}:{self.code}"


class Place(models.Model):
    name = models.CharField(max_length=255, verbose_name=_("name"))
    code = models.CharField(max_length=64, blank=True, default="", verbose_name=_("code"))
    is_active = models.BooleanField(default=True, verbose_name=_("is active"))
    mapping = GenericRelation(Mapping, related_query_name="%(class)s")
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        abstract = True
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class Country(Place):
    """A country; `code` (e.g. `TR`) is unique when given."""

    class Meta(Place.Meta):
        verbose_name = _("country")
        verbose_name_plural = _("countries")
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=~models.Q(code=""), name="unique_country_code"
            )
        ]


class City(Place):
    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, related_name="cities", verbose_name=_("country")
    )
    postcode = models.CharField(max_length=64, blank=True, default="", verbose_name=_("postcode"))

    class Meta(Place.Meta):
        verbose_name = _("city")
        verbose_name_plural = _("cities")
        constraints = [models.UniqueConstraint(fields=["country", "name"], name="unique_city_name")]


class Township(Place):
    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, related_name="townships", verbose_name=_("country")
    )
    city = models.ForeignKey(
        City, on_delete=models.PROTECT, related_name="townships", verbose_name=_("city")
    )
    postcode = models.CharField(max_length=64, blank=True, default="", verbose_name=_("postcode"))

    class Meta(Place.Meta):
        verbose_name = _("township")
        verbose_name_plural = _("townships")
        constraints = [
            models.UniqueConstraint(fields=["city", "name"], name="unique_township_name")
        ]


class District(Place):
    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, related_name="districts", verbose_name=_("country")
    )
    city = models.ForeignKey(
        City, on_delete=models.PROTECT, related_name="districts", verbose_name=_("city")
    )
    township = models.ForeignKey(
        Township, on_delete=models.PROTECT, related_name="districts", verbose_name=_("township")
    )
    postcode = models.CharField(max_length=64, blank=True, default="", verbose_name=_("postcode"))

    class Meta(Place.Meta):
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        constraints = [
            models.UniqueConstraint(fields=["township", "name"], name="unique_district_name")
        ]
