from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _install_database_objects(sender, using, **kwargs):
    """Re-create the feed counts' triggers a later migration may have dropped (SQLite table
    rebuilds); counts everything anew if one was missing."""
    from django.db import connections
    from django.db.migrations.recorder import MigrationRecorder

    connection = connections[using]
    recorder = MigrationRecorder(connection)
    if ("channels", "0007_first_unsent_product") not in recorder.applied_migrations():
        return
    from pazar.channels import dbobjects

    dbobjects.install(connection)


class ChannelsConfig(AppConfig):
    verbose_name = _("Sales channels")
    name = "pazar.channels"
    label = "channels"

    def ready(self) -> None:
        from pazar.channels.content_types import placeholders_ensure

        # Content types are made after migrations, as Django's own are (contenttypes app).
        post_migrate.connect(placeholders_ensure, sender=self)
        post_migrate.connect(_install_database_objects, sender=self)
