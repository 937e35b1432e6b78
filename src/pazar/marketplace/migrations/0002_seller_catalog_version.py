"""Seller catalog versions and the trigram index of product text (see pazar.marketplace.dbobjects)."""

from django.db import migrations, models


def install(apps, schema_editor):
    from pazar.marketplace import dbobjects

    dbobjects.install(schema_editor.connection)


def uninstall(apps, schema_editor):
    from pazar.marketplace import dbobjects

    dbobjects.uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("marketplace", "0001_initial"),
        ("catalog", "0004_product_count_index"),
    ]

    operations = [
        migrations.CreateModel(
            name="SellerCatalogVersion",
            fields=[
                ("seller_id", models.UUIDField(primary_key=True, serialize=False)),
                ("token", models.CharField(max_length=32)),
            ],
        ),
        migrations.RunPython(install, uninstall, elidable=False),
    ]
