"""What omnisdk and channel_app need of every call (real-clients.md §1, §11)."""

import pytest
from rest_framework.test import APIClient

from tests.channels.factories import catalog_product

pytestmark = pytest.mark.django_db

LISTS = [
    "batch_requests/", "integration_actions/", "integration_actions/deleted/", "error_reports/",
    "error_reports/distinct/", "products/", "products/inserts/", "products/updates/",
    "products/inserts_or_updates/", "mapped_products/", "product_prices/",
    "product_prices/inserts/", "product_prices/updates/", "product_stocks/",
    "product_stocks/inserts/", "product_stocks/updates/", "extra_product_prices/",
    "extra_product_prices/inserts/", "extra_product_prices/updates/", "extra_product_stocks/",
    "extra_product_stocks/inserts/", "extra_product_stocks/updates/", "product_images/",
    "product_images/inserts/", "product_images/updates/", "product_categories/",
    "product_categories/detailed/", "category_trees/", "category_nodes/",
    "category_nodes/detailed/", "attribute_sets/", "attribute_set_configs/", "attributes/",
    "attribute_schemas/", "attribute_configs/", "attribute_configs/detailed/",
    "attribute_values/", "attribute_value_configs/", "price_lists/", "stock_lists/",
    "retail_stores/",
]  # fmt: skip


@pytest.mark.parametrize("route", LISTS)
def test_every_list_has_next_null_on_its_last_page(operator_client, base, channel, route):
    catalog_product(channel.catalog)

    response = operator_client.get(f"{base}{route}", {"page": 1, "limit": 100})

    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["next"] is None


@pytest.mark.parametrize("route", LISTS)
def test_without_a_token_every_call_is_a_json_401(base, route):
    response = APIClient().get(f"{base}{route}")

    assert response.status_code == 401
    assert response.json()["detail"]


def test_active_user_401_is_json():
    response = APIClient().get("/omnitron/api/v1/active_user/")

    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"]


def test_a_bad_filter_value_is_a_json_400(operator_client, base):
    response = operator_client.get(f"{base}integration_actions/", {"object_id__in": "a,b"})

    assert response.status_code == 400
    assert "object_id__in" in response.json()


def test_repeated_status_keys_match_either_for_integration_actions(operator_client, base):
    for object_id, status in [(1, "success"), (2, "error"), (3, "processing")]:
        operator_client.post(
            f"{base}integration_actions/",
            {"content_type": "product", "object_id": object_id, "status": status},
        )

    response = operator_client.get(
        f"{base}integration_actions/?status=success&status=error&sort=id"
    )

    assert [item["object_id"] for item in response.json()["results"]] == [1, 2]


def test_an_unknown_channel_is_a_json_404(operator_client):
    response = operator_client.get("/omnitron/api/v1/channel/424242/products/inserts/")

    assert response.status_code == 404
    assert response.json()["detail"]


def test_a_naive_date_with_a_space_is_read_as_utc(operator_client, base):
    response = operator_client.post(
        f"{base}error_reports/", {"obj_modified_date": "2026-01-02 10:00:00", "error_code": "x"}
    )

    assert response.json()["obj_modified_date"] == "2026-01-02T10:00:00Z"
