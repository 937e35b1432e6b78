from django.apps import AppConfig


class FulfilmentConfig(AppConfig):
    name = "pazar.fulfilment"
    label = "fulfilment"
