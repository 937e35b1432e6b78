from django.apps import AppConfig


class WhippyConfig(AppConfig):
    name = "pazar.whippy"
    label = "whippy"
    verbose_name = "Whippy Ware"
