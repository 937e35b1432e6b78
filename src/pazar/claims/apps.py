from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClaimsConfig(AppConfig):
    name = "pazar.claims"
    label = "claims"
    verbose_name = _("Cancellations and returns")
