from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ChannelsConfig(AppConfig):
    verbose_name = _("Sales channels")
    name = "pazar.channels"
    label = "channels"

    def ready(self) -> None:
        from pazar.channels.content_types import placeholders_ensure

        # Content types are made after migrations, as Django's own are (contenttypes app).
        post_migrate.connect(placeholders_ensure, sender=self)
