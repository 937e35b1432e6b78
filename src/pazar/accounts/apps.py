from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    verbose_name = _("Accounts and sellers")
    name = "pazar.accounts"
    label = "accounts"

    def ready(self) -> None:
        from pazar.accounts import schema  # noqa: F401 - registers the OpenAPI auth scheme
