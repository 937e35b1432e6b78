from django.apps import AppConfig


class LanguagesConfig(AppConfig):
    name = "pazar.languages"
    label = "languages"
