from django.apps import apps

from pazar.core.apps import CoreConfig


def test_the_core_app_is_configured_by_its_own_config():
    # A second AppConfig in pazar/core/apps.py would make Django fall back to a bare one, and
    # CoreConfig.ready() (the lookups for huge ids, the cache table) would never run.
    assert type(apps.get_app_config("core")) is CoreConfig
    assert apps.get_app_config("django_tasks_database").verbose_name == "Background tasks"
