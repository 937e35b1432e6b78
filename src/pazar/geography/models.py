"""Where orders ship to: countries, their cities, townships and districts (Omnitron's address
geography), and each place's codes on other systems.

A sales channel names places in its own words; an operator maps them with `Mapping` rows:
`integration_type` `sales_channel` and `code` `<channel id>_<the channel's code>`, which
channel apps look up with `?mapping__code__exact=…&mapping__integration_type=sales_channel`.
"""

from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.db import models


class IntegrationType(models.TextChoices):
    SALES_CHANNEL = "sales_channel"
    EXTERNAL_COMPANY = "external_company"
    WEB = "web"


class Mapping(models.Model):
    """A place's code on another system; one code per (kind of place, integration type)."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    place = GenericForeignKey("content_type", "object_id")
    integration_type = models.CharField(
        max_length=32, choices=IntegrationType.choices, default=IntegrationType.SALES_CHANNEL
    )
    code = models.CharField(max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "integration_type", "code"], name="unique_place_mapping"
            )
        ]
        indexes = [models.Index(fields=["content_type", "object_id"], name="place_mapping_object")]

    def __str__(self) -> str:
        return f"{self.integration_type}:{self.code}"


class Place(models.Model):
    name = models.CharField(max_length=255)
    code = models.CharField(max_length=64, blank=True, default="")
    is_active = models.BooleanField(default=True)
    mapping = GenericRelation(Mapping, related_query_name="%(class)s")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class Country(Place):
    """A country; `code` (e.g. `TR`) is unique when given."""

    class Meta(Place.Meta):
        verbose_name_plural = "countries"
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=~models.Q(code=""), name="unique_country_code"
            )
        ]


class City(Place):
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="cities")
    postcode = models.CharField(max_length=64, blank=True, default="")

    class Meta(Place.Meta):
        verbose_name_plural = "cities"
        constraints = [models.UniqueConstraint(fields=["country", "name"], name="unique_city_name")]


class Township(Place):
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="townships")
    city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="townships")
    postcode = models.CharField(max_length=64, blank=True, default="")

    class Meta(Place.Meta):
        constraints = [
            models.UniqueConstraint(fields=["city", "name"], name="unique_township_name")
        ]


class District(Place):
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="districts")
    city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="districts")
    township = models.ForeignKey(Township, on_delete=models.PROTECT, related_name="districts")
    postcode = models.CharField(max_length=64, blank=True, default="")

    class Meta(Place.Meta):
        constraints = [
            models.UniqueConstraint(fields=["township", "name"], name="unique_district_name")
        ]
