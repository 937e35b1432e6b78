from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "pazar.claims"
    label = "claims"
