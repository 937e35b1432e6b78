from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackOfficeConfig(AppConfig):
    name = "pazar.backoffice"
    label = "backoffice"
    verbose_name = _("Daily work")
