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
the trigram table from the products if its triggers were missing, counts the products anew if
the counts' triggers were missing (PRD102's counts, below), and replaces every token.
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


# --- PRD102's counts ----------------------------------------------------------------------

# The number of a seller's products per approval state and category (`attribute` and `value`
# empty), and per top-level attribute value as well (`attribute`, `value`): PRD102 sums these
# instead of counting the products (`selectors.seller_product_count`). A product without a
# category counts under category 0. Kept by triggers of their own, installed once the table
# exists (migration 0005); a row whose count fell to zero stays, and is simply added as 0.
COUNT_TABLE = "marketplace_sellerproductcount"
COUNT_KEY = "seller_id, approved, category_id, attribute, value"

# An attribute's value as PRD102's `attribute__<KEY>=<value>` compares it: the text of Django's
# KT() on each database. PostgreSQL's `->>` (which jsonb_each_text shares) gives NULL for a JSON
# null, which no value equals; SQLite's KT gives 'null', 'true' and 'false' for those three and
# JSON_EXTRACT's value (as text) for the others.
_SQLITE_ATTRIBUTE_VALUE = (
    "CASE WHEN a.type IN ('null', 'true', 'false') THEN a.type ELSE CAST(a.value AS TEXT) END"
)


def _sqlite_count(row: str, delta: int) -> str:
    """Add `delta` to the counts one product (`row`: NEW or OLD) is part of."""
    upsert = f"ON CONFLICT ({COUNT_KEY}) DO UPDATE SET count = count + excluded.count;"
    return f"""
        INSERT INTO {COUNT_TABLE} ({COUNT_KEY}, count)
        SELECT {row}.seller_id, {row}.approved, coalesce({row}.category_id, 0), '', '', {delta}
        WHERE {row}.seller_id IS NOT NULL
        {upsert}
        INSERT INTO {COUNT_TABLE} ({COUNT_KEY}, count)
        SELECT {row}.seller_id, {row}.approved, coalesce({row}.category_id, 0), a.key,
               {_SQLITE_ATTRIBUTE_VALUE}, {delta}
        FROM json_each(CASE WHEN json_type({row}.attributes) = 'object'
                       THEN {row}.attributes ELSE '{{}}' END) AS a
        WHERE {row}.seller_id IS NOT NULL AND a.key <> ''
        {upsert}
    """


SQLITE_COUNT_TRIGGERS = {
    "marketplace_product_count_ai": f"""
        CREATE TRIGGER marketplace_product_count_ai AFTER INSERT ON catalog_product BEGIN
            {_sqlite_count("NEW", 1)}
        END
    """,
    "marketplace_product_count_ad": f"""
        CREATE TRIGGER marketplace_product_count_ad AFTER DELETE ON catalog_product BEGIN
            {_sqlite_count("OLD", -1)}
        END
    """,
    # Only a change of what is counted moves the counts.
    "marketplace_product_count_au": f"""
        CREATE TRIGGER marketplace_product_count_au
        AFTER UPDATE OF seller_id, approved, category_id, attributes ON catalog_product
        WHEN OLD.seller_id IS NOT NEW.seller_id OR OLD.approved IS NOT NEW.approved
            OR OLD.category_id IS NOT NEW.category_id OR OLD.attributes IS NOT NEW.attributes
        BEGIN
            {_sqlite_count("OLD", -1)}
            {_sqlite_count("NEW", 1)}
        END
    """,
}


def _postgresql_counted(rows: str, sign: str) -> str:
    """The counts the products of transition table `rows` are part of, each `sign` 1."""
    return f"""
        SELECT seller_id, approved, coalesce(category_id, 0) AS category_id, '' AS attribute,
               '' AS value, {sign}1 AS delta
        FROM {rows}
        WHERE seller_id IS NOT NULL
        UNION ALL
        SELECT seller_id, approved, coalesce(category_id, 0), a.key, a.value, {sign}1
        FROM {rows}, jsonb_each_text(CASE WHEN jsonb_typeof(attributes) = 'object'
                                     THEN attributes ELSE '{{}}'::jsonb END) AS a
        WHERE seller_id IS NOT NULL AND a.key <> '' AND a.value IS NOT NULL
    """


def _postgresql_count_function(name: str, parts: list[str]) -> str:
    # One upsert per statement, in key order (so concurrent writers lock rows in one order);
    # an update that moves nothing (a renamed product) writes nothing.
    return f"""
    CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO {COUNT_TABLE} ({COUNT_KEY}, count)
        SELECT {COUNT_KEY}, sum(delta) FROM (
            {" UNION ALL ".join(parts)}
        ) AS changed
        GROUP BY {COUNT_KEY} HAVING sum(delta) <> 0 ORDER BY {COUNT_KEY}
        ON CONFLICT ({COUNT_KEY}) DO UPDATE SET count = {COUNT_TABLE}.count + excluded.count;
        RETURN NULL;
    END
    $$
    """


POSTGRESQL_COUNT_FUNCTIONS = {
    "marketplace_product_count_inserted": _postgresql_count_function(
        "marketplace_product_count_inserted", [_postgresql_counted("new_rows", "+")]
    ),
    "marketplace_product_count_updated": _postgresql_count_function(
        "marketplace_product_count_updated",
        [_postgresql_counted("new_rows", "+"), _postgresql_counted("old_rows", "-")],
    ),
    "marketplace_product_count_deleted": _postgresql_count_function(
        "marketplace_product_count_deleted", [_postgresql_counted("old_rows", "-")]
    ),
}
# Named after the catalog version's triggers, so they fire after them (PostgreSQL fires a
# table's triggers in name order): the version row is locked first, as before.
POSTGRESQL_COUNT_TRIGGERS = {
    "marketplace_product_count_ai": (
        "AFTER INSERT ON catalog_product REFERENCING NEW TABLE AS new_rows "
        "FOR EACH STATEMENT EXECUTE FUNCTION marketplace_product_count_inserted()"
    ),
    "marketplace_product_count_au": (
        "AFTER UPDATE ON catalog_product REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows "
        "FOR EACH STATEMENT EXECUTE FUNCTION marketplace_product_count_updated()"
    ),
    "marketplace_product_count_ad": (
        "AFTER DELETE ON catalog_product REFERENCING OLD TABLE AS old_rows "
        "FOR EACH STATEMENT EXECUTE FUNCTION marketplace_product_count_deleted()"
    ),
}

# `created_at` filters: the count of either side of a date, from the index alone (the list's own
# index, `product_seller_list`, serves `updated_at`); and `approved=false`: its page in order
# (the list's index holds only approved products) and its dates' counts.
LIST_INDEXES = {
    "marketplace_product_seller_created": """
        CREATE INDEX IF NOT EXISTS marketplace_product_seller_created
        ON catalog_product (seller_id, created_at DESC, id DESC) WHERE approved
    """,
    "marketplace_product_seller_unapproved": """
        CREATE INDEX IF NOT EXISTS marketplace_product_seller_unapproved
        ON catalog_product (seller_id, updated_at DESC, id DESC) WHERE NOT approved
    """,
}

# Every count again from the products (migration 0005, and SQLite after its triggers were away).
_COUNTS_REBUILD = {
    "postgresql": f"""
        INSERT INTO {COUNT_TABLE} ({COUNT_KEY}, count)
        SELECT {COUNT_KEY}, sum(delta) FROM (
            {_postgresql_counted("catalog_product", "+")}
        ) AS counted
        GROUP BY {COUNT_KEY}
    """,
    "sqlite": f"""
        INSERT INTO {COUNT_TABLE} ({COUNT_KEY}, count)
        SELECT {COUNT_KEY}, sum(delta) FROM (
            SELECT p.seller_id, p.approved, coalesce(p.category_id, 0) AS category_id,
                   '' AS attribute, '' AS value, 1 AS delta
            FROM catalog_product AS p WHERE p.seller_id IS NOT NULL
            UNION ALL
            SELECT p.seller_id, p.approved, coalesce(p.category_id, 0), a.key,
                   {_SQLITE_ATTRIBUTE_VALUE}, 1
            FROM catalog_product AS p,
                 json_each(CASE WHEN json_type(p.attributes) = 'object'
                           THEN p.attributes ELSE '{{}}' END) AS a
            WHERE p.seller_id IS NOT NULL AND a.key <> ''
        ) AS counted
        GROUP BY {COUNT_KEY}
    """,
}


def counts_rebuild(connection: BaseDatabaseWrapper) -> None:
    """Replace every kept count by a count of the products."""
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {COUNT_TABLE}")
        cursor.execute(_COUNTS_REBUILD[connection.vendor])


def _install_counts(connection: BaseDatabaseWrapper, cursor) -> None:
    """The counts' triggers and indexes; if any trigger was missing (the first install, a SQLite
    table rebuild, an uninstall), products were written without it: count them all anew."""
    if COUNT_TABLE not in connection.introspection.table_names(cursor):
        return  # before migration 0005
    for definition in LIST_INDEXES.values():
        cursor.execute(definition)
    if connection.vendor == "postgresql":
        cursor.execute("SELECT tgname FROM pg_trigger WHERE tgrelid = 'catalog_product'::regclass")
        present = {name for (name,) in cursor.fetchall()}
        missing = [name for name in POSTGRESQL_COUNT_TRIGGERS if name not in present]
        for definition in POSTGRESQL_COUNT_FUNCTIONS.values():
            cursor.execute(definition)
        for name, definition in POSTGRESQL_COUNT_TRIGGERS.items():
            cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON catalog_product")
            cursor.execute(f"CREATE TRIGGER {name} {definition}")
    elif connection.vendor == "sqlite":
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'catalog_product'"
        )
        present = {name for (name,) in cursor.fetchall()}
        missing = [name for name in SQLITE_COUNT_TRIGGERS if name not in present]
        for name in missing:
            cursor.execute(SQLITE_COUNT_TRIGGERS[name])
    else:
        return
    if missing:
        counts_rebuild(connection)


def uninstall_counts(connection: BaseDatabaseWrapper, cursor) -> None:
    for name in LIST_INDEXES:
        cursor.execute(f"DROP INDEX IF EXISTS {name}")
    if connection.vendor == "postgresql":
        for name in POSTGRESQL_COUNT_TRIGGERS:
            cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON catalog_product")
        for name in POSTGRESQL_COUNT_FUNCTIONS:
            cursor.execute(f"DROP FUNCTION IF EXISTS {name}()")
    elif connection.vendor == "sqlite":
        for name in SQLITE_COUNT_TRIGGERS:
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")


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
        _install_counts(connection, cursor)
        # A migration may have changed products without the triggers: retire every cached count.
        new_token = (
            "md5(random()::text || clock_timestamp()::text)"
            if connection.vendor == "postgresql"
            else _SQLITE_NEW_TOKEN
        )
        cursor.execute(f"UPDATE {VERSION_TABLE} SET token = {new_token}")


def uninstall(connection: BaseDatabaseWrapper) -> None:
    with connection.cursor() as cursor:
        uninstall_counts(connection, cursor)
        if connection.vendor == "postgresql":
            for name in POSTGRESQL_TRIGGERS:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON catalog_product")
            cursor.execute("DROP FUNCTION IF EXISTS marketplace_product_changed()")
            cursor.execute("DROP INDEX IF EXISTS marketplace_product_trigram")
        elif connection.vendor == "sqlite":
            for name in SQLITE_TRIGGERS:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
            cursor.execute(f"DROP TABLE IF EXISTS {TRIGRAM_TABLE}")
