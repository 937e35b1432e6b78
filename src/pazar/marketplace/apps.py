from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


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
    verbose_name = _("Marketplace")
    name = "pazar.marketplace"
    label = "marketplace"

    def ready(self) -> None:
        from pazar.batches.models import BatchKind
        from pazar.batches.services import register_handler
        from pazar.marketplace import services

        post_migrate.connect(_install_database_objects, sender=self)
        # The Seller Center's batch kinds: batches applies them with these handlers.
        register_handler(BatchKind.PRODUCT_UPSERT, services.apply_product_rows)
        register_handler(BatchKind.PRODUCT_DELETE, services.apply_product_delete_rows)
        register_handler(BatchKind.PRICE_STOCK_UPSERT, services.apply_price_stock_rows)
        register_handler(BatchKind.PRICE_UPSERT, services.apply_price_rows)
        register_handler(BatchKind.STOCK_UPSERT, services.apply_stock_batch)
