from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PricingConfig(AppConfig):
    verbose_name = _("Prices")
    name = "pazar.pricing"
    label = "pricing"
