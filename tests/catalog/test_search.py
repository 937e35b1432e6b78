"""Catalog full-text search (PRD108) on the database the suite runs on: SQLite or PostgreSQL."""

import itertools

import pytest
from django.core.management import call_command
from django.db import connection

from pazar.catalog.models import Product
from pazar.catalog.search import MAX_TERM_LENGTH, catalog_search, index_refresh, search_terms
from tests.factories import SellerFactory

pytestmark = pytest.mark.django_db

_numbers = itertools.count(1)

on_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="the FTS5 table is SQLite's")
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the GIN index is PostgreSQL's"
)


def make_product(*, refresh: bool = True, **fields) -> Product:
    """An approved catalog product, indexed as approval would index it."""
    number = next(_numbers)
    fields = {
        "sku": f"Q{number:06d}",
        "base_code": f"B{number:06d}",
        "name": "Plain item",
        "approved": True,
        **fields,
    }
    product = Product.objects.create(**fields)
    if refresh:
        index_refresh(product_ids=[product.pk])
    return product


def found(query: str, seller=None) -> list[Product]:
    return list(catalog_search(query=query, seller=seller))


def indexed_ids() -> set[int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT rowid FROM catalog_product_fts")
        return {row[0] for row in cursor.fetchall()}


@pytest.mark.parametrize(
    ("fields", "query"),
    [
        ({"name": "Kırmızı Tişört"}, "tişört"),
        ({"sku": "TSHIRT-1-RD-S"}, "TSHIRT-1-RD-S"),
        ({"sku": "TSHIRT-1-RD-S"}, "rd"),
        ({"base_code": "ABC.7781/X"}, "abc 7781"),
        ({"attributes": {"COLOR": "Lacivert"}}, "lacivert"),
        ({"attributes": {"SIZE": 42}}, "42"),
        ({"attributes": {"WEIGHT": 1.5}}, "1.5"),
        ({"attributes": {"TAGS": ["yazlık", "pamuklu"]}}, "pamuklu"),
    ],
)
def test_search_finds_a_product_by_each_searched_field(fields, query):
    # given
    product = make_product(**fields)
    make_product(name="Something else")

    # when / then
    assert found(query) == [product]


def test_attribute_keys_and_non_text_values_are_not_searched():
    make_product(attributes={"MATERIAL": "cotton", "ORGANIC": True, "NOTE": None})

    assert found("material") == []
    assert found("true") == []
    assert found("null") == []
    assert len(found("cotton")) == 1


def test_a_name_match_ranks_above_a_sku_match_above_an_attribute_match():
    # given
    by_attribute = make_product(name="Sabun", attributes={"SCENT": "Zeytin"})
    by_sku = make_product(name="Sabun", sku="ZEYTIN-01")
    by_name = make_product(name="Zeytin Sabunu")

    # when
    results = catalog_search(query="zeytin", seller=None)

    # then
    assert list(results) == [by_name, by_sku, by_attribute]
    assert results[0].rank > results[1].rank > results[2].rank > 0


def test_every_word_of_the_query_must_match_in_some_field():
    # given
    red_shirt = make_product(name="Kırmızı Tişört", attributes={"SIZE": "XL"})
    make_product(name="Kırmızı Gömlek", attributes={"SIZE": "XL"})
    make_product(name="Mavi Tişört", attributes={"SIZE": "XL"})

    # when / then
    assert found("kırmızı tişört") == [red_shirt]
    assert found("tişört kırmızı xl") == [red_shirt]
    assert found("kırmızı tişört xxl") == []


def test_the_last_word_is_a_prefix_and_the_others_are_whole_words():
    shirt = make_product(name="Kırmızı Tişört")

    assert found("kırm") == [shirt]
    assert found("kırmızı tiş") == [shirt]
    assert found("kırm tişört") == []


@pytest.mark.parametrize(
    "query",
    ["kırmızı", "KIRMIZI", "Kırmızı Tişört", "KIRMIZI TİŞÖRT", "kirmizi tisort", "tişö", "TİŞ"],
)
def test_turkish_text_is_found_whatever_the_case_and_turkish_letters(query):
    shirt = make_product(name="Kırmızı Tişört")
    make_product(name="Mavi Gömlek")

    assert found(query) == [shirt]


@pytest.mark.parametrize(
    ("name", "query"),
    [("Ελαιόλαδο Κρήτης", "ελαιόλαδο"), ("Зимнее Пальто", "пальто"), ("ÇİĞ KÖFTE", "çiğ köfte")],
)
def test_other_scripts_are_found_case_insensitively(name, query):
    product = make_product(name=name)

    assert found(query) == [product]


def test_a_restricted_product_is_found_only_by_its_own_seller():
    # given
    owner, other = SellerFactory(), SellerFactory()
    restricted = make_product(name="Özel Kupa", seller=owner, restrict_for_others=True)
    open_to_all = make_product(name="Özel Kupa", seller=other)

    # when / then
    assert set(found("kupa", seller=owner)) == {restricted, open_to_all}
    assert found("kupa", seller=other) == [open_to_all]
    assert found("kupa", seller=None) == [open_to_all]


@pytest.mark.parametrize(
    "fields", [{"approved": False}, {"is_active": False}], ids=["unapproved", "inactive"]
)
def test_products_outside_the_catalog_are_not_found(fields):
    make_product(name="Gizli Lamba", **fields)

    assert found("lamba") == []


def test_refreshing_an_unapproved_or_deleted_product_takes_it_out_of_the_index():
    # given
    withdrawn = make_product(name="Eski Lamba")
    deleted = make_product(name="Eski Lamba")
    kept = make_product(name="Eski Lamba")

    # when
    Product.objects.filter(pk=withdrawn.pk).update(approved=False)
    deleted_pk = deleted.pk
    deleted.delete()
    index_refresh(product_ids=[withdrawn.pk, deleted_pk])

    # then
    assert found("lamba") == [kept]
    if connection.vendor == "sqlite":
        assert indexed_ids() == {kept.pk}


def test_refreshing_a_changed_product_searches_its_new_text():
    product = make_product(name="Eski Ad")
    Product.objects.filter(pk=product.pk).update(name="Yeni Ad")

    index_refresh(product_ids=[product.pk])

    assert found("yeni") == [product]
    assert found("eski") == []


def test_a_thousand_products_are_refreshed_in_a_few_statements(django_assert_max_num_queries):
    # given
    products = Product.objects.bulk_create(
        Product(sku=f"BULK-{n}", base_code="BULK", name=f"Toplu Ürün {n}", approved=True)
        for n in range(1000)
    )

    # when
    with django_assert_max_num_queries(4):  # savepoint, delete, insert, release
        index_refresh(product_ids=[product.pk for product in products])

    # then
    assert catalog_search(query="toplu ürün", seller=None).count() == 1000


def test_results_are_a_queryset_that_pages_in_rank_order():
    for n in range(5):
        make_product(name=f"Defter {n}", attributes={"COLOR": "Defter"} if n % 2 else {})

    results = catalog_search(query="defter", seller=None)
    page = list(results[1:3])

    assert results.count() == 5
    assert page == list(results)[1:3]
    assert [p.rank for p in results] == sorted((p.rank for p in results), reverse=True)


def test_results_combine_with_other_queryset_methods():
    product = make_product(name="Defter")

    results = catalog_search(query="defter", seller=None).select_related("category")

    assert list(results) == [product]
    assert list(Product.objects.filter(pk__in=results.values("pk"))) == [product]
    assert results.filter(sku=product.sku).exists()


HOSTILE_QUERIES = [
    '"',
    '""',
    "*",
    ":*",
    "a AND",
    "AND",
    "OR NOT",
    "NEAR(",
    "NEAR(a b, 2)",
    "-x",
    "(",
    ")",
    "'",
    "\\",
    "%",
    "_",
    "^a",
    "name:a",
    "a & | ! <-> b",
    "'; DROP TABLE catalog_product; --",
    '"; DROP TABLE catalog_product_fts; --',
    "x" * 10_000,
    "kelime " * 2_000,
    "🔥👍🏽",
    "² ½ ǅ ﷺ",
    "a\u0301",
    "\x00",
    "   ",
    "",
]


@pytest.mark.parametrize("query", HOSTILE_QUERIES)
def test_hostile_queries_never_raise(query):
    make_product(name="Ahşap Masa", attributes={"NOTE": "x AND y"})

    results = catalog_search(query=query, seller=SellerFactory())

    assert results.count() == len(list(results))


@pytest.mark.parametrize("query", ['"', "*", "-", "(", "'", "🔥", "", "  ", "%_"])
def test_a_query_without_words_finds_nothing(query):
    make_product(name="Ahşap Masa")

    assert search_terms(query) == []
    assert found(query) == []


def test_a_word_longer_than_the_limit_is_searched_by_its_beginning():
    long_word = "a" * (MAX_TERM_LENGTH + 20)
    product = make_product(name=f"Uzun {long_word}")

    assert found(long_word) == [product]
    assert found(f"{long_word} uzun") == [product]


def test_reindex_command_rebuilds_the_index_from_the_product_table(capsys):
    # given: products the index never heard of, and a row for one that is gone
    product = make_product(name="Çalar Saat", refresh=False)
    make_product(name="Bekleyen Saat", approved=False, refresh=False)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO catalog_product_fts (rowid, name) VALUES (999999, 'saat')")

    # when
    call_command("search_reindex")

    # then
    assert "1 products" in capsys.readouterr().out
    assert found("saat") == [product]
    if connection.vendor == "sqlite":
        assert indexed_ids() == {product.pk}


@on_postgresql
def test_postgresql_search_uses_the_gin_index():
    make_product(name="Kırmızı Tişört")
    # A catalog of some size, with statistics: on one row any index is as cheap as another.
    Product.objects.bulk_create(
        Product(sku=f"M{n:05d}", base_code=f"M{n:05d}", name=f"Mavi Gömlek {n}", approved=True)
        for n in range(5000)
    )
    sql, params = catalog_search(query="kırmızı tiş", seller=None).query.sql_with_params()

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE catalog_product")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert "catalog_product_search" in plan


@on_sqlite
def test_sqlite_search_drives_the_join_from_the_fts_table():
    make_product(name="Kırmızı Tişört")
    sql, params = catalog_search(query="kırmızı", seller=None).query.sql_with_params()

    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = [row[-1] for row in cursor.fetchall()]

    assert plan[0].startswith("SCAN catalog_product_fts VIRTUAL TABLE")
    assert any("catalog_product USING INTEGER PRIMARY KEY" in step for step in plan)
