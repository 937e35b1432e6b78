from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    verbose_name = _("Applications")
    name = "pazar.applications"
    label = "applications"
