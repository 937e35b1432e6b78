# ruff: noqa: S608 - every statement here is constant SQL built from the names below
"""PRD108 on PostgreSQL: each catalog product's words with their rank, ordered by an index.

A one-word query is ranked by `ts_rank(search_document, 'word':*)`. When only one word of the
catalog begins with the query's (`siyah`, `panto` → `pantolon`), a product's rank depends on
that word and the product alone: it is `ts_rank(search_document, 'word')`, which the table
`catalog_productterm` stores for every (word, catalog product). Its index (word, rank
descending, product) gives the best `limit` products without reading the others, and the count
from the index alone, whatever the number of matches; before, a word found in a tenth of the
catalogue read and ranked those 100 000 products' rows (docs/performance.md, "Scale of data"
and "PRD108 from an index of the catalogue's words").

The table holds the approved, active products that some seller may find: `restricted_to` is
the seller who alone finds a product `restrict_for_others` (NULL: every seller); a restricted
product without a seller is found by no one and has no rows. Statement triggers keep it: rows
of the products a statement inserts, deletes or changes (their document, approval, activity,
restriction or seller) leave or enter; a TRUNCATE empties it. Not a model: only
pazar.catalog.search reads it, and Django must never write it. SQLite keeps its FTS5 table,
whose bm25() rank depends on the whole catalogue and cannot be stored per product.
"""

from django.db import migrations


# A catalogue word as a tsquery operand of its own: the rank is that of the word itself, without
# the parser or the dictionary seeing it again.
def _quoted(lexeme: str) -> str:
    return f"""('''' || replace(replace({lexeme}, '\\', '\\\\'), '''', '''''') || '''')::tsquery"""


_VISIBLE = "p.approved AND p.is_active AND (NOT p.restrict_for_others OR p.seller_id IS NOT NULL)"


def _rows(rows: str, where: str = "") -> str:
    """The (word, rank, product, restricted_to) rows of the products of `rows` (a table or a
    transition table)."""
    return f"""
        SELECT t.lexeme, ts_rank(p.search_document, {_quoted("t.lexeme")}), p.id,
               CASE WHEN p.restrict_for_others THEN p.seller_id END
        FROM {rows} AS p, unnest(p.search_document) AS t
        WHERE {_VISIBLE} {where}
    """


def _words(rows: str, where: str) -> str:
    """The (product, word, weights of its positions, restricted_to, rank) of the products of
    `rows`."""
    return f"""
        SELECT p.id, t.lexeme, t.weights, CASE WHEN p.restrict_for_others THEN p.seller_id END,
               ts_rank(p.search_document, {_quoted("t.lexeme")})
        FROM {rows} AS p, unnest(p.search_document) AS t
        WHERE {_VISIBLE} {where}
    """


# A product row of `rows` whose searched state is the same in `other` (same id): its words are
# unchanged by the statement.
def _unchanged(row: str, other: str) -> str:
    return f"""EXISTS (
        SELECT FROM {other} AS o WHERE o.id = {row}.id
        AND o.search_document = {row}.search_document AND o.approved = {row}.approved
        AND o.is_active = {row}.is_active AND o.restrict_for_others = {row}.restrict_for_others
        AND o.seller_id IS NOT DISTINCT FROM {row}.seller_id
    )"""


# Rows leave by their whole key: the rank is computed again from the same document, so it is
# the stored one, and the unique index finds each row directly (the keys first, MATERIALIZED:
# see _UPDATED).
_INSERTED = f"""
    INSERT INTO catalog_productterm (term, score, product_id, restricted_to) {_rows("new_rows")}
"""
_DELETED = f"""
    WITH gone AS MATERIALIZED ({_rows("old_rows")})
    DELETE FROM catalog_productterm AS k USING gone AS d (term, score, product_id)
    WHERE k.term = d.term AND k.score = d.score AND k.product_id = d.product_id
"""
# An UPDATE moves only the rows that change. One word's ts_rank reads nothing but the weights
# of that word's positions, in order (not the positions themselves, nor the other words), so a
# word that keeps its weights and its product's restriction keeps its row: renaming "Siyah
# Kazak 12" to "Siyah Kazak 12 Yeni" writes the one row of "yeni".
_CHANGED_OLD = _words("old_rows", "AND NOT " + _unchanged("p", "new_rows"))
_CHANGED_NEW = _words("new_rows", "AND NOT " + _unchanged("p", "old_rows"))
# Each side is one set operation (no join back to the products, whose plan the planner could
# choose badly on transition tables), and the keys to delete are computed first (MATERIALIZED),
# so that each is one probe of the unique index: joined freely, rows could be looked up by the
# word alone (a tenth of the table for a common word).
_UPDATED = f"""
    WITH gone AS MATERIALIZED (
        SELECT product_id, term, score
        FROM ({_CHANGED_OLD} EXCEPT {_CHANGED_NEW})
             AS d (product_id, term, weights, restricted_to, score)
    )
    DELETE FROM catalog_productterm AS k USING gone
    WHERE k.term = gone.term AND k.score = gone.score AND k.product_id = gone.product_id;

    INSERT INTO catalog_productterm (term, score, product_id, restricted_to)
    SELECT term, score, product_id, restricted_to
    FROM ({_CHANGED_NEW} EXCEPT {_CHANGED_OLD})
         AS d (product_id, term, weights, restricted_to, score)
"""

FORWARD = [
    """
    CREATE TABLE catalog_productterm (
        term text COLLATE "C" NOT NULL,
        score real NOT NULL,
        product_id bigint NOT NULL,
        restricted_to uuid
    )
    """,
    f"""
    CREATE FUNCTION catalog_product_terms_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'INSERT' THEN
            {_INSERTED};
        ELSIF TG_OP = 'DELETE' THEN
            {_DELETED};
        ELSE
            {_UPDATED};
        END IF;
        RETURN NULL;
    END
    $$
    """,
    """
    CREATE FUNCTION catalog_product_terms_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        TRUNCATE catalog_productterm;
        RETURN NULL;
    END
    $$
    """,
    """
    CREATE TRIGGER catalog_product_terms_ai AFTER INSERT ON catalog_product
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION catalog_product_terms_changed()
    """,
    """
    CREATE TRIGGER catalog_product_terms_au AFTER UPDATE ON catalog_product
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION catalog_product_terms_changed()
    """,
    """
    CREATE TRIGGER catalog_product_terms_ad AFTER DELETE ON catalog_product
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION catalog_product_terms_changed()
    """,
    """
    CREATE TRIGGER catalog_product_terms_at AFTER TRUNCATE ON catalog_product
    FOR EACH STATEMENT EXECUTE FUNCTION catalog_product_terms_truncated()
    """,
    f"INSERT INTO catalog_productterm (term, score, product_id, restricted_to) {_rows('catalog_product')}",
    # Built after the rows are in (faster than growing it row by row). Unique: a row is never
    # there twice; INCLUDE: a count reads the index alone.
    """
    CREATE UNIQUE INDEX catalog_productterm_rank
    ON catalog_productterm (term, score DESC, product_id) INCLUDE (restricted_to)
    """,
    "ANALYZE catalog_productterm",
]
BACKWARD = [
    "DROP TRIGGER catalog_product_terms_at ON catalog_product",
    "DROP TRIGGER catalog_product_terms_ad ON catalog_product",
    "DROP TRIGGER catalog_product_terms_au ON catalog_product",
    "DROP TRIGGER catalog_product_terms_ai ON catalog_product",
    "DROP FUNCTION catalog_product_terms_truncated()",
    "DROP FUNCTION catalog_product_terms_changed()",
    "DROP TABLE catalog_productterm",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0009_product_productized_index"),
    ]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
