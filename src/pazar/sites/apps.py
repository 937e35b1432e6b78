from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SitesConfig(AppConfig):
    """The three sites (Omnitron, Seller Center, Whippy Ware) composed of the domain apps' APIs.

    Installed for its management commands (`pazar demo`); it has no models. Its label is not
    `sites`, which is Django's own sites framework's.
    """

    verbose_name = _("Sites")

    name = "pazar.sites"
    label = "pazar_sites"
