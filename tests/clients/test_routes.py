"""Every route omnisdk names, and every sub-path channel_app appends, is served by Pazar.

Read from the installed clients (.venv-clients): omnisdk's endpoint names
(`omnisdk/omnitron/endpoints.py`) and channel_app's sub-paths (`path = "inserts"`, …). omnisdk
offers a list (`<name>/`) and a detail (`<name>/{id}/`) for each name; a form Pazar does not
serve is named below with the reason (docs/channels.md says the same), and any other one
missing fails here: a client must never get a 404 for a route. Each list answers an operator
with JSON (a page with `next`, or an object), or with the documented 405 of a POST-only path.
"""

import re

import pytest
from django.urls import Resolver404, resolve
from tests.channels.factories import ChannelFactory, catalog_product
from tests.clients.conftest import ROOT

SITE = next((ROOT / ".venv-clients" / "lib").glob("python3*/site-packages"), None)
ENDPOINTS = SITE / "omnisdk" / "omnitron" / "endpoints.py" if SITE else None
COMMANDS = SITE / "channel_app" / "omnitron" / "commands" if SITE else None

NOT_SERVED = {
    ("active_user", "detail"): "the signed-in user is one object: `active_user/`",
    ("order_number", "list"): "an order is read by its number: `order_number/{number}/`",
    ("channel/{channel_id}/create_orders", "detail"): "POST only: it creates orders",
    ("channel/{channel_id}/order_shipping_infos", "detail"): "POST only: it sets an order's cargo",
    ("channel/{channel_id}/product_categories", "detail"): "read by product: `?product=<pk>`",
}
POST_ONLY = {"channel/{channel_id}/create_orders", "channel/{channel_id}/order_shipping_infos"}
# What channel_app appends to an endpoint (real-clients.md §4-§9), by endpoint name.
SUB_PATHS = {
    "channel/{channel_id}/products": ["inserts/", "updates/", "inserts_or_updates/"],
    "channel/{channel_id}/product_prices": ["inserts/", "updates/"],
    "channel/{channel_id}/product_stocks": ["inserts/", "updates/"],
    "channel/{channel_id}/extra_product_prices": ["inserts/", "updates/"],
    "channel/{channel_id}/extra_product_stocks": ["inserts/", "updates/"],
    "channel/{channel_id}/product_images": ["inserts/", "updates/"],
    "channel/{channel_id}/orders": ["updates/", "1/cancel/"],
    "channel/{channel_id}/cancellation_requests": ["updates/"],
    "channel/{channel_id}/integration_actions": ["deleted/"],
    "channel/{channel_id}/attribute_configs": ["detailed/", "1/detailed/"],
    "channel/{channel_id}/category_nodes": ["detailed/", "1/detailed/"],
    "channel/{channel_id}/product_categories": ["detailed/"],
    "channel/{channel_id}/error_reports": [
        "distinct/", "country/", "city/", "township/", "district/",
    ],
}  # fmt: skip


def omnisdk_endpoints() -> list[str]:
    assert ENDPOINTS and ENDPOINTS.exists(), "the clients' environment is missing: `make clients`"
    return re.findall(r"endpoint=['\"]([^'\"]+)['\"]", ENDPOINTS.read_text())


def url(name: str, suffix: str = "", channel: int = 1) -> str:
    return f"/omnitron/api/v1/{name.replace('{channel_id}', str(channel))}/{suffix}"


def test_omnisdk_names_the_endpoints_this_test_knows():
    names = omnisdk_endpoints()
    assert len(names) == 51, names
    assert {name for name, _ in NOT_SERVED} <= set(names)
    assert set(SUB_PATHS) <= set(names)


def test_every_route_omnisdk_names_is_served():
    missing = []
    for name in omnisdk_endpoints():
        for form, suffix in (("list", ""), ("detail", "7/")):
            try:
                resolve(url(name, suffix))
            except Resolver404:
                if (name, form) not in NOT_SERVED:
                    missing.append(url(name, suffix))
            else:
                assert (name, form) not in NOT_SERVED, f"{name} {form} is served now"
    assert missing == []


def test_every_sub_path_channel_app_appends_is_served():
    assert COMMANDS and COMMANDS.exists()
    found = set()
    for source in COMMANDS.rglob("*.py"):
        if "tests" in source.parts:
            continue
        found |= set(re.findall(r"\bpath\s*=\s*['\"]([a-z_{}/]+)['\"]", source.read_text()))
    known = {suffix.rstrip("/").replace("1/", "{pk}/") for s in SUB_PATHS.values() for suffix in s}
    assert found <= known, found - known
    missing = []
    for name, suffixes in SUB_PATHS.items():
        for suffix in suffixes:
            try:
                resolve(url(name, suffix))
            except Resolver404:
                missing.append(url(name, suffix))
    assert missing == []


@pytest.mark.django_db
def test_every_list_omnisdk_names_answers_json(operator_client):
    channel = ChannelFactory(channel_type="sales_channel")
    catalog_product(channel.catalog)
    for name in omnisdk_endpoints():
        if (name, "list") in NOT_SERVED:
            continue
        response = operator_client.get(url(name, channel=channel.pk))
        if name in POST_ONLY:
            assert response.status_code == 405, (name, response.status_code)
        else:
            assert response.status_code == 200, (name, response.status_code, response.content)
        body = response.json()
        if isinstance(body, dict) and "results" in body:
            assert "next" in body and "count" in body, name


@pytest.mark.django_db
def test_every_detail_omnisdk_names_answers_one_object_or_a_json_404(operator_client):
    """A detail is one object (never a page), or a JSON 404 for a row that is not there."""
    channel = ChannelFactory(channel_type="sales_channel")
    catalog_product(channel.catalog)
    for name in omnisdk_endpoints():
        if (name, "detail") in NOT_SERVED:
            continue
        response = operator_client.get(url(name, "999999/", channel=channel.pk))
        assert response.status_code in (404, 405), (name, response.status_code)
        assert response.json()["code"] in ("not_found", "method_not_allowed"), name
    price_list = channel.catalog.price_list
    found = operator_client.get(
        url("channel/{channel_id}/price_lists", f"{price_list.pk}/", channel.pk)
    )
    assert found.status_code == 200
    assert found.json()["pk"] == price_list.pk
