"""The back office keeps no data of its own: it shows the domains' rows in the operators' terms."""

from django.utils.translation import gettext_lazy as _

from pazar.catalog.models import Product


class PendingProduct(Product):
    """A seller's product, or an operator's pre-product, as an entry of the approval queue.

    A proxy, so that the queue has an admin page of its own; who may see it and decide is
    governed by the catalog's product permissions (`view_product`, `change_product`).
    """

    class Meta:
        proxy = True
        verbose_name = _("product awaiting approval")
        verbose_name_plural = _("products awaiting approval")
