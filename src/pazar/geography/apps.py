from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GeographyConfig(AppConfig):
    name = "pazar.geography"
    label = "geography"
    verbose_name = _("Geography")
