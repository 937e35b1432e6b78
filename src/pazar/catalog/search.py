"""Full-text search over the marketplace master catalog (PRD108).

A product is found by the words of its name, SKU, base code and attribute values (the strings
and numbers of its `attributes` object). Every word of the query must match; the last one may
be the beginning of a word, since users type as they search. Matching ignores case, treats
punctuation as spaces on both sides ("TSHIRT-1-RD-S" is the words tshirt 1 rd s) and folds the
Turkish letters çğıöşü onto cgiosu, so "kirmizi tisort" finds "Kırmızı Tişört". A name match
ranks above a SKU or base code match, which ranks above an attribute match.

Each database has its own index, created by migration 0002_product_search:

- PostgreSQL: the column `search_document`, generated and stored by the database from
  `catalog_product_search_document(name, sku, base_code, attributes)`, an immutable SQL
  function that builds the weighted `tsvector` ('simple' configuration: product data is
  multilingual), with a GIN index on it (migrations 0002 and 0006). The database keeps both up
  to date; ranking reads the stored document instead of computing it for every match.
  And the table `catalog_productterm` (migration 0010), kept by triggers: each catalog
  product's words with its rank for each, ordered by an index. A one-word query that only one
  word of the catalogue begins with (the slow case: `siyah`, a word of a tenth of the
  catalogue) reads its best products and its count from that index; other queries are
  matched with the GIN index and ranked as a whole. Both give the same order and ranks.
- SQLite: the FTS5 table `catalog_product_fts` (tokenizer `unicode61 remove_diacritics 2`,
  rowid = product pk), which holds the approved, active products and is kept up to date by
  `index_refresh`. Whoever changes what a product is searched by (name, SKU, base code,
  attributes, approval, `is_active`) or deletes it calls `index_refresh` in the same
  transaction, as `products_approve` does.

Searches always go through the live product table, so a stale index row can only make a product
missing from the results or ranked by old text, never show a product that should not be seen.
"""

import functools
import json
import re
from collections.abc import Callable

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.db import connection, transaction
from django.db.models import Expression, F, Q, QuerySet

from pazar.catalog.models import Product

# Bounds that keep a pasted paragraph from becoming a huge query: words past MAX_TERMS are
# ignored, and a word longer than MAX_TERM_LENGTH is searched by its beginning.
MAX_TERMS = 16
MAX_TERM_LENGTH = 64

# A word is a run of Unicode letters and digits; everything else separates words, as in the
# indexes (the FTS5 unicode61 tokenizer; the PostgreSQL function turns ASCII punctuation into
# spaces before the parser sees it).
_WORD = re.compile(r"[^\W_]+")
# The same folding as the indexes: SQLite's remove_diacritics folds çğöşü but not the dotless ı;
# the PostgreSQL function folds exactly these letters.
_TURKISH_FOLD = str.maketrans("çÇğĞıİöÖşŞüÜ", "cCgGiIoOsSuU")


def catalog_search(*, query: str, seller=None) -> QuerySet[Product]:
    """Catalog products matching `query`, best first (annotated `rank`, then by pk).

    The catalog is the approved, active products; one with `restrict_for_others` is found only
    by its own `seller`. A query without any word (only punctuation, symbols, emoji) finds
    nothing. The result is a plain QuerySet, ready for pagination.
    """
    return catalog_search_counted(query=query, seller=seller)[0]


def catalog_search_count(*, query: str, seller=None) -> int:
    """How many products `catalog_search` finds."""
    return catalog_search_counted(query=query, seller=seller)[1]()


def catalog_search_counted(
    *, query: str, seller=None
) -> tuple[QuerySet[Product], Callable[[], int]]:
    """`catalog_search`'s results and how to count them: for a query the words' table answers
    on PostgreSQL, from its index alone; otherwise the results' own count. The catalogue's
    words are looked at once for both."""
    terms = search_terms(query)
    if not terms:
        return Product.objects.none(), lambda: 0
    visible = Q(restrict_for_others=False)
    if seller is not None:
        visible |= Q(seller=seller)
    products = Product.objects.catalog().filter(visible)
    if connection.vendor == "postgresql":
        word = _only_catalog_word(terms)
        if word is not None:
            products = _postgresql_word(products, word, seller).order_by("-rank", "pk")
            return products, functools.partial(_word_count, word, seller)
        products = _postgresql_match(products, terms)
    elif connection.vendor == "sqlite":
        products = _sqlite_match(products, terms)
    else:
        raise NotImplementedError(f"No catalog search for {connection.vendor}.")
    products = products.order_by("-rank", "pk")
    return products, products.count


def _word_count(word: str, seller) -> int:
    """The catalogue's products with this word, counted from the words' table's index."""
    visible, params = _restricted_to(seller)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM catalog_productterm WHERE term = %s AND {visible}",  # noqa: S608 - constant SQL
            [word, *params],
        )
        return cursor.fetchone()[0]


def search_terms(query: str) -> list[tuple[str, bool]]:
    """The words of `query` as `(word, is_prefix)` pairs; the last word is a prefix."""
    words = _WORD.findall(query.translate(_TURKISH_FOLD))[:MAX_TERMS]
    terms = [(word[:MAX_TERM_LENGTH], len(word) > MAX_TERM_LENGTH) for word in words]
    if terms:
        terms[-1] = (terms[-1][0], True)
    return terms


def index_refresh(*, product_ids: list[int]) -> None:
    """Bring the index up to date for these products (any number, in two statements).

    Products that are gone, unapproved or inactive leave the index. On PostgreSQL the
    expression index is maintained by the database and there is nothing to do.
    """
    if connection.vendor != "sqlite" or not product_ids:
        return
    # The ids travel as one JSON array, whatever their number (no limit on SQL parameters).
    ids = json.dumps(sorted({int(pk) for pk in product_ids}))
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        cursor.execute(_FTS_DELETE_IDS, [ids])
        cursor.execute(_FTS_INSERT_IDS, [ids])


def index_rebuild() -> int:
    """Rebuild the whole index from the product table; the number of products it holds.

    A repair tool (`pazar search_reindex`). On PostgreSQL the GIN index cannot drift from
    the table; the words' table, kept by triggers, is written anew all the same.
    """
    if connection.vendor == "postgresql":
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM catalog_productterm")
            cursor.execute(_TERMS_INSERT)
        return Product.objects.catalog().count()
    if connection.vendor != "sqlite":
        return Product.objects.catalog().count()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM catalog_product_fts")
        cursor.execute(_FTS_INSERT)
        indexed = cursor.rowcount
        # Merge the index segments the rebuild wrote into one, for faster queries.
        cursor.execute("INSERT INTO catalog_product_fts (catalog_product_fts) VALUES ('optimize')")
    return indexed


# --- PostgreSQL --------------------------------------------------------------------------


class _ProductDocument(Expression):
    """A product's weighted tsvector: the generated column of migration 0006 (not a model field,
    since Django must never write it), which the GIN index covers."""

    output_field = SearchVectorField()

    def as_sql(self, compiler, connection):
        table = compiler.quote_name_unless_alias(compiler.query.get_initial_alias())
        return f"{table}.{connection.ops.quote_name('search_document')}", []


# One word: when a single word of the catalogue begins with it, every product found has that
# word and no other beginning so, and its rank, ts_rank(document, 'word':*), is the stored
# ts_rank(document, 'word') of `catalog_productterm` (catalog migration 0010): the best products
# are the first rows of its index, and their number is counted from the index alone. The
# query's tsquery is compared with the word's, so the path is taken only when PostgreSQL reads
# the query exactly as that one word's beginning.
_ONLY_WORD = """
    SELECT CASE WHEN to_tsquery('simple', %s) = %s::tsquery THEN (
        SELECT array[(SELECT term FROM catalog_productterm WHERE term ^@ %s ORDER BY term LIMIT 1),
                     (SELECT term FROM catalog_productterm WHERE term ^@ %s ORDER BY term DESC LIMIT 1)]
    ) END
"""


# The rows of catalog_productterm, as its triggers write them (catalog migration 0010).
_TERMS_INSERT = r"""
    INSERT INTO catalog_productterm (term, score, product_id, restricted_to)
    SELECT t.lexeme,
           ts_rank(p.search_document, ('''' || replace(replace(t.lexeme, '\', '\\'),
                                                      '''', '''''') || '''')::tsquery),
           p.id,
           CASE WHEN p.restrict_for_others THEN p.seller_id END
    FROM catalog_product AS p, unnest(p.search_document) AS t
    WHERE p.approved AND p.is_active AND (NOT p.restrict_for_others OR p.seller_id IS NOT NULL)
"""


def _only_catalog_word(terms: list[tuple[str, bool]]) -> str | None:
    """The one word of the catalogue a one-word query finds, or None (more words, no word or
    several words begin with it: the query is matched and ranked as a whole)."""
    if len(terms) != 1:
        return None
    word = terms[0][0].lower()
    with connection.cursor() as cursor:
        cursor.execute(_ONLY_WORD, [_tsquery(terms), _tsquery([(word, True)]), word, word])
        found = cursor.fetchone()[0]
    if not found or found[0] is None or found[0] != found[1]:
        return None
    return found[0]


def _restricted_to(seller) -> tuple[str, list]:
    if seller is None:
        return "restricted_to IS NULL", []
    return "(restricted_to IS NULL OR restricted_to = %s)", [seller.pk]


def _postgresql_word(products: QuerySet, word: str, seller) -> QuerySet:
    visible, params = _restricted_to(seller)
    # The join is driven by the index of catalog_productterm, in (rank, product) order.
    return products.extra(  # noqa: S610 - constant SQL, the word and seller are parameters
        select={"rank": "catalog_productterm.score"},
        tables=["catalog_productterm"],
        where=[
            "catalog_productterm.product_id = catalog_product.id",
            "catalog_productterm.term = %s",
            visible.replace("restricted_to", "catalog_productterm.restricted_to"),
        ],
        params=[word, *params],
    )


def _tsquery(terms: list[tuple[str, bool]]) -> str:
    # Each word is quoted, so to_tsquery never sees an operator that came from the user.
    return " & ".join(
        "'{}'{}".format(word.replace("\\", "\\\\").replace("'", "''"), ":*" if prefix else "")
        for word, prefix in terms
    )


def _postgresql_match(products: QuerySet, terms: list[tuple[str, bool]]) -> QuerySet:
    matched = SearchQuery(_tsquery(terms), search_type="raw", config="simple")
    return (
        products.alias(search_document=_ProductDocument())
        .filter(search_document=matched)
        .annotate(rank=SearchRank(F("search_document"), matched))
    )


# --- SQLite ------------------------------------------------------------------------------

# The indexed text of the approved, active products: name, SKU and base code, and the strings
# and numbers anywhere in the attributes (not their keys). The dotless ı is folded here because
# remove_diacritics does not fold it (it has no decomposition).
_FTS_INSERT = """
    INSERT INTO catalog_product_fts (rowid, name, codes, attributes)
    SELECT p.id,
           replace(p.name, 'ı', 'i'),
           replace(p.sku || ' ' || p.base_code, 'ı', 'i'),
           replace(coalesce((
               SELECT group_concat(a.value, ' ') FROM json_tree(p.attributes) AS a
               WHERE a.type IN ('text', 'integer', 'real')
           ), ''), 'ı', 'i')
    FROM catalog_product AS p
    WHERE p.approved AND p.is_active
"""
_FTS_INSERT_IDS = _FTS_INSERT + " AND p.id IN (SELECT value FROM json_each(%s))"  # noqa: S608
_FTS_DELETE_IDS = "DELETE FROM catalog_product_fts WHERE rowid IN (SELECT value FROM json_each(%s))"
# bm25() weights of the FTS5 columns (name, codes, attributes), in the proportions of ts_rank's
# default weights for the A, B and C parts of the PostgreSQL document.
_FTS_RANK = "-bm25(catalog_product_fts, 10.0, 4.0, 2.0)"


def _sqlite_match(products: QuerySet, terms: list[tuple[str, bool]]) -> QuerySet:
    # Each word is a quoted FTS5 string, so MATCH never sees an operator that came from the user.
    expression = " AND ".join(
        '"{}"{}'.format(word.replace('"', '""'), " *" if prefix else "") for word, prefix in terms
    )
    # extra() is the ORM's only way to join a table that has no model: the join lets FTS5 drive
    # the query and compute bm25() once per match, which a correlated subquery would not.
    return products.extra(  # noqa: S610 - constant SQL, the user's words are a parameter
        select={"rank": _FTS_RANK},
        tables=["catalog_product_fts"],
        where=["catalog_product_fts.rowid = catalog_product.id", "catalog_product_fts MATCH %s"],
        params=[expression],
    )
