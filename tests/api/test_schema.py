"""Each site publishes an OpenAPI 3 document and interactive docs under its own base URL."""

import io
import re

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db

SITES = {
    "omnitron": {
        "title": "Omnitron API",
        "paths": [
            "/api/v1/cancellation_reasons/",
            "/api/v1/cancellation_reasons/{id}/",
            "/api/i1/orders/{id}/cancel/",
            "/api/v1/channel/{cid}/cancellation_reasons/",
            "/api/v1/channel/{cid}/cancellation_reasons/{id}/",
            "/api/v1/cancellation_requests/",
            "/api/v1/cancellation_requests/{id}/",
            "/api/v1/cancellation_requests/{id}/approve/",
            "/api/v1/cancellation_requests/{id}/reject/",
            "/api/v1/cancellation_requests/{id}/receive/",
            "/api/v1/cancellation_requests/{id}/complete/",
            "/api/v1/channel/{cid}/orders/{id}/cancel/",
            "/api/v1/channel/{cid}/cancellation_requests/",
            "/api/v1/channel/{cid}/cancellation_requests/updates/",
            "/api/v1/channel/{cid}/cancellation_requests/{id}/",
            "/api/i1/auth/login/",
            "/api/v1/auth/login/",
            "/api/v1/active_user/",
            "/api/i1/attributes/",
            "/api/v1/attributes/",
            "/api/v1/attributes/{id}/",
            "/api/v1/attribute_value/",
            "/api/v1/attribute_value/{id}/",
            "/api/i1/attribute_value/",
            "/api/i1/attribute_set/",
            "/api/v1/attribute_set/",
            "/api/v1/attribute_set/{id}/",
            "/api/i1/products/",
            "/api/v1/products/",
            "/api/v1/products/{id}/",
            "/api/v1/category_nodes/",
            "/api/v1/category_nodes/{id}/",
            "/api/v1/category_attributes/",
            "/api/v1/category_attributes/{id}/",
            "/api/i1/pre_products/",
            "/api/v1/pre_products/",
            "/api/v1/pre_products/approve/",
            "/api/v1/pre_products/reject/",
            "/api/v1/pre_products/{id}/",
            "/api/v1/pre_products/{id}/approve/",
            "/api/v1/pre_products/{id}/reject/",
            "/api/i1/price_list/",
            "/api/v1/price_list/",
            "/api/v1/price_list/{id}/",
            "/api/i1/stock_list/",
            "/api/v1/stock_list/",
            "/api/v1/stock_list/{id}/",
            "/api/i1/product_price/",
            "/api/v1/product_price/",
            "/api/v1/product_price/{id}/",
            "/api/i1/product_stock/",
            "/api/v1/product_stock/",
            "/api/v1/product_stock/{id}/",
            "/api/v1/category_trees/",
            "/api/v1/category_trees/{id}/",
            "/api/v1/catalogs/",
            "/api/v1/catalogs/{id}/",
            "/api/v1/catalog_items/",
            "/api/v1/catalog_items/{id}/",
            "/api/v1/channel/{channel_id}/attribute_configs/",
            "/api/v1/channel/{channel_id}/attribute_configs/detailed/",
            "/api/v1/channel/{channel_id}/attribute_configs/{id}/",
            "/api/v1/channel/{channel_id}/attribute_configs/{id}/detailed/",
            "/api/v1/channel/{channel_id}/attribute_schemas/",
            "/api/v1/channel/{channel_id}/attribute_schemas/{id}/",
            "/api/v1/channel/{channel_id}/attribute_set_configs/",
            "/api/v1/channel/{channel_id}/attribute_set_configs/{id}/",
            "/api/v1/channel/{channel_id}/attribute_sets/",
            "/api/v1/channel/{channel_id}/attribute_sets/{id}/",
            "/api/v1/channel/{channel_id}/attribute_value_configs/",
            "/api/v1/channel/{channel_id}/attribute_value_configs/{id}/",
            "/api/v1/channel/{channel_id}/attribute_values/",
            "/api/v1/channel/{channel_id}/attribute_values/{id}/",
            "/api/v1/channel/{channel_id}/attributes/",
            "/api/v1/channel/{channel_id}/attributes/{id}/",
            "/api/v1/channel/{channel_id}/batch_requests/",
            "/api/v1/channel/{channel_id}/batch_requests/{id}/",
            "/api/v1/channel/{channel_id}/category_nodes/",
            "/api/v1/channel/{channel_id}/category_nodes/detailed/",
            "/api/v1/channel/{channel_id}/category_nodes/{id}/",
            "/api/v1/channel/{channel_id}/category_nodes/{id}/detailed/",
            "/api/v1/channel/{channel_id}/category_trees/",
            "/api/v1/channel/{channel_id}/category_trees/{id}/",
            "/api/v1/channel/{channel_id}/error_reports/",
            "/api/v1/channel/{channel_id}/error_reports/{id}/",
            "/api/v1/channel/{channel_id}/error_reports/distinct/",
            "/api/v1/channel/{channel_id}/error_reports/country/",
            "/api/v1/channel/{channel_id}/error_reports/city/",
            "/api/v1/channel/{channel_id}/error_reports/township/",
            "/api/v1/channel/{channel_id}/error_reports/district/",
            "/api/v1/channel/{channel_id}/extra_product_prices/",
            "/api/v1/channel/{channel_id}/extra_product_prices/inserts/",
            "/api/v1/channel/{channel_id}/extra_product_prices/updates/",
            "/api/v1/channel/{channel_id}/extra_product_stocks/",
            "/api/v1/channel/{channel_id}/extra_product_stocks/inserts/",
            "/api/v1/channel/{channel_id}/extra_product_stocks/updates/",
            "/api/v1/channel/{channel_id}/integration_actions/",
            "/api/v1/channel/{channel_id}/integration_actions/deleted/",
            "/api/v1/channel/{channel_id}/integration_actions/{id}/",
            "/api/v1/channel/{channel_id}/mapped_products/",
            "/api/v1/channel/{channel_id}/mapped_products/{id}/",
            "/api/v1/channel/{channel_id}/price_lists/",
            "/api/v1/channel/{channel_id}/product_categories/",
            "/api/v1/channel/{channel_id}/product_categories/detailed/",
            "/api/v1/channel/{channel_id}/product_images/",
            "/api/v1/channel/{channel_id}/product_images/inserts/",
            "/api/v1/channel/{channel_id}/product_images/updates/",
            "/api/v1/channel/{channel_id}/product_prices/",
            "/api/v1/channel/{channel_id}/product_prices/inserts/",
            "/api/v1/channel/{channel_id}/product_prices/updates/",
            "/api/v1/channel/{channel_id}/product_stocks/",
            "/api/v1/channel/{channel_id}/product_stocks/inserts/",
            "/api/v1/channel/{channel_id}/product_stocks/updates/",
            "/api/v1/channel/{channel_id}/products/",
            "/api/v1/channel/{channel_id}/products/inserts/",
            "/api/v1/channel/{channel_id}/products/inserts_or_updates/",
            "/api/v1/channel/{channel_id}/products/updates/",
            "/api/v1/channel/{channel_id}/products/{id}/",
            "/api/v1/channel/{channel_id}/retail_stores/",
            "/api/v1/channel/{channel_id}/stock_lists/",
            "/api/v1/channels/",
            "/api/v1/channels/{id}/",
            "/api/v1/countries/",
            "/api/v1/countries/{id}/",
            "/api/v1/cities/",
            "/api/v1/cities/{id}/",
            "/api/v1/townships/",
            "/api/v1/townships/{id}/",
            "/api/v1/districts/",
            "/api/v1/districts/{id}/",
            "/api/v1/cargo_companies/",
            "/api/v1/cargo_companies/{id}/",
            "/api/v1/orders/",
            "/api/i1/orders/",
            "/api/v1/orders/{id}/",
            "/api/v1/order_items/",
            "/api/v1/order_items/{id}/",
            "/api/v1/order_number/{number}/",
            "/api/i1/order_items/bulk_status_update/",
            "/api/i1/order_items/{id}/create_mapping/",
            "/api/v1/channel/{cid}/countries/",
            "/api/v1/channel/{cid}/countries/{id}/",
            "/api/v1/channel/{cid}/cities/",
            "/api/v1/channel/{cid}/cities/{id}/",
            "/api/v1/channel/{cid}/townships/",
            "/api/v1/channel/{cid}/townships/{id}/",
            "/api/v1/channel/{cid}/districts/",
            "/api/v1/channel/{cid}/districts/{id}/",
            "/api/v1/channel/{cid}/customers/",
            "/api/v1/channel/{cid}/customers/{id}/",
            "/api/v1/channel/{cid}/addresses/",
            "/api/v1/channel/{cid}/addresses/{id}/",
            "/api/v1/channel/{cid}/cargos/",
            "/api/v1/channel/{cid}/cargos/{id}/",
            "/api/v1/channel/{cid}/orders/",
            "/api/v1/channel/{cid}/orders/updates/",
            "/api/v1/channel/{cid}/orders/{id}/",
            "/api/v1/channel/{cid}/order_items/",
            "/api/v1/channel/{cid}/order_items/{id}/",
            "/api/v1/channel/{cid}/create_orders/",
            "/api/v1/content_types/",
            "/api/v1/sellers/",
            "/api/v1/sellers/{id}/",
            "/api/v1/marketplace_settings/",
            "/api/v1/users/",
            "/api/v1/users/{id}/",
            "/api/v1/groups/",
            "/api/v1/groups/{id}/",
            "/api/v1/permissions/",
            "/api/v1/applications/",
            "/api/v1/applications/{id}/",
            "/api/v1/applications/{id}/proxy_secret/",
            "/api/v1/application_permissions/",
            "/api/v1/application_permissions/{id}/",
            "/api/v1/app_proxy/{application_id}/{path}",
            "/api/i1/downloadable_image/",
            "/api/i1/downloadable_image/{id}/",
            "/api/v1/product_image/",
            "/api/v1/product_image/{id}/",
            "/api/v1/product_video/",
            "/api/v1/product_video/{id}/",
            "/api/v1/dynamic_settings/",
            "/api/v1/dynamic_settings/{id}/",
            "/api/v1/bex_transactions/",
            "/api/v1/bex_transactions/{id}/",
            "/api/v1/channel/{channel_id}/extra_product_prices/{id}/",
            "/api/v1/channel/{channel_id}/extra_product_stocks/{id}/",
            "/api/v1/channel/{channel_id}/price_lists/{id}/",
            "/api/v1/channel/{channel_id}/product_images/{id}/",
            "/api/v1/channel/{channel_id}/product_prices/{id}/",
            "/api/v1/channel/{channel_id}/product_stocks/{id}/",
            "/api/v1/channel/{channel_id}/retail_stores/{id}/",
            "/api/v1/channel/{channel_id}/stock_lists/{id}/",
            "/api/v1/channel/{cid}/order_shipping_infos/",
            "/api/v1/content_types/{id}/",
            "/api/v1/funds_transfer_transactions/",
            "/api/v1/funds_transfer_transactions/{id}/",
            "/api/v1/loyalty_transactions/",
            "/api/v1/loyalty_transactions/{id}/",
            "/api/v1/order_transactions/",
            "/api/v1/order_transactions/{id}/",
            "/api/v1/pay_on_delivery_transactions/",
            "/api/v1/pay_on_delivery_transactions/{id}/",
            "/api/v1/payment_options/",
            "/api/v1/payment_options/{id}/",
            "/api/v1/transactions/",
            "/api/v1/transactions/{id}/",
        ],
    },
    "seller-center": {
        "title": "Seller Center Integration API",
        "paths": [
            "/api/i1/token/obtain/",
            "/api/i1/languages/",
            "/api/i1/price-lists/",
            "/api/i1/stock-lists/",
            "/api/i2/access-tokens/",
            "/api/i2/access-tokens/{id}/",
            "/api/i2/callbacks/",
            "/api/i2/callbacks/replay/",
            "/api/i2/categories/",
            "/api/i2/categories/{id}/attributes/",
            "/api/i2/products/",
            "/api/i2/products/batch-requests/{id}/",
            "/api/i2/products/batch-requests/{id}/files/{kind}.json",
            "/api/i2/products/prices/",
            "/api/i2/products/prices-and-stocks/",
            "/api/i2/products/search/",
            "/api/i2/orders/{number}/",
            "/api/i2/packages/",
            "/api/i2/packages/changes/",
            "/api/i2/packages/{number}/invoice/",
            "/api/i2/packages/{number}/items/",
            "/api/i2/claims/",
            "/api/i2/claims/changes/",
            "/api/i2/claims/{claim_id}/approve/",
            "/api/i2/claims/{claim_id}/reject/",
            "/api/i2/packages/{number}/ready/",
            "/api/i2/packages/{number}/reject-items/",
            "/api/i2/packages/{number}/ship/",
            "/api/i2/packages/{number}/split/",
            "/api/i2/products/stocks/",
        ],
    },
    "whippy-ware": {
        "title": "Whippy Ware API",
        "paths": [
            "/api/v1/auth/login/",
            "/api/v1/expire-token/",
            "/api/v1/providers/",
            "/api/v1/providers/{id}/",
            "/api/v1/stock-locations/",
            "/api/v1/stock-locations/{id}/",
            "/api/v1/stock-list-rules/",
            "/api/v1/stock-list-rules/{id}/",
            "/api/v1/stock-lists/",
            "/api/v1/stock-lists/{id}/",
            "/api/v1/stocks/",
            "/api/v1/stocks/{id}/",
            "/api/v1/stocks/{id}/reserve/",
            "/api/v1/stocks/{id}/release/",
        ],
    },
}


@pytest.mark.parametrize("site", SITES)
def test_each_site_serves_its_own_openapi_document(api_client, site):
    response = api_client.get(f"/{site}/api/schema/", {"format": "json"})

    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == SITES[site]["title"]
    assert schema["servers"] == [{"url": f"/{site}"}]
    assert sorted(schema["paths"]) == sorted(SITES[site]["paths"])


@pytest.mark.parametrize("site", SITES)
def test_each_document_says_how_bodies_and_query_lists_are_read(api_client, site):
    """What the fuzzer (tests/fuzz/test_schemas.py) does not count as refused data is what the
    documents say the server takes, as DRF and django-filter read it."""
    description = api_client.get(f"/{site}/api/schema/", {"format": "json"}).json()["info"][
        "description"
    ]

    for said in [
        "may hold the NUL character (U+0000): such a request is a 400",
        'a text field also takes a number, read as its text (`12` as `"12"`)',
        'a number or id field its number written as text (`"12"`)',
        'a boolean field `1`, `0`, `"true"` or `"false"`',
        "A comma-separated query list sent empty (`?pk__in=`) is the empty list",
    ]:
        assert said in description


@pytest.mark.parametrize("site", SITES)
def test_no_two_paths_of_a_document_are_the_same_template(api_client, site):
    """OpenAPI: templated paths that differ only in their parameters' names are the same path
    (`error_reports/{id}/` and `error_reports/{kind}/`); a client cannot tell which one a URL
    names, nor could the fuzzer (a `kind` of `0` reached the report detail, a 405)."""
    paths = api_client.get(f"/{site}/api/schema/", {"format": "json"}).json()["paths"]

    templates = [re.sub(r"\{[^}]+\}", "{}", path) for path in paths]

    assert sorted(templates) == sorted(set(templates))


@pytest.mark.parametrize("site", SITES)
def test_each_site_serves_interactive_docs(api_client, site):
    response = api_client.get(f"/{site}/api/docs/")

    assert response.status_code == 200
    assert b"swagger-ui" in response.content
    assert f"<title>{SITES[site]['title']}</title>".encode() in response.content
    assert f"/{site}/api/schema/".replace("-", "\\u002D").encode() in response.content


@pytest.mark.parametrize("site", ["omnitron", "seller_center", "whippy_ware"])
def test_schemas_generate_without_warnings_and_validate(site, tmp_path):
    out = io.StringIO()

    call_command(
        "spectacular",
        urlconf=f"pazar.sites.{site}_api",
        fail_on_warn=True,
        validate=True,
        file=str(tmp_path / "schema.yaml"),
        stdout=out,
        stderr=out,
    )

    assert (tmp_path / "schema.yaml").stat().st_size > 0


def test_documented_responses_carry_real_schemas(api_client):
    schema = api_client.get("/seller-center/api/schema/", {"format": "json"}).json()

    languages = schema["paths"]["/api/i1/languages/"]["get"]
    page = languages["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    component = schema["components"]["schemas"][page.rsplit("/", 1)[1]]
    assert set(component["properties"]) == {"count", "next", "previous", "results"}
    assert languages["security"] == [{"sellerToken": []}]
    login = api_client.get("/omnitron/api/schema/", {"format": "json"}).json()["paths"][
        "/api/i1/auth/login/"
    ]["post"]
    assert login["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/LoginRequest"
    )


def test_the_seller_centers_product_operations_have_summaries_examples_and_own_descriptions(
    api_client,
):
    schema = api_client.get("/seller-center/api/schema/", {"format": "json"}).json()
    operations = {
        operation["operationId"]: operation
        for path in schema["paths"].values()
        for operation in path.values()
        if isinstance(operation, dict) and operation.get("operationId", "").startswith("PRD10")
    }
    writes = ["PRD101", "PRD104", "PRD105", "PRD106"]  # a DELETE's body: in its description

    assert all(operation.get("summary") for operation in operations.values())
    descriptions = [operation.get("description") for operation in operations.values()]
    assert len(set(descriptions)) == len(descriptions)  # no two share one description
    for code in writes:
        (operation,) = [op for key, op in operations.items() if key.startswith(code)]
        examples = operation["requestBody"]["content"]["application/json"].get("examples")
        assert examples, code
    (delete,) = [op for key, op in operations.items() if key.startswith("PRD103")]
    assert '[{"sku": "TEE-RED-M"}' in delete["description"]
