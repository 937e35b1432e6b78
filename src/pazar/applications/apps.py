from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "pazar.applications"
    label = "applications"
