"""The operator's marketplace-wide settings."""

from django.db import transaction

from pazar.core.services import model_update
from pazar.marketplace.models import MarketplaceSettings

SETTINGS_FIELDS = ["auto_approve_products"]


def marketplace_settings_get() -> MarketplaceSettings:
    """The settings row, created with the defaults on first use. Read in one statement once
    it exists (no savepoint around it: a batch reads it inside its transaction)."""
    settings = MarketplaceSettings.objects.filter(pk=1).first()
    if settings is None:
        with transaction.atomic():
            settings = MarketplaceSettings.objects.get_or_create(pk=1)[0]
    return settings


@transaction.atomic
def marketplace_settings_update(*, data: dict) -> MarketplaceSettings:
    """Change the settings row (created on first use with the defaults)."""
    marketplace_settings = MarketplaceSettings.load()
    model_update(instance=marketplace_settings, fields=SETTINGS_FIELDS, data=data)
    return marketplace_settings
