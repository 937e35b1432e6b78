from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _create_cache_table(sender, using, **kwargs):
    """The database-backed cache (used without REDIS_URL) needs its table wherever we migrate."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)


class CoreConfig(AppConfig):
    verbose_name = _("System")
    name = "pazar.core"
    label = "core"

    def ready(self) -> None:
        from pazar.core import lookups

        lookups.register()
        post_migrate.connect(_create_cache_table, sender=self)
