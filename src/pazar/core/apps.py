from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "pazar.core"
    label = "core"
