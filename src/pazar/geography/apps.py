from django.apps import AppConfig


class GeographyConfig(AppConfig):
    name = "pazar.geography"
    label = "geography"
