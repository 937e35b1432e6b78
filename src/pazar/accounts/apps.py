from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "pazar.accounts"
    label = "accounts"

    def ready(self) -> None:
        from pazar.accounts import schema  # noqa: F401 - registers the OpenAPI auth scheme
