from django.apps import AppConfig


class OrdersConfig(AppConfig):
    name = "pazar.orders"
    label = "orders"
