"""Where products are sold: channels, the catalogs they sell from, category trees (§9).

A channel (an e-shop or a marketplace) has one catalog; a catalog may serve many channels. A
catalog holds catalog items (its products), one price list, one stock list, a category tree and
optional extra price and stock lists. Lists, trees and catalogs in use are protected: deleting
one a catalog or channel points to is refused (the services answer 400).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CategoryTree(models.Model):
    """A tree of the marketplace's categories, named by its root category.

    The root becomes null if that category is deleted (the catalog app's own rules decide).
    """

    name = models.CharField(max_length=255, verbose_name=_("name"))
    category_root = models.ForeignKey(
        "catalog.Category",
        on_delete=models.SET_NULL,
        null=True,
        related_name="category_trees",
        verbose_name=_("category root"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        verbose_name = _("category tree")
        verbose_name_plural = _("category trees")

    def __str__(self) -> str:
        return self.name


class Catalog(models.Model):
    name = models.CharField(max_length=255, verbose_name=_("name"))
    price_list = models.ForeignKey(
        "pricing.PriceList",
        on_delete=models.PROTECT,
        related_name="catalogs",
        verbose_name=_("price list"),
    )
    stock_list = models.ForeignKey(
        "inventory.StockList",
        on_delete=models.PROTECT,
        related_name="catalogs",
        verbose_name=_("stock list"),
    )
    category_tree = models.ForeignKey(
        CategoryTree,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="catalogs",
        verbose_name=_("category tree"),
    )
    extra_price_lists = models.ManyToManyField(
        "pricing.PriceList",
        blank=True,
        related_name="extra_catalogs",
        verbose_name=_("extra price lists"),
    )
    extra_stock_lists = models.ManyToManyField(
        "inventory.StockList", blank=True, related_name="extra_catalogs",
        help_text=_("e.g. one list per retail store, for selling from the nearest store."), verbose_name=_("extra stock lists"),
    )  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        verbose_name = _("catalog")
        verbose_name_plural = _("catalogs")

    def __str__(self) -> str:
        return self.name


class CatalogItem(models.Model):
    """A product of a catalog."""

    catalog = models.ForeignKey(
        Catalog, on_delete=models.CASCADE, related_name="items", verbose_name=_("catalog")
    )
    product = models.ForeignKey(
        "catalog.Product",
        on_delete=models.CASCADE,
        related_name="catalog_items",
        verbose_name=_("product"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        verbose_name = _("catalog item")
        verbose_name_plural = _("catalog items")
        constraints = [
            models.UniqueConstraint(fields=["catalog", "product"], name="unique_catalog_item")
        ]


class Channel(models.Model):
    """An e-shop or marketplace the operator sells on.

    `conf` is the channel app's configuration (keys such as `remote_id_attribute`), `schema`
    the definition of its configuration form; both are free objects.
    """

    name = models.CharField(max_length=255, verbose_name=_("name"))
    catalog = models.ForeignKey(
        Catalog, on_delete=models.PROTECT, related_name="channels", verbose_name=_("catalog")
    )
    channel_type = models.CharField(max_length=64, default="web", verbose_name=_("channel type"))
    conf = models.JSONField(default=dict, blank=True, verbose_name=_("conf"))
    category_tree = models.ForeignKey(
        CategoryTree,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="channels",
        verbose_name=_("category tree"),
    )
    is_active = models.BooleanField(default=True, verbose_name=_("is active"))
    schema = models.JSONField(default=dict, blank=True, verbose_name=_("schema"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        verbose_name = _("channel")
        verbose_name_plural = _("channels")

    def __str__(self) -> str:
        return self.name
