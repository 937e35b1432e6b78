"""Joins the two second migrations (the requests, returns and change feed; the verbose names)
and names the fields and models the first of them added."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_callback_url_label"),
        ("claims", "0002_requests_returns_feed"),
        ("claims", "0002_verbose_names"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="cancellationrequest",
            options={
                "verbose_name": "cancellation request",
                "verbose_name_plural": "cancellation requests",
            },
        ),
        migrations.AlterModelOptions(
            name="claimchange",
            options={
                "ordering": ["id"],
                "verbose_name": "claim change",
                "verbose_name_plural": "claim changes",
            },
        ),
        migrations.AlterField(
            model_name="claim",
            name="item_status_before",
            field=models.CharField(
                blank=True,
                default="",
                help_text="The line's status before a cancellation request made it 50 (restored on reject).",
                max_length=8,
                verbose_name="item status before",
            ),
        ),
        migrations.AlterField(
            model_name="claim",
            name="reason",
            field=models.ForeignKey(
                blank=True,
                help_text="None only for a seller's rejected items, whose reason is the description.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="claims.cancellationreason",
                verbose_name="reason",
            ),
        ),
        migrations.AlterField(
            model_name="claim",
            name="received_at",
            field=models.DateTimeField(
                blank=True,
                help_text="When the returned units arrived back.",
                null=True,
                verbose_name="received at",
            ),
        ),
        migrations.AlterField(
            model_name="claim",
            name="remote_id",
            field=models.CharField(
                blank=True,
                default="",
                help_text="The sales channel's id of the request.",
                max_length=255,
                verbose_name="remote id",
            ),
        ),
        migrations.AlterField(
            model_name="claim",
            name="restocked",
            field=models.BooleanField(
                default=False,
                help_text="The returned units are back in stock (once).",
                verbose_name="restocked",
            ),
        ),
        migrations.AlterField(
            model_name="claimchange",
            name="claim",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="changes",
                to="claims.claim",
                verbose_name="claim",
            ),
        ),
        migrations.AlterField(
            model_name="claimchange",
            name="created_at",
            field=models.DateTimeField(auto_now_add=True, verbose_name="created at"),
        ),
        migrations.AlterField(
            model_name="claimchange",
            name="kind",
            field=models.CharField(
                choices=[
                    ("created", "Created"),
                    ("status_changed", "Status Changed"),
                    ("updated", "Updated"),
                ],
                max_length=16,
                verbose_name="kind",
            ),
        ),
        migrations.AlterField(
            model_name="claimchange",
            name="seller",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="accounts.seller",
                verbose_name="seller",
            ),
        ),
        migrations.AlterField(
            model_name="claimchange",
            name="status",
            field=models.CharField(
                choices=[
                    ("open", "Open"),
                    ("waiting", "Waiting"),
                    ("approved", "Approved"),
                    ("rejected", "Rejected"),
                    ("completed", "Completed"),
                ],
                max_length=16,
                verbose_name="status",
            ),
        ),
    ]
