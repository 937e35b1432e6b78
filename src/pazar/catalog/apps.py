from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "pazar.catalog"
    label = "catalog"
