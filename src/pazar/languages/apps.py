from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LanguagesConfig(AppConfig):
    verbose_name = _("Languages")
    name = "pazar.languages"
    label = "languages"
