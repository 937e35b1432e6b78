from django.apps import AppConfig


class CustomersConfig(AppConfig):
    name = "pazar.customers"
    label = "customers"
