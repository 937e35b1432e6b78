from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _install_database_objects(sender, using, **kwargs):
    """Re-create the product triggers a later migration may have dropped (SQLite table rebuilds)."""
    from django.db import connections
    from django.db.migrations.recorder import MigrationRecorder

    connection = connections[using]
    recorder = MigrationRecorder(connection)
    if ("marketplace", "0002_seller_catalog_version") not in recorder.applied_migrations():
        return
    from pazar.marketplace import dbobjects

    dbobjects.install(connection)


class MarketplaceConfig(AppConfig):
    name = "pazar.marketplace"
    label = "marketplace"

    def ready(self) -> None:
        post_migrate.connect(_install_database_objects, sender=self)
