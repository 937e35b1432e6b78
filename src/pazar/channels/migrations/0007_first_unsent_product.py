"""Beside each channel's kept counts, the least product of its `inserts/` feed (a lower bound,
`low`), where the feed's pages start: the table, its triggers and every count made anew (see
pazar.channels.dbobjects)."""

from django.db import migrations


def reinstall(apps, schema_editor):
    from pazar.channels import dbobjects

    dbobjects.uninstall(schema_editor.connection)
    dbobjects.install(schema_editor.connection)  # with no trigger yet, it counts everything


class Migration(migrations.Migration):

    dependencies = [
        ('channels', '0006_updated_product_count'),
    ]

    operations = [
        migrations.RunPython(reinstall, reinstall, elidable=False),
    ]
