"""The catalog search index (PRD108, see pazar.catalog.search), one kind per database.

PostgreSQL: an immutable function building a product's weighted tsvector and a partial GIN
index on it for the approved, active products. The function uses only pg_catalog objects, so
it works whatever the search_path (pg_restore runs with an empty one).

SQLite: an FTS5 table keyed by product pk, filled here with the products already approved and
kept up to date by pazar.catalog.search.index_refresh.

Hand-written: neither needs a model field, and Django's schema editor knows neither.
"""

from django.db import migrations

# The text of every part goes through the same normalization: ASCII punctuation becomes spaces,
# so that the parser never glues words into hosts, signed numbers or hyphenated compounds
# ("TSHIRT-1-RD-S" would give '-1' and 'rd-s'), and the Turkish letters are folded as the query
# words are (pazar.catalog.search._TURKISH_FOLD).
_FOLD_FROM = r"""'!"#$%&''()*+,-./:;<=>?@[\]^_`{|}~çÇğĞıİöÖşŞüÜ'"""
_FOLD_TO = "repeat(' ', 32) || 'cCgGiIoOsSuU'"


def _words(text: str) -> str:
    return f"to_tsvector('simple', translate({text}, {_FOLD_FROM}, {_FOLD_TO}))"


# The strings and numbers anywhere in the attributes object, not its keys: jsonb_to_tsvector
# picks them, and its lexemes are parsed again as text so that their punctuation splits words too.
_ATTRIBUTE_VALUES = """strip(jsonb_to_tsvector('simple', attributes, '["string", "numeric"]'))::text"""

# A single expression with a standard SQL body: PostgreSQL parses it once, at creation (so the
# search_path at run time does not matter), and inlines it into queries and the index alike.
# Keep it one expression: a subquery (say over jsonb_path_query) stops the inlining, which made
# ranking four times slower when measured.
POSTGRESQL_FORWARD = [
    f"""
    CREATE FUNCTION catalog_product_search_document(
        name text, sku text, base_code text, attributes jsonb
    ) RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN setweight({_words("name")}, 'A')
        || setweight({_words("sku || ' ' || base_code")}, 'B')
        || setweight({_words(_ATTRIBUTE_VALUES)}, 'C')
    """,
    """
    CREATE INDEX catalog_product_search ON catalog_product
    USING gin (catalog_product_search_document(name, sku, base_code, attributes))
    WHERE approved AND is_active
    """,
]
POSTGRESQL_BACKWARD = [
    "DROP INDEX catalog_product_search",
    "DROP FUNCTION catalog_product_search_document(text, text, text, jsonb)",
]

SQLITE_FORWARD = [
    """
    CREATE VIRTUAL TABLE catalog_product_fts USING fts5(
        name, codes, attributes, tokenize = 'unicode61 remove_diacritics 2'
    )
    """,
    # The same rows as pazar.catalog.search.index_rebuild, frozen here as migrations are.
    """
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
    """,
]
SQLITE_BACKWARD = ["DROP TABLE catalog_product_fts"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            # No parameters: the SQL holds literal % signs that must not be read as placeholders.
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRESQL_FORWARD, "sqlite": SQLITE_FORWARD}),
            _run({"postgresql": POSTGRESQL_BACKWARD, "sqlite": SQLITE_BACKWARD}),
        ),
    ]
