from django.apps import AppConfig


class CallbacksConfig(AppConfig):
    name = "pazar.callbacks"
    label = "callbacks"
