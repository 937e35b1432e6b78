"""Beside each channel's kept counts, the least product of its `inserts/` feed (a lower bound,
`low`), where the feed's pages start: the table, its triggers and every count made anew (see
pazar.channels.dbobjects)."""

from django.db import migrations

from pazar.channels import dbobjects


class Migration(migrations.Migration):

    dependencies = [
        ('channels', '0006_updated_product_count'),
    ]

    operations = [
        migrations.RunPython(
            dbobjects.migration_reinstall, dbobjects.migration_reinstall, elidable=False
        ),
    ]
