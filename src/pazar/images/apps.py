from django.apps import AppConfig


class ImagesConfig(AppConfig):
    name = "pazar.images"
    label = "images"
