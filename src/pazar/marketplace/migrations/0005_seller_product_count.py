"""PRD102's kept counts: the table, its triggers, and every count from the products already
there (see pazar.marketplace.dbobjects)."""

from django.db import migrations, models


def install(apps, schema_editor):
    from pazar.marketplace import dbobjects

    dbobjects.install(schema_editor.connection)  # with no trigger yet, it counts every product


def uninstall(apps, schema_editor):
    from pazar.marketplace import dbobjects

    with schema_editor.connection.cursor() as cursor:
        dbobjects.uninstall_counts(schema_editor.connection, cursor)


class Migration(migrations.Migration):

    dependencies = [
        ('marketplace', '0004_merge_0003_idempotentresponse_0003_verbose_names'),
    ]

    operations = [
        migrations.CreateModel(
            name='SellerProductCount',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('seller_id', models.UUIDField(verbose_name='seller ID')),
                ('approved', models.BooleanField(verbose_name='approved')),
                ('category_id', models.BigIntegerField(help_text='0: no category.', verbose_name='category ID')),
                ('attribute', models.TextField(blank=True, verbose_name='attribute')),
                ('value', models.TextField(blank=True, verbose_name='value')),
                ('count', models.BigIntegerField(verbose_name='count')),
            ],
            options={
                'verbose_name': 'seller product count',
                'verbose_name_plural': 'seller product counts',
                'constraints': [models.UniqueConstraint(fields=('seller_id', 'approved', 'category_id', 'attribute', 'value'), name='seller_product_count_key')],
            },
        ),
        migrations.RunPython(install, uninstall, elidable=False),
    ]
