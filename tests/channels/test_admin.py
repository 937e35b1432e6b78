import pytest
from django.test import Client

from tests.channels.factories import (
    CatalogItemFactory,
    CategoryTreeFactory,
    ChannelFactory,
    catalog_product,
)
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


def test_a_channels_page_shows_its_batches_actions_errors_and_waiting_products(operator_client):
    client = Client()
    client.force_login(OperatorFactory(is_superuser=True))
    channel = ChannelFactory(channel_type="sales_channel")
    sent, waiting = catalog_product(channel.catalog), catalog_product(channel.catalog)
    base = f"/omnitron/api/v1/channel/{channel.pk}/"
    batch = operator_client.post(f"{base}batch_requests/", {"channel": channel.pk}).json()
    objects = [{"pk": sent.pk, "content_type": "product", "remote_id": "R-SENT"}]
    for status in ("commit", "done"):
        moved = operator_client.patch(
            f"{base}batch_requests/{batch['pk']}/",
            {"status": status, "content_type": "product", "objects": objects},
            format="json",
        )
        assert moved.status_code == 200, moved.content
    report = operator_client.post(
        f"{base}error_reports/",
        {
            "error_code": "X-Omnitron-Insert",
            "error_desc": "The marketplace said no.",
            "is_ok": False,
        },
        format="json",
    )
    assert report.status_code == 201, report.content

    page = client.get(f"/admin/channels/channel/{channel.pk}/change/")
    turkish = client.get(f"/admin/channels/channel/{channel.pk}/change/", HTTP_ACCEPT_LANGUAGE="tr")

    assert page.status_code == 200
    html = page.content.decode()
    assert batch["local_batch_id"] in html
    assert "success" in html and "product" in html
    assert "X-Omnitron-Insert" in html and "The marketplace said no." in html
    waiting_section = html[html.index('id="channel-waiting"') :]
    assert waiting.sku in waiting_section and sent.sku not in waiting_section
    assert "Products waiting to be sent" in html
    assert "Gönderilmeyi bekleyen ürünler" in turkish.content.decode()
