from django.apps import AppConfig


class PricingConfig(AppConfig):
    name = "pazar.pricing"
    label = "pricing"
