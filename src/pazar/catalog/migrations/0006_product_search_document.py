"""PRD108 on PostgreSQL: each product's search document stored in the row, indexed from there.

Migration 0002 indexed the expression `catalog_product_search_document(...)`. The index finds
matches without computing anything, but ranking them (`ts_rank`) computed the document again for
every match: about 13 µs each, so a query matching a hundred thousand products spent over a
second ranking (docs/performance.md, "Scale of data"). The document is now a stored generated
column, which PostgreSQL computes when a row is written (as it computed the index entry before),
and the GIN index is on that column; ranking reads it instead of recomputing it.

The column is not a model field: Django never writes it (PostgreSQL refuses writes to a
generated column) and only pazar.catalog.search reads it. Adding it rewrites the table once.
SQLite keeps its FTS5 table (0002); nothing changes there.
"""

from django.db import migrations

FORWARD = [
    """
    ALTER TABLE catalog_product ADD COLUMN search_document tsvector
    GENERATED ALWAYS AS (catalog_product_search_document(name, sku, base_code, attributes)) STORED
    """,
    "DROP INDEX catalog_product_search",
    """
    CREATE INDEX catalog_product_search ON catalog_product USING gin (search_document)
    WHERE approved AND is_active
    """,
]
BACKWARD = [
    "DROP INDEX catalog_product_search",
    "ALTER TABLE catalog_product DROP COLUMN search_document",
    """
    CREATE INDEX catalog_product_search ON catalog_product
    USING gin (catalog_product_search_document(name, sku, base_code, attributes))
    WHERE approved AND is_active
    """,
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0005_omnitron_catalog"),
    ]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
