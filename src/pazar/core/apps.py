from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "pazar.core"
    label = "core"

    def ready(self) -> None:
        from pazar.core import lookups

        lookups.register()
