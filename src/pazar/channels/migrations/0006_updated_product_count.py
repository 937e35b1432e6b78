"""The kept count of each channel's `updates/` feed beside its `inserts/` one: the table, its
triggers and every count made anew (see pazar.channels.dbobjects)."""

from django.db import migrations

from pazar.channels import dbobjects


class Migration(migrations.Migration):

    dependencies = [
        ('channels', '0005_unsent_product_count'),
    ]

    operations = [
        migrations.RunPython(
            dbobjects.migration_reinstall, dbobjects.migration_reinstall, elidable=False
        ),
    ]
