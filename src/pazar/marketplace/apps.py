from django.apps import AppConfig


class MarketplaceConfig(AppConfig):
    name = "pazar.marketplace"
    label = "marketplace"
