# ruff: noqa: S608 - every statement here is constant SQL built from the names above
"""Database objects that keep PRD102 (a seller's product list) fast, kept by the database itself.

Two things, each maintained by triggers on `catalog_product`, so no write path (batches,
approvals, the Omnitron API, the admin, a shell) can forget them:

- `marketplace_sellercatalogversion`: one row per seller whose products ever changed, holding a
  random token that every insert, update or delete of that seller's products replaces. A
  product count cached under the current token is exact: any change to the products makes a new
  token, and the old entry is never asked for again (`selectors.seller_product_count`). Tokens
  are random rather than counters so cache entries of another database (a test run, a restore)
  can never be mistaken for this one's.
- A trigram index over `name`, `sku` and `base_code` for the `contains`/`icontains` filters:
  on PostgreSQL a `pg_trgm` GIN index on the upper-cased columns (what Django's `icontains`
  compares); on SQLite an FTS5 table with the trigram tokenizer (`marketplace_product_trigram`,
  rowid = product pk), kept in step by triggers. The filters only narrow candidates with it and
  keep their own condition, so results are exactly those of the plain lookup.

SQLite drops a table's triggers when Django rebuilds the table in a later migration (an altered
column), so `install` runs again after every `migrate` (see apps.py): it creates what is missing, rebuilds
the trigram table from the products if its triggers were missing, and replaces every token.
"""

from django.db.backends.base.base import BaseDatabaseWrapper

VERSION_TABLE = "marketplace_sellercatalogversion"
TRIGRAM_TABLE = "marketplace_product_trigram"

_SQLITE_NEW_TOKEN = "lower(hex(randomblob(8)))"


def _sqlite_bump(row: str, condition: str = "") -> str:
    return f"""
        INSERT INTO {VERSION_TABLE} (seller_id, token) SELECT {row}.seller_id, {_SQLITE_NEW_TOKEN}
        WHERE {row}.seller_id IS NOT NULL {condition}
        ON CONFLICT (seller_id) DO UPDATE SET token = excluded.token;
    """


SQLITE_TRIGGERS = {
    "marketplace_product_ai": f"""
        CREATE TRIGGER marketplace_product_ai AFTER INSERT ON catalog_product BEGIN
            {_sqlite_bump("NEW")}
            INSERT INTO {TRIGRAM_TABLE} (rowid, name, sku, base_code)
            VALUES (NEW.id, NEW.name, NEW.sku, NEW.base_code);
        END
    """,
    "marketplace_product_ad": f"""
        CREATE TRIGGER marketplace_product_ad AFTER DELETE ON catalog_product BEGIN
            {_sqlite_bump("OLD")}
            INSERT INTO {TRIGRAM_TABLE} ({TRIGRAM_TABLE}, rowid, name, sku, base_code)
            VALUES ('delete', OLD.id, OLD.name, OLD.sku, OLD.base_code);
        END
    """,
    "marketplace_product_au": f"""
        CREATE TRIGGER marketplace_product_au AFTER UPDATE ON catalog_product BEGIN
            {_sqlite_bump("NEW")}
            {_sqlite_bump("OLD", "AND OLD.seller_id IS NOT NEW.seller_id")}
        END
    """,
    # Only a change of the indexed text rewrites the trigram row: stock-like updates that touch
    # other columns (approval, timestamps) cost nothing here.
    "marketplace_product_au_text": f"""
        CREATE TRIGGER marketplace_product_au_text AFTER UPDATE OF name, sku, base_code
        ON catalog_product
        WHEN OLD.name IS NOT NEW.name OR OLD.sku IS NOT NEW.sku OR OLD.base_code IS NOT NEW.base_code
        BEGIN
            INSERT INTO {TRIGRAM_TABLE} ({TRIGRAM_TABLE}, rowid, name, sku, base_code)
            VALUES ('delete', OLD.id, OLD.name, OLD.sku, OLD.base_code);
            INSERT INTO {TRIGRAM_TABLE} (rowid, name, sku, base_code)
            VALUES (NEW.id, NEW.name, NEW.sku, NEW.base_code);
        END
    """,
}

SQLITE_TRIGRAM_TABLE = f"""
    CREATE VIRTUAL TABLE IF NOT EXISTS {TRIGRAM_TABLE} USING fts5(
        name, sku, base_code,
        content = 'catalog_product', content_rowid = 'id', tokenize = 'trigram'
    )
"""

# Statement-level triggers read the changed rows once per statement, so a 1000-row upsert
# replaces each touched seller's token once, not a thousand times.
POSTGRESQL_FUNCTION = f"""
    CREATE OR REPLACE FUNCTION marketplace_product_changed() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
            INSERT INTO {VERSION_TABLE} (seller_id, token)
            SELECT seller_id, md5(random()::text || clock_timestamp()::text)
            FROM (SELECT DISTINCT seller_id FROM new_rows WHERE seller_id IS NOT NULL) AS changed
            ON CONFLICT (seller_id) DO UPDATE SET token = excluded.token;
        END IF;
        IF TG_OP IN ('DELETE', 'UPDATE') THEN
            INSERT INTO {VERSION_TABLE} (seller_id, token)
            SELECT seller_id, md5(random()::text || clock_timestamp()::text)
            FROM (SELECT DISTINCT seller_id FROM old_rows WHERE seller_id IS NOT NULL) AS changed
            ON CONFLICT (seller_id) DO UPDATE SET token = excluded.token;
        END IF;
        RETURN NULL;
    END
    $$
"""
POSTGRESQL_TRIGGERS = {
    "marketplace_product_ai": (
        "AFTER INSERT ON catalog_product REFERENCING NEW TABLE AS new_rows "
        "FOR EACH STATEMENT EXECUTE FUNCTION marketplace_product_changed()"
    ),
    "marketplace_product_au": (
        "AFTER UPDATE ON catalog_product REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows "
        "FOR EACH STATEMENT EXECUTE FUNCTION marketplace_product_changed()"
    ),
    "marketplace_product_ad": (
        "AFTER DELETE ON catalog_product REFERENCING OLD TABLE AS old_rows "
        "FOR EACH STATEMENT EXECUTE FUNCTION marketplace_product_changed()"
    ),
}
POSTGRESQL_TRIGRAM_INDEX = """
    CREATE INDEX IF NOT EXISTS marketplace_product_trigram ON catalog_product
    USING gin (
        (upper(name::text)) gin_trgm_ops,
        (upper(sku::text)) gin_trgm_ops,
        (upper(base_code::text)) gin_trgm_ops
    )
"""


def install(connection: BaseDatabaseWrapper) -> None:
    """Create whichever of the objects above is missing; idempotent."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            cursor.execute(POSTGRESQL_TRIGRAM_INDEX)
            cursor.execute(POSTGRESQL_FUNCTION)
            for name, definition in POSTGRESQL_TRIGGERS.items():
                cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON catalog_product")
                cursor.execute(f"CREATE TRIGGER {name} {definition}")
        elif connection.vendor == "sqlite":
            cursor.execute(SQLITE_TRIGRAM_TABLE)
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'catalog_product'"
            )
            present = {name for (name,) in cursor.fetchall()}
            missing = [name for name in SQLITE_TRIGGERS if name not in present]
            for name in missing:
                cursor.execute(SQLITE_TRIGGERS[name])
            if missing:
                # Products written while the triggers were away (or never): index them anew.
                cursor.execute(f"INSERT INTO {TRIGRAM_TABLE} ({TRIGRAM_TABLE}) VALUES ('rebuild')")
        # A migration may have changed products without the triggers: retire every cached count.
        new_token = (
            "md5(random()::text || clock_timestamp()::text)"
            if connection.vendor == "postgresql"
            else _SQLITE_NEW_TOKEN
        )
        cursor.execute(f"UPDATE {VERSION_TABLE} SET token = {new_token}")


def uninstall(connection: BaseDatabaseWrapper) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for name in POSTGRESQL_TRIGGERS:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON catalog_product")
            cursor.execute("DROP FUNCTION IF EXISTS marketplace_product_changed()")
            cursor.execute("DROP INDEX IF EXISTS marketplace_product_trigram")
        elif connection.vendor == "sqlite":
            for name in SQLITE_TRIGGERS:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
            cursor.execute(f"DROP TABLE IF EXISTS {TRIGRAM_TABLE}")
