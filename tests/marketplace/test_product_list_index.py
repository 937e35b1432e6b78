"""PRD102's cached counts and trigram-narrowed text filters give exactly the plain answers.

Every change below goes through a path that no service controls (queryset updates, deletes,
factories) on purpose: the database's own triggers must notice them all.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pazar.catalog.models import Product
from pazar.marketplace import dbobjects
from pazar.marketplace.models import SellerCatalogVersion
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db

PRODUCTS = "/seller-center/api/i2/products/"


@pytest.fixture
def seller(seller_client):
    return seller_client.seller


def live(seller, **fields):
    return ProductFactory(seller=seller, live=True, **fields)


def count(client, **params):
    response = client.get(PRODUCTS, params)
    assert response.status_code == 200, response.content
    return response.json()["count"]


def skus(client, **params):
    response = client.get(PRODUCTS, params)
    assert response.status_code == 200, response.content
    return sorted(item["sku"] for item in response.json()["results"])


def count_queries(client, **params) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        client.get(PRODUCTS, params)
    return [query["sql"] for query in captured.captured_queries if "COUNT(" in query["sql"]]


def token(seller):
    return SellerCatalogVersion.objects.filter(seller_id=seller.pk).values_list("token", flat=True)


def test_a_repeated_list_reuses_its_count_until_the_sellers_products_change(seller_client, seller):
    live(seller, sku="A")
    live(seller, sku="B")

    assert count(seller_client) == 2
    assert count_queries(seller_client) == []  # the same filter again: counted once
    assert count_queries(seller_client, page=1, limit=1) == []  # other pages share it
    assert count_queries(seller_client, sku="A") != []  # another filter counts anew

    live(seller, sku="C")
    assert count(seller_client) == 3

    Product.objects.filter(sku="A").update(approved=False)
    assert count(seller_client) == 2
    assert count(seller_client, approved="false") == 1

    Product.objects.filter(sku="B").delete()
    assert count(seller_client) == 1
    assert skus(seller_client) == ["C"]


def test_another_sellers_changes_keep_this_sellers_cached_count(seller_client, seller):
    live(seller, sku="MINE")
    before = list(token(seller))

    other = ProductFactory(sku="THEIRS", live=True)
    Product.objects.filter(pk=other.pk).update(name="Renamed")
    other.delete()

    assert list(token(seller)) == before
    assert count(seller_client) == 1


@pytest.mark.parametrize("change", ["insert", "update", "delete"])
def test_every_kind_of_write_replaces_the_sellers_token(seller, change):
    product = live(seller, sku="X")
    before = list(token(seller))

    if change == "insert":
        live(seller, sku="Y")
    elif change == "update":
        Product.objects.filter(pk=product.pk).update(name="Changed")
    else:
        Product.objects.filter(pk=product.pk).delete()

    assert list(token(seller)) not in ([], before)


def test_moving_a_product_to_another_seller_changes_both_tokens(seller):
    product = live(seller, sku="MOVING")
    other = ProductFactory(sku="ANCHOR").seller
    before = (list(token(seller)), list(token(other)))

    Product.objects.filter(pk=product.pk).update(seller=other)

    assert (list(token(seller)), list(token(other))) != before
    assert list(token(seller)) != before[0] and list(token(other)) != before[1]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"name__icontains": "tee shirt"}, ["LOWER", "UPPER"]),
        ({"name__contains": "Tee Shirt"}, ["UPPER"]),
        ({"name__contains": "tee shirt"}, ["LOWER"]),
        ({"name__icontains": "ee"}, ["LOWER", "QUOTE", "UPPER"]),  # too short for a trigram
        ({"name__icontains": 'say "hi"'}, ["QUOTE"]),
        ({"name__icontains": "NEAR(a b) OR *"}, []),  # FTS syntax is only text
        ({"sku__icontains": "low"}, ["LOWER"]),
        ({"base_code__contains": "code-u"}, ["UPPER"]),
        ({"base_code__icontains": "CODE-"}, ["LOWER", "QUOTE", "UPPER"]),
    ],
)
def test_text_filters_answer_exactly_as_the_plain_lookup(seller_client, seller, params, expected):
    live(seller, sku="UPPER", name="Big Tee Shirt", base_code="code-u")
    live(seller, sku="LOWER", name="small tee shirt", base_code="code-l")
    live(seller, sku="QUOTE", name='They say "hi" a lot, free', base_code="code-q")
    ProductFactory(sku="OTHER-SELLER", name="Tee Shirt", live=True)

    assert skus(seller_client, **params) == expected
    assert count(seller_client, **params) == len(expected)


def test_a_renamed_product_is_found_by_its_new_name_only(seller_client, seller):
    product = live(seller, sku="R", name="Crimson Hoodie")

    Product.objects.filter(pk=product.pk).update(name="Azure Hoodie")

    assert skus(seller_client, name__icontains="azure") == ["R"]
    assert skus(seller_client, name__icontains="crimson") == []


@pytest.mark.django_db(transaction=True)  # PostgreSQL alters no table with pending FK checks
def test_reinstalling_after_the_triggers_were_lost_catches_up(seller_client, seller):
    """What `migrate` does after a table rebuild dropped the triggers (SQLite)."""
    product = live(seller, sku="K", name="Crimson Hoodie")
    assert count(seller_client, name__icontains="crimson") == 1
    dbobjects.uninstall(connection)
    try:
        Product.objects.filter(pk=product.pk).update(name="Azure Hoodie")
        live(seller, sku="L", name="Azure Scarf")
    finally:
        dbobjects.install(connection)

    assert skus(seller_client, name__icontains="azure") == ["K", "L"]
    assert count(seller_client, name__icontains="crimson") == 0
    assert count(seller_client) == 2
