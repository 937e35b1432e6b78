import pytest
from django.test import Client

from pazar.marketplace.models import MarketplaceSettings
from tests.factories import OperatorFactory

pytestmark = pytest.mark.django_db


def test_the_marketplace_settings_open_as_one_row_that_cannot_be_added_or_deleted():
    client = Client()
    client.force_login(OperatorFactory(is_superuser=True))

    listed = client.get("/admin/marketplace/marketplacesettings/")
    row = MarketplaceSettings.objects.get()
    change = f"/admin/marketplace/marketplacesettings/{row.pk}/change/"
    saved = client.post(change, {"auto_approve_products": "on"})
    add = client.get("/admin/marketplace/marketplacesettings/add/")
    delete = client.get(f"/admin/marketplace/marketplacesettings/{row.pk}/delete/")

    assert listed.status_code == 302
    assert listed.url == change
    assert saved.status_code == 302
    row.refresh_from_db()
    assert row.auto_approve_products is True
    assert (add.status_code, delete.status_code) == (403, 403)
