from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InventoryConfig(AppConfig):
    verbose_name = _("Stocks")
    name = "pazar.inventory"
    label = "inventory"
