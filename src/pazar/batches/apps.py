from django.apps import AppConfig


class BatchesConfig(AppConfig):
    name = "pazar.batches"
    label = "batches"
