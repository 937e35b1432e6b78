"""PRD108's one-word queries: the order, ranks and count are those of the query ranked as a whole.

On PostgreSQL a one-word query that only one word of the catalogue begins with is answered from
`catalog_productterm` (catalog migration 0010), kept by triggers: after any mix of writes the
table holds exactly the rows its definition gives, and search answers exactly as ranking every
match with ts_rank would. On SQLite the same checks run against the FTS5 path.
"""

import itertools

import pytest
from django.core.management import call_command
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pazar.catalog import search
from pazar.catalog.models import Product
from pazar.catalog.search import catalog_search, catalog_search_count, index_refresh
from tests.factories import SellerFactory

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the words' table is PostgreSQL's"
)

WORDS = ["Siyah", "siyahlı", "Mavi", "Pantolon", "Pamuk", "ipek", "42"]
TEXT = st.lists(st.sampled_from(WORDS), max_size=4).map(" ".join)
ATTRIBUTES = st.dictionaries(
    st.sampled_from(["COLOR", "SIZE", "NOTE"]),
    st.one_of(st.sampled_from(WORDS), st.integers(40, 43), st.lists(st.sampled_from(WORDS))),
    max_size=3,
)
ROW = st.fixed_dictionaries(
    {
        "name": TEXT,
        "sku": st.sampled_from(["", "SIYAH", "MAVI-42", "X"]),
        "attributes": ATTRIBUTES,
        "seller": st.sampled_from([0, 1, None]),
        "approved": st.booleans(),
        "is_active": st.booleans(),
        "restrict_for_others": st.booleans(),
    }
)
OPERATION = st.one_of(
    st.tuples(st.just("insert"), st.lists(ROW, min_size=1, max_size=5)),
    st.tuples(st.just("update"), st.lists(st.integers(0, 50), max_size=3), ROW),
    st.tuples(
        st.just("set"),
        st.lists(st.integers(0, 50), max_size=3),
        st.sampled_from(["approved", "is_active", "restrict_for_others", "seller", "name"]),
        ROW,
    ),
    st.tuples(st.just("touch"), st.lists(st.integers(0, 50), max_size=3)),
    st.tuples(st.just("delete"), st.lists(st.integers(0, 50), max_size=2)),
)
QUERIES = ["siyah", "siya", "siyahl", "SİYAH", "pant", "mav", "pamuk", "ipe", "42", "4", "s", "x"]

_skus = (f"W-{n}" for n in itertools.count())


@pytest.fixture
def sellers():
    return [SellerFactory(), SellerFactory()]


def fields(row, sellers) -> dict:
    row = dict(row)
    row["seller"] = None if row["seller"] is None else sellers[row["seller"]]
    row["base_code"] = row["sku"]
    return row


def apply(operation, sellers) -> None:
    kind, *args = operation
    pks = list(Product.objects.order_by("pk").values_list("pk", flat=True))
    chosen = sorted({pks[i % len(pks)] for i in args[0]}) if pks and kind != "insert" else []
    if kind == "insert":
        Product.objects.bulk_create(
            Product(**{**fields(row, sellers), "sku": next(_skus) + " " + row["sku"]})
            for row in args[0]
        )
    elif kind == "update":
        changed = fields(args[1], sellers)
        del changed["sku"], changed["base_code"]
        Product.objects.filter(pk__in=chosen).update(**changed)
    elif kind == "set":
        name, row = args[1], fields(args[2], sellers)
        Product.objects.filter(pk__in=chosen).update(**{name: row[name]})
    elif kind == "touch":
        Product.objects.filter(pk__in=chosen).update(rejection_reason="touched")
    elif kind == "delete":
        Product.objects.filter(pk__in=chosen).delete()
    # SQLite's FTS5 table follows the services' calls, as every write path makes them.
    index_refresh(product_ids=pks + list(Product.objects.values_list("pk", flat=True)))


def stored_rows() -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT term, score, product_id, restricted_to FROM catalog_productterm")
        return sorted(cursor.fetchall(), key=repr)


def defined_rows() -> list[tuple]:
    """The rows of the table's definition, computed from the products as they are now."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT t.lexeme, ts_rank(p.search_document, to_tsquery('simple', quote_literal(t.lexeme))),
                   p.id, CASE WHEN p.restrict_for_others THEN p.seller_id END
            FROM catalog_product AS p, unnest(p.search_document) AS t
            WHERE p.approved AND p.is_active AND (NOT p.restrict_for_others OR p.seller_id IS NOT NULL)
            """
        )
        return sorted(cursor.fetchall(), key=repr)


def ranked_as_a_whole(query: str, seller) -> list[tuple[int, float]]:
    """The results as ranking every match of the whole query gives them (no words' table)."""
    terms = search.search_terms(query)
    visible = Product.objects.catalog().filter(restrict_for_others=False)
    if seller is not None:
        visible = Product.objects.catalog().filter(
            restrict_for_others=False
        ) | Product.objects.catalog().filter(seller=seller)
    if connection.vendor == "postgresql":
        products = search._postgresql_match(visible, terms)
    else:
        products = search._sqlite_match(visible, terms)
    return list(products.order_by("-rank", "pk").values_list("pk", "rank"))


def check_searches(sellers) -> None:
    for query, seller in itertools.product(QUERIES, [None, *sellers]):
        expected = ranked_as_a_whole(query, seller)
        results = catalog_search(query=query, seller=seller)
        assert list(results.values_list("pk", "rank")) == expected, (query, seller)
        assert catalog_search_count(query=query, seller=seller) == len(expected), (query, seller)
        assert list(results[1:3].values_list("pk", flat=True)) == [pk for pk, _ in expected[1:3]]


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(operations=st.lists(OPERATION, min_size=1, max_size=6))
def test_one_word_searches_answer_as_ranking_every_match_would(sellers, operations):
    Product.objects.all().delete()
    for operation in operations:
        apply(operation, sellers)
        if connection.vendor == "postgresql":
            assert stored_rows() == defined_rows(), operation
    check_searches(sellers)


@on_postgresql
def test_the_words_table_is_kept_through_truncate_and_bulk_writes(sellers):
    Product.objects.bulk_create(
        Product(sku=f"T-{n}", base_code="T", name=f"Siyah Pantolon {n}", approved=True)
        for n in range(300)
    )
    assert stored_rows() == defined_rows()
    assert len(stored_rows()) == 300 * 4  # siyah, pantolon, <n> and t

    Product.objects.filter(name__endswith="7").update(name="Mavi Pamuk")
    assert stored_rows() == defined_rows()

    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM catalog_productterm WHERE term = 'mavi'")
    call_command("search_reindex")
    assert stored_rows() == defined_rows()

    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # TRUNCATE waits for no deferred check
        cursor.execute("TRUNCATE catalog_product CASCADE")
    assert stored_rows() == []


@on_postgresql
def test_a_word_only_one_catalogue_word_begins_with_is_read_from_the_words_index():
    Product.objects.bulk_create(
        Product(sku=f"I-{n}", base_code="I", name=f"Siyah Kazak {n}", approved=True)
        for n in range(2000)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE catalog_productterm")
        cursor.execute("ANALYZE catalog_product")
    results = catalog_search(query="siya", seller=None)
    sql, params = results[:20].query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert "catalog_productterm_rank" in plan
    assert "Sort" not in plan
    assert catalog_search_count(query="siya", seller=None) == 2000
    assert search._only_catalog_word(search.search_terms("siya")) == "siyah"
    assert search._only_catalog_word(search.search_terms("kazak siyah")) is None
    assert search._only_catalog_word(search.search_terms("1")) is None  # 1, 10, 100, …


def test_a_one_word_search_keeps_its_order_name_twice_name_and_attribute_name_code_attribute():
    # given: the order of ts_rank (PostgreSQL) and bm25 (SQLite), pinned; ties go by pk
    def product(name, sku="", attributes=None):
        product = Product.objects.create(
            name=name, sku=next(_skus) + " " + sku, base_code="", attributes=attributes or {},
            approved=True,
        )  # fmt: skip
        index_refresh(product_ids=[product.pk])
        return product

    by_attribute = product("Kazak", attributes={"COLOR": "Siyah"})
    by_name = product("Siyah Kazak")
    by_sku = product("Kazak", sku="SIYAH-1")
    by_name_and_attribute = product("Siyah Kazak", attributes={"COLOR": "Siyah"})
    by_name_again = product("Siyah Hırka")
    by_name_twice = product("Siyah Siyah Kazak")
    product("Mavi Kazak", attributes={"COLOR": "Mavi"})

    # when
    results = catalog_search(query="siyah", seller=None)

    # then
    assert list(results) == [
        by_name_twice, by_name_and_attribute, by_name, by_name_again, by_sku, by_attribute,
    ]  # fmt: skip
    assert catalog_search_count(query="siyah", seller=None) == 6
    if connection.vendor == "postgresql":
        assert search._only_catalog_word(search.search_terms("siyah")) == "siyah"
