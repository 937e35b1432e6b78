from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImagesConfig(AppConfig):
    verbose_name = _("Images")
    name = "pazar.images"
    label = "images"
