from django.apps import AppConfig


class InventoryConfig(AppConfig):
    name = "pazar.inventory"
    label = "inventory"
