"""The kept count of each channel's `updates/` feed beside its `inserts/` one: the table, its
triggers and every count made anew (see pazar.channels.dbobjects)."""

from django.db import migrations


def reinstall(apps, schema_editor):
    from pazar.channels import dbobjects

    dbobjects.uninstall(schema_editor.connection)
    dbobjects.install(schema_editor.connection)  # with no trigger yet, it counts everything


class Migration(migrations.Migration):

    dependencies = [
        ('channels', '0005_unsent_product_count'),
    ]

    operations = [
        migrations.RunPython(reinstall, reinstall, elidable=False),
    ]
