"""Input no database can store, or that would make the server recurse or overflow, is a 400 (or
a plain empty answer), never a 500 — on SQLite and PostgreSQL alike. Each case was a 500 found
by the fuzz tests in tests/fuzz/."""

import io
import json
import logging

import pytest
from django.urls import URLResolver, get_resolver
from rest_framework import parsers

from pazar.api.parsers import JSONParser
from pazar.batches.models import BatchRequest
from pazar.catalog.models import Attribute
from tests.factories import PriceListFactory

pytestmark = pytest.mark.django_db

STOCKS = "/seller-center/api/i2/products/stocks/"
PRICE_LISTS = "/seller-center/api/i1/price-lists/"
ATTRIBUTES = "/omnitron/api/v1/attributes/"


def post_raw(client, path, body: str):
    return client.generic("POST", path, body.encode(), content_type="application/json")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('[{"sku": "a\\u0000b", "stock": 1}]', "strings may not contain the NUL character"),
        ('[{"a\\u0000": 1}]', "strings may not contain the NUL character"),
        ('[{"sku": "\\ud800", "stock": 1}]', "strings may not contain unpaired surrogates"),
        ("[" * 33 + "]" * 33, "nested deeper than 32 levels"),
        ('{"x": ' * 33 + "1" + "}" * 33, "nested deeper than 32 levels"),
        ('[{"a": [1, {"b": ' * 9 + "2" + "}]}]" * 9, "nested deeper than 32 levels"),
        ("[" * 100_000 + "]" * 100_000, "nested deeper than 32 levels"),
    ],
)
def test_bodies_no_database_stores_are_a_400_and_nothing_is_accepted(
    seller_client, settings, body, message
):
    settings.PAZAR_RATE_LIMITS = None

    response = post_raw(seller_client, STOCKS, body)

    assert response.status_code == 400
    assert response.json() == {"detail": f"JSON parse error - {message}.", "code": "parse_error"}
    assert not BatchRequest.objects.exists()


def test_an_omnitron_write_with_a_nul_inside_a_json_value_is_a_400(operator_client):
    body = {"key": "COLOR", "name": "Color", "data_type": "text", "kwargs": {"x": "\x00"}}

    response = post_raw(operator_client, ATTRIBUTES, json.dumps(body))

    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"
    assert not Attribute.objects.exists()


def test_a_raw_nul_inside_a_json_string_is_a_400(operator_client):
    """Without a `\\u` escape a NUL can only be raw, which JSON itself refuses."""
    body = '{"key": "COLOR", "name": "Co\x00lor", "data_type": "text"}'

    response = post_raw(operator_client, ATTRIBUTES, body)

    assert response.status_code == 400
    assert response.json() == {
        "detail": "JSON parse error - Invalid control character at: line 1 column 29 (char 28)",
        "code": "parse_error",
    }
    assert not Attribute.objects.exists()


def test_wide_bodies_within_the_depth_parse(operator_client):
    """Many objects side by side (brackets past the limit, depth within it) are no error."""
    objects = [{"pk": i, "items": [{"a": [i]}]} for i in range(200)]

    assert JSONParser().parse(io.BytesIO(json.dumps(objects).encode())) == objects


def test_nesting_up_to_the_limit_still_parses(seller_client, settings):
    settings.PAZAR_RATE_LIMITS = None
    deep = {"x": 1}
    for _ in range(29):  # list > row > attributes > 29 more levels: 32 in all
        deep = {"x": deep}
    rows = [{"sku": "A", "stock_list": "x", "stock": 1, "attributes": deep}]

    response = seller_client.post(STOCKS, rows, format="json")

    assert response.status_code == 202


@pytest.mark.parametrize(
    "url",
    [f"{PRICE_LISTS}?name=%00", f"{PRICE_LISTS}?name__in=a,%00", "/seller-center/api/i2/%00/"],
)
def test_a_nul_in_the_url_is_a_400(seller_client, url):
    response = seller_client.get(url)

    assert response.status_code == 400
    assert response.json() == {
        "detail": "The URL may not contain the NUL character.",
        "code": "parse_error",
    }


@pytest.mark.parametrize("offset", ["+18:34", "-17:30", "+23:59"])
def test_date_filters_take_any_iso_offset(seller_client, offset):
    """PostgreSQL refuses offsets past ±15:59; the filter compares in UTC instead."""
    response = seller_client.get(PRICE_LISTS, {"created_at__gte": f"2020-01-01T00:00:00{offset}"})

    assert response.status_code == 200


@pytest.mark.parametrize(
    ("lookup", "value", "found"),
    [
        ("created_at__gte", "9999-12-31T23:00:00-05:00", False),
        ("created_at__lt", "9999-12-31T23:00:00-05:00", True),
        ("created_at__gt", "0001-01-01T00:30:00+01:00", True),
        ("created_at__lte", "0001-01-01T00:30:00+01:00", False),
        ("created_at__gt", "2000-01-01t00:00:00z", True),
    ],
)
def test_a_date_filter_takes_every_rfc_3339_time(seller_client, lookup, value, found):
    """A time past year 9999 or before year 1 in UTC (a valid RFC 3339 time with an offset,
    as the documents' `date-time` says) compares as the nearest time that can be stored; it was
    a 400. A lower-case `t` and `z` are RFC 3339 too."""
    PriceListFactory(sellers=[seller_client.seller])

    response = seller_client.get(PRICE_LISTS, {lookup: value})

    assert response.status_code == 200
    assert response.json()["count"] == (1 if found else 0)


def test_ids_beyond_64_bits_match_nothing(operator_client):
    response = operator_client.get(
        "/omnitron/api/v1/product_stock/", {"product__in": "480962093855424643072,1"}
    )

    assert response.status_code == 200
    assert response.json()["count"] == 0


@pytest.mark.parametrize("path", ["/omnitron/api/v1/product_image/", ATTRIBUTES])
def test_views_that_also_take_files_parse_json_the_same_way(operator_client, path):
    response = post_raw(operator_client, path, "[" * 100_000 + "]" * 100_000)

    assert response.status_code == 400
    assert response.json() == {
        "detail": "JSON parse error - nested deeper than 32 levels.",
        "code": "parse_error",
    }


def api_views():
    def walk(patterns):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                yield from walk(entry.url_patterns)
            elif view_class := getattr(entry.callback, "cls", None):
                yield view_class

    return set(walk(get_resolver().url_patterns))


def test_every_api_view_parses_json_with_the_apis_parser():
    """A view naming its own parsers must not bring DRF's JSON parser back."""
    views = api_views()
    drf_json = [
        view.__name__
        for view in views
        for parser in view.parser_classes
        if issubclass(parser, parsers.JSONParser) and not issubclass(parser, JSONParser)
    ]

    assert drf_json == []
    assert {view.__name__ for view in views} >= {"ProductImageListView", "ProductsView"}


@pytest.mark.parametrize(
    ("path", "parameter", "value"),
    [
        ("/omnitron/api/v1/users/", "pk__lt", "1.5"),
        ("/omnitron/api/v1/users/", "pk", "2.5"),
        ("/omnitron/api/v1/users/", "pk__in", "1,2.5"),
        ("/omnitron/api/v1/products/", "category", "1.5"),
        ("/omnitron/api/v1/products/", "pk__gte", "1e3"),
        ("/omnitron/api/v1/product_stock/", "product__in", "1,x"),
        ("/omnitron/api/v1/product_image/", "product__in", "0.5"),
    ],
)
def test_a_non_integer_value_on_an_integer_filter_is_a_400_naming_it(
    operator_client, path, parameter, value
):
    response = operator_client.get(path, {parameter: value})

    assert response.status_code == 400
    assert list(response.json()) == [parameter]


def test_integer_filters_still_take_whole_numbers(operator_client, operator):
    response = operator_client.get("/omnitron/api/v1/users/", {"pk__lt": operator.pk + 1})

    assert response.status_code == 200
    assert [user["pk"] for user in response.json()["results"]] == [operator.pk]


def test_an_oversized_body_logs_one_warning_line_without_a_traceback(
    seller_client, settings, caplog
):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    settings.PAZAR_RATE_LIMITS = None

    with caplog.at_level(logging.DEBUG):
        response = post_raw(seller_client, STOCKS, "[" + " " * 200 + "]")

    assert response.status_code == 413
    assert response.json()["code"] == "request_too_large"
    records = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert [(r.name, r.levelname) for r in records] == [
        ("django.security.RequestDataTooBig", "WARNING")
    ]
    assert records[0].exc_info is None
    assert (
        records[0].getMessage() == f"request body over the size limit, answered 413 (POST {STOCKS})"
    )


@pytest.mark.parametrize("accept", ["alt-svc", "text/csv", "text/html;q=1, application/xml"])
def test_an_accept_header_without_json_is_disregarded_not_a_406(operator_client, accept):
    # No operation documents a 406 for its Accept header: the answer is the JSON it always is.
    response = operator_client.get(ATTRIBUTES, HTTP_ACCEPT=accept)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json()["results"] == []


def test_an_accept_header_naming_json_is_still_honoured(operator_client):
    response = operator_client.get(ATTRIBUTES, HTTP_ACCEPT="text/html;q=0.9, application/json")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
