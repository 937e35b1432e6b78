"""The kept count of each channel's unsent products: its table, its triggers, and every count
from the rows already there (see pazar.channels.dbobjects)."""

from django.db import migrations


def install(apps, schema_editor):
    from pazar.channels import dbobjects

    dbobjects.install(schema_editor.connection)  # with no trigger yet, it counts everything


def uninstall(apps, schema_editor):
    from pazar.channels import dbobjects

    dbobjects.uninstall(schema_editor.connection)


class Migration(migrations.Migration):

    dependencies = [
        ('channels', '0004_verbose_names_translated'),
        ('catalog', '0010_product_search_terms'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.RunPython(install, uninstall, elidable=False),
    ]
