"""The admin pages of Whippy Ware rows; saving there recomputes figures as the API does."""

import json

import pytest
from django.test import Client

from pazar.whippy.models import PendingSku, StockListRule
from tests.factories import OperatorFactory
from tests.whippy.factories import (
    ProviderFactory,
    StockFactory,
    StockListRuleFactory,
    StockLocationFactory,
    WhippyStockListFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client():
    client = Client()
    client.force_login(OperatorFactory(is_superuser=True))
    return client


@pytest.mark.parametrize(
    ("model", "factory"),
    [
        ("provider", ProviderFactory),
        ("stocklocation", StockLocationFactory),
        ("stocklistrule", StockListRuleFactory),
        ("stocklist", WhippyStockListFactory),
        ("stock", StockFactory),
    ],
)
def test_every_whippy_ware_model_has_a_list_and_a_change_page(admin_client, model, factory):
    row = factory()

    listing = admin_client.get(f"/admin/whippy/{model}/")
    change = admin_client.get(f"/admin/whippy/{model}/{row.pk}/change/")

    assert listing.status_code == 200
    assert change.status_code == 200


def test_a_stock_saved_in_the_admin_marks_its_sku_for_the_worker(admin_client):
    WhippyStockListFactory(code="eshop")
    stock = StockFactory(sku="A", stock=1)

    saved = admin_client.post(
        f"/admin/whippy/stock/{stock.pk}/change/",
        {
            "sku": "A",
            "location": stock.location_id,
            "stock": 4,
            "reserved_stock": 0,
            "unit_type": "qty",
            "stock_type": "standard",
            "period": "",
            "is_active": "on",
        },
    )

    assert saved.status_code == 302
    assert list(PendingSku.objects.values_list("stock_list__code", "sku")) == [("eshop", "A")]


def test_an_invalid_rule_is_refused_by_the_admin_with_the_apis_messages(admin_client):
    saved = admin_client.post(
        "/admin/whippy/stocklistrule/add/",
        {
            "name": "Bad",
            "rule_type": "location_sum",
            "rule": json.dumps({"blocks": [{"providers": ["nope"], "locations": "*"}]}),
            "is_active": "on",
        },
    )

    assert saved.status_code == 200
    assert "blocks.0.providers: unknown provider &quot;nope&quot;." in saved.content.decode()
    assert not StockListRule.objects.exists()
