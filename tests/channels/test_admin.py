import pytest
from django.test import Client

from tests.channels.factories import CatalogItemFactory, CategoryTreeFactory, ChannelFactory
from tests.factories import OperatorFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", ["catalog", "channel", "categorytree"])
def test_the_admin_lists_and_shows_channels_catalogs_and_trees(model):
    client = Client()
    client.force_login(OperatorFactory(is_superuser=True))
    item = CatalogItemFactory()
    objects = {
        "catalog": item.catalog,
        "channel": ChannelFactory(catalog=item.catalog),
        "categorytree": CategoryTreeFactory(),
    }

    listed = client.get(f"/admin/channels/{model}/")
    shown = client.get(f"/admin/channels/{model}/{objects[model].pk}/change/")

    assert listed.status_code == 200
    assert shown.status_code == 200
    assert objects[model].name.encode() in listed.content
