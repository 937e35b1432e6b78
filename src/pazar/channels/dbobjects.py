# ruff: noqa: S608 - every statement here is constant SQL built from the names below
"""The kept count of each channel's unsent products, kept by the database itself (issue 16).

`channels_unsentproductcount` holds, per channel and product type, the number of products the
channel's `inserts/` feed answers (`selectors.delta`): productized products (approved, not of a
pre-product type) of the channel's catalog that the channel has not taken, i.e. for which it
has no product integration action that is `processing` (held by an open batch), `success` or
carries a remote id. Beside it (`updates`), the number its `updates/` feed answers: those the
channel has been sent (an action `success` or with a remote id), not `processing`, and changed
after the version the channel has (no `version_date`, or the product's `updated_at` after it).
Every product a feed page would count is counted here once, so the feed's `count` is a sum of
a few rows instead of an anti-join over the whole catalog (or a probe of every sent action).
And `low`: a lower bound of the ids of the products `inserts/` answers (NULL: none), where its
pages start (`selectors.product_feed_page`) instead of walking every product sent before the
first unsent one (10 000 sent: 10 000 rows skipped for each page). A write that puts a product
back in `inserts/` lowers it to that product; one that takes products (a `commit`) moves it to
the first product not taken from there (`_first_unsent`: a walk of the few just taken), so it
stays the first unsent product while a connector sends the catalog in order.

What moves a count, each followed by triggers (both databases), so no write path (services,
bulk writes, the admin, a shell) can forget it:

- `catalog_product`: a product's `approved`, `product_type` or `updated_at` (and its insert or delete while
  catalog items name it: deferred foreign keys allow it inside a transaction);
- `channels_catalogitem`: a product entering or leaving a catalog;
- `channels_integrationaction`: a product action becoming taken or not, sent or not, or given
  another `version_date` (commit, done, fail, an action created, changed or deleted);
- `channels_channel`: a channel created, deleted, or given another catalog (its counts anew).

On PostgreSQL, under READ COMMITTED, two transactions could each miss the other's uncommitted
row (an action taken while the product enters the catalog). Every trigger therefore locks,
in one order, what the other writers of the same counts lock too, before computing its
deltas in a statement of its own (which sees what committed while it waited): the products
(`FOR SHARE`; a product's own update holds its row), then the channels whose counts move
(`FOR NO KEY UPDATE`), then their catalogs (`FOR SHARE`; a channel's own trigger takes
`FOR NO KEY UPDATE` on its catalogs). Writes that move nothing (a `done` of held actions,
an update of other columns) take no lock and write nothing.

Not a model: only `selectors.product_feed_count` and `selectors.product_feed_page` read it,
and Django never writes it.
SQLite drops a table's triggers when a later migration rebuilds the table, so `install` runs
again after every `migrate` (apps.py) and counts everything anew if a trigger was missing.
"""

from django.db.backends.base.base import BaseDatabaseWrapper

COUNT_TABLE = "channels_unsentproductcount"
PRE_PRODUCT_TYPES_SQL = "('5', '6')"  # catalog.models.PRE_PRODUCT_TYPES (a test holds them equal)
PRODUCT_TYPE_SQL = (
    "(SELECT id FROM django_content_type WHERE app_label = 'catalog' AND model = 'product')"
)


def _productized(row: str) -> str:
    return f"({row}.approved AND {row}.product_type NOT IN {PRE_PRODUCT_TYPES_SQL})"


def _taken(row: str) -> str:
    """The action `row` takes its object out of `inserts/`: held, sent once, or remote."""
    return (
        f"(coalesce({row}.status, '') IN ('processing', 'success') OR {row}.remote_id IS NOT NULL)"
    )


def _changed(row: str, product: str) -> str:
    """The action `row` puts its object, `product`, in `updates/`: sent, not held, and the
    product changed after the version the channel has (`selectors.delta`)."""
    return f"""((coalesce({row}.status, '') = 'success' OR {row}.remote_id IS NOT NULL)
        AND coalesce({row}.status, '') <> 'processing'
        AND ({row}.version_date IS NULL OR {product}.updated_at > {row}.version_date))"""


def _neg(sign: str) -> str:
    return "-" if sign == "+" else "+"


def _counted(channel: str, product: str, sign: str) -> str:
    """The two deltas of a product `product` (a row with `updated_at`) of the channel's
    catalog: `delta` (+1 when unsent), `updates` (+1 when its action puts it in `updates/`)."""
    return f"""CASE WHEN {_untaken(channel, f"{product}.id")} THEN {sign}1 ELSE 0 END AS delta,
        CASE WHEN EXISTS (
            SELECT 1 FROM channels_integrationaction AS u
            WHERE u.channel_id = {channel} AND u.content_type_id = {PRODUCT_TYPE_SQL}
            AND u.object_id = {product}.id AND {_changed("u", product)}
        ) THEN {sign}1 ELSE 0 END AS updates"""


def _untaken(channel: str, product: str) -> str:
    return f"""NOT EXISTS (
        SELECT 1 FROM channels_integrationaction AS t
        WHERE t.channel_id = {channel} AND t.content_type_id = {PRODUCT_TYPE_SQL}
        AND t.object_id = {product} AND {_taken("t")}
    )"""


def _item_rows(items: str, sign: str) -> str:
    """(channel, type, deltas) of the catalog items of `items` (see `_counted`)."""
    return f"""
        SELECT ch.id AS channel_id, p.product_type AS product_type, p.id AS product_id,
            {_counted("ch.id", "p", sign)}
        FROM {items} AS i
        JOIN channels_channel AS ch ON ch.catalog_id = i.catalog_id
        JOIN catalog_product AS p ON p.id = i.product_id
        WHERE {_productized("p")}
    """


def _product_rows(products: str, sign: str) -> str:
    """(channel, type, deltas) of the products of `products` (a table) in channels' catalogs."""
    return f"""
        SELECT ch.id AS channel_id, p.product_type AS product_type, p.id AS product_id,
            {_counted("ch.id", "p", sign)}
        FROM {products} AS p
        JOIN channels_catalogitem AS i ON i.product_id = p.id
        JOIN channels_channel AS ch ON ch.catalog_id = i.catalog_id
        WHERE {_productized("p")}
    """


def _one_product_rows(row: str, sign: str) -> str:
    """The same for one product row (`OLD`, `NEW`: a row trigger)."""
    return f"""
        SELECT ch.id AS channel_id, {row}.product_type AS product_type, {row}.id AS product_id,
            {_counted("ch.id", row, sign)}
        FROM channels_catalogitem AS i
        JOIN channels_channel AS ch ON ch.catalog_id = i.catalog_id
        WHERE i.product_id = {row}.id AND {_productized(row)}
    """


def _action_rows(actions: str, sign: str) -> str:
    """(channel, type, deltas) of the taken product actions of `actions` whose product the
    channel's catalog holds, productized: a taken action takes one product out of `inserts/`
    (`sign`), and puts it in `updates/` (the other sign) when it is changed (`_changed`; only
    a taken action can be)."""
    return f"""
        SELECT a.channel_id AS channel_id, p.product_type AS product_type, p.id AS product_id,
            {sign}1 AS delta,
            CASE WHEN {_changed("a", "p")} THEN {_neg(sign)}1 ELSE 0 END AS updates
        FROM {actions} AS a
        JOIN channels_channel AS ch ON ch.id = a.channel_id
        JOIN channels_catalogitem AS i ON i.catalog_id = ch.catalog_id AND i.product_id = a.object_id
        JOIN catalog_product AS p ON p.id = a.object_id
        WHERE a.content_type_id = {PRODUCT_TYPE_SQL} AND {_taken("a")} AND {_productized("p")}
    """


def _netted(parts: list[str], *, moved_only: bool = True) -> str:
    """(channel, type, count, updates, low) of the rows of `parts` (UNION ALL): each product's
    deltas netted first (a product taken again, `processing` then `success`, moves nothing),
    then summed per channel and type; `low`, the least product put in `inserts/` (its netted
    delta positive). `moved_only`: only the channels and types something moves."""
    low = "min(CASE WHEN delta > 0 THEN product_id END)"
    moved = (
        f"HAVING sum(delta) <> 0 OR sum(updates) <> 0 OR {low} IS NOT NULL" if moved_only else ""
    )
    return f"""
        SELECT channel_id, product_type, sum(delta) AS count, sum(updates) AS updates, {low} AS low
        FROM (
            SELECT channel_id, product_type, product_id, sum(delta) AS delta,
                sum(updates) AS updates
            FROM ({" UNION ALL ".join(parts)}) AS moved WHERE true
            GROUP BY channel_id, product_type, product_id
        ) AS netted WHERE true
        GROUP BY channel_id, product_type {moved}
    """


def _catalog_rows(where: str) -> str:
    """(channel, type, product, deltas) of every productized product of channels' catalogs."""
    return f"""
        SELECT ch.id AS channel_id, p.product_type AS product_type, p.id AS product_id,
            {_counted("ch.id", "p", "+")}
        FROM channels_channel AS ch
        JOIN channels_catalogitem AS i ON i.catalog_id = ch.catalog_id
        JOIN catalog_product AS p ON p.id = i.product_id
        WHERE {where} AND {_productized("p")}
    """


def _recount(channel: str) -> str:
    """Every count of one channel (`channel`: an expression of its id), from its catalog."""
    return f"""
        INSERT INTO {COUNT_TABLE} (channel_id, product_type, count, updates, low)
        SELECT channel_id, product_type, count, updates, low
        FROM ({_netted([_catalog_rows(f"ch.id = {channel}")], moved_only=False)}) AS counted
    """


REBUILD = f"""
    INSERT INTO {COUNT_TABLE} (channel_id, product_type, count, updates, low)
    SELECT channel_id, product_type, count, updates, low
    FROM ({_netted([_catalog_rows("true")], moved_only=False)}) AS counted
"""


def _first_unsent(channel: str, product_type: str, start: str) -> str:
    """The least product of `inserts/` of the channel, of this type, from `start` on (NULL:
    none): the products walked by the productized index, each probed for its catalog item
    and its action, up to the first one not taken."""
    # Every side bounded by `start`: however the planner joins them, nothing before it is read.
    return f"""(
        SELECT p.id FROM catalog_product AS p
        WHERE p.product_type = {product_type} AND {_productized("p")} AND p.id >= {start}
        AND EXISTS (
            SELECT 1 FROM channels_catalogitem AS i
            WHERE i.catalog_id = (SELECT catalog_id FROM channels_channel WHERE id = {channel})
            AND i.product_id = p.id AND i.product_id >= {start}
        )
        AND NOT EXISTS (
            SELECT 1 FROM channels_integrationaction AS t
            WHERE t.channel_id = {channel} AND t.content_type_id = {PRODUCT_TYPE_SQL}
            AND t.object_id = p.id AND t.object_id >= {start} AND {_taken("t")}
        )
        ORDER BY p.id LIMIT 1
    )"""


def _moved_low(least) -> str:
    """An upsert's new `low`: the least of the kept and the moved one (a product put back in
    `inserts/`); where products were taken (the count goes down), the first product not
    taken from there (the lower bound kept tight, as the feed's first page reads from it)."""
    kept, moved = f"{COUNT_TABLE}.low", "excluded.low"
    start = least(kept, moved)
    walk = _first_unsent(f"{COUNT_TABLE}.channel_id", f"{COUNT_TABLE}.product_type", start)
    return f"CASE WHEN excluded.count < 0 THEN {walk} ELSE {start} END"


def _pg_least(a: str, b: str) -> str:
    return f"least({a}, {b})"  # NULLs ignored


def _sqlite_least(a: str, b: str) -> str:
    return f"coalesce(min({a}, {b}), {a}, {b})"  # the scalar min() of SQLite is NULL with one


CREATE_TABLE = f"""
    CREATE TABLE IF NOT EXISTS {COUNT_TABLE} (
        channel_id bigint NOT NULL,
        product_type varchar(16) NOT NULL,
        count bigint NOT NULL,
        updates bigint NOT NULL DEFAULT 0,
        low bigint,
        PRIMARY KEY (channel_id, product_type)
    )
"""

# --- SQLite: row triggers -------------------------------------------------------------------

_SQLITE_UPSERT = f"""
    ON CONFLICT (channel_id, product_type) DO UPDATE SET count = count + excluded.count,
        updates = updates + excluded.updates, low = {_moved_low(_sqlite_least)};
"""


def _sqlite_add(parts: list[str]) -> str:
    # `WHERE true` after the select: SQLite reads `ON CONFLICT` after a bare join as its `ON`.
    return f"""
        INSERT INTO {COUNT_TABLE} (channel_id, product_type, count, updates, low)
        SELECT channel_id, product_type, count, updates, low FROM ({_netted(parts)}) WHERE true
        {_SQLITE_UPSERT}
    """


def _sqlite_item(row: str, sign: str) -> str:
    return _item_rows(
        f"(SELECT {row}.catalog_id AS catalog_id, {row}.product_id AS product_id)", sign
    )


def _sqlite_action(row: str, sign: str) -> str:
    return _action_rows(
        f"""(SELECT {row}.channel_id AS channel_id, {row}.content_type_id AS content_type_id,
             {row}.object_id AS object_id, {row}.status AS status,
             {row}.remote_id AS remote_id, {row}.version_date AS version_date)""",
        sign,
    )


SQLITE_TRIGGERS = {
    "channels_feedcount_item_ai": f"""
        CREATE TRIGGER channels_feedcount_item_ai AFTER INSERT ON channels_catalogitem BEGIN
            {_sqlite_add([_sqlite_item("NEW", "+")])}
        END
    """,
    "channels_feedcount_item_ad": f"""
        CREATE TRIGGER channels_feedcount_item_ad AFTER DELETE ON channels_catalogitem BEGIN
            {_sqlite_add([_sqlite_item("OLD", "-")])}
        END
    """,
    "channels_feedcount_item_au": f"""
        CREATE TRIGGER channels_feedcount_item_au
        AFTER UPDATE OF catalog_id, product_id ON channels_catalogitem
        WHEN OLD.catalog_id IS NOT NEW.catalog_id OR OLD.product_id IS NOT NEW.product_id
        BEGIN
            {_sqlite_add([_sqlite_item("OLD", "-"), _sqlite_item("NEW", "+")])}
        END
    """,
    "channels_feedcount_product_ai": f"""
        CREATE TRIGGER channels_feedcount_product_ai AFTER INSERT ON catalog_product BEGIN
            {_sqlite_add([_one_product_rows("NEW", "+")])}
        END
    """,
    "channels_feedcount_product_ad": f"""
        CREATE TRIGGER channels_feedcount_product_ad AFTER DELETE ON catalog_product BEGIN
            {_sqlite_add([_one_product_rows("OLD", "-")])}
        END
    """,
    "channels_feedcount_product_au": f"""
        CREATE TRIGGER channels_feedcount_product_au
        AFTER UPDATE OF approved, product_type, updated_at ON catalog_product
        WHEN OLD.approved IS NOT NEW.approved OR OLD.product_type IS NOT NEW.product_type
            OR OLD.updated_at IS NOT NEW.updated_at
        BEGIN
            {_sqlite_add([_one_product_rows("OLD", "-"), _one_product_rows("NEW", "+")])}
        END
    """,
    # A taken action takes its product out (-1); an action no longer taken puts it back (+1);
    # the other way round for `updates` (a changed action puts its product in).
    "channels_feedcount_action_ai": f"""
        CREATE TRIGGER channels_feedcount_action_ai AFTER INSERT ON channels_integrationaction
        BEGIN
            {_sqlite_add([_sqlite_action("NEW", "-")])}
        END
    """,
    "channels_feedcount_action_ad": f"""
        CREATE TRIGGER channels_feedcount_action_ad AFTER DELETE ON channels_integrationaction
        BEGIN
            {_sqlite_add([_sqlite_action("OLD", "+")])}
        END
    """,
    "channels_feedcount_action_au": f"""
        CREATE TRIGGER channels_feedcount_action_au
        AFTER UPDATE OF status, remote_id, version_date, channel_id, content_type_id, object_id
        ON channels_integrationaction
        WHEN OLD.status IS NOT NEW.status OR OLD.remote_id IS NOT NEW.remote_id
            OR OLD.version_date IS NOT NEW.version_date OR OLD.channel_id IS NOT NEW.channel_id
            OR OLD.content_type_id IS NOT NEW.content_type_id
            OR OLD.object_id IS NOT NEW.object_id
        BEGIN
            {_sqlite_add([_sqlite_action("OLD", "+"), _sqlite_action("NEW", "-")])}
        END
    """,
    "channels_feedcount_channel_ai": f"""
        CREATE TRIGGER channels_feedcount_channel_ai AFTER INSERT ON channels_channel BEGIN
            DELETE FROM {COUNT_TABLE} WHERE channel_id = NEW.id;
            {_recount("NEW.id")};
        END
    """,
    "channels_feedcount_channel_au": f"""
        CREATE TRIGGER channels_feedcount_channel_au AFTER UPDATE OF catalog_id ON channels_channel
        WHEN OLD.catalog_id IS NOT NEW.catalog_id
        BEGIN
            DELETE FROM {COUNT_TABLE} WHERE channel_id = NEW.id;
            {_recount("NEW.id")};
        END
    """,
    "channels_feedcount_channel_ad": f"""
        CREATE TRIGGER channels_feedcount_channel_ad AFTER DELETE ON channels_channel BEGIN
            DELETE FROM {COUNT_TABLE} WHERE channel_id = OLD.id;
        END
    """,
}

# --- PostgreSQL: statement triggers (row triggers where a WHEN skips most updates) ---------


def _pg_add(parts: list[str]) -> str:
    """One upsert per statement, in key order (concurrent writers lock count rows in one order);
    nothing written when nothing moves."""
    return f"""
        INSERT INTO {COUNT_TABLE} (channel_id, product_type, count, updates, low)
        SELECT channel_id, product_type, count, updates, low FROM ({_netted(parts)}) AS changed
        ORDER BY channel_id, product_type
        ON CONFLICT (channel_id, product_type)
        DO UPDATE SET count = {COUNT_TABLE}.count + excluded.count,
            updates = {COUNT_TABLE}.updates + excluded.updates,
            low = {_moved_low(_pg_least)};
    """


def _pg_lock(products: str | None, channels: str) -> str:
    """The locks every trigger takes before counting, in the one order (see the docstring):
    products `FOR SHARE` (`products`: a query of their ids), channels (`channels`: a query of
    their ids) `FOR NO KEY UPDATE`, then the channels' catalogs `FOR SHARE`."""
    products_lock = (
        f"PERFORM 1 FROM catalog_product WHERE id IN ({products}) ORDER BY id FOR SHARE;"
        if products
        else ""
    )
    return f"""
        {products_lock}
        PERFORM 1 FROM channels_channel WHERE id IN ({channels}) ORDER BY id FOR NO KEY UPDATE;
        PERFORM 1 FROM channels_catalog
        WHERE id IN (SELECT catalog_id FROM channels_channel WHERE id IN ({channels}))
        ORDER BY id FOR SHARE;
    """


def _pg_function(name: str, body: str) -> str:
    return f"""
    CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        {body}
        RETURN NULL;
    END
    $$
    """


def _channels_of_items(items: str) -> str:
    return f"SELECT id FROM channels_channel WHERE catalog_id IN (SELECT catalog_id FROM {items})"


def _pg_items(tables: list[tuple[str, str]]) -> str:
    """The body for catalog items: `tables` are (transition table, sign)."""
    products = " UNION ".join(f"SELECT product_id FROM {t}" for t, _ in tables)
    channels = " UNION ".join(_channels_of_items(t) for t, _ in tables)
    return _pg_lock(products, channels) + _pg_add([_item_rows(t, s) for t, s in tables])


def _channels_of_products(products: str) -> str:
    return f"""SELECT ch.id FROM channels_channel AS ch JOIN channels_catalogitem AS i
        ON i.catalog_id = ch.catalog_id WHERE i.product_id IN (SELECT id FROM {products})"""


def _pg_products(table: str, sign: str) -> str:
    return f"""
        IF NOT EXISTS (SELECT 1 FROM channels_catalogitem
                       WHERE product_id IN (SELECT id FROM {table})) THEN
            RETURN NULL;
        END IF;
        {_pg_lock(None, _channels_of_products(table))}
        {_pg_add([_product_rows(table, sign)])}
    """


_PG_PRODUCT_UPDATED = f"""
    IF NOT EXISTS (SELECT 1 FROM channels_catalogitem WHERE product_id = NEW.id) THEN
        RETURN NULL;
    END IF;
    -- Only `updated_at` moved: it moves `updates/` alone, of the channels holding an action of
    -- the product (one taken concurrently locks the product, so it counts after this commits).
    IF OLD.approved IS NOT DISTINCT FROM NEW.approved
        AND OLD.product_type IS NOT DISTINCT FROM NEW.product_type
        AND NOT EXISTS (
            SELECT 1 FROM channels_catalogitem AS i
            JOIN channels_channel AS ch ON ch.catalog_id = i.catalog_id
            JOIN channels_integrationaction AS t ON t.channel_id = ch.id
                AND t.content_type_id = {PRODUCT_TYPE_SQL} AND t.object_id = NEW.id
            WHERE i.product_id = NEW.id
        ) THEN
        RETURN NULL;
    END IF;
    {
    _pg_lock(
        None,
        "SELECT ch.id FROM channels_channel AS ch JOIN channels_catalogitem AS i "
        "ON i.catalog_id = ch.catalog_id WHERE i.product_id = NEW.id",
    )
}
    {_pg_add([_one_product_rows("OLD", "-"), _one_product_rows("NEW", "+")])}
"""


def _taken_products(table: str) -> str:
    return f"""SELECT object_id FROM {table}
        WHERE content_type_id = {PRODUCT_TYPE_SQL} AND {_taken(table)}"""


def _taken_channels(table: str) -> str:
    return f"""SELECT channel_id FROM {table}
        WHERE content_type_id = {PRODUCT_TYPE_SQL} AND {_taken(table)}"""


def _pg_actions(tables: list[tuple[str, str]], moved: str) -> str:
    """`tables`: (transition table, sign); `moved`: a condition that something may move."""
    products = " UNION ".join(_taken_products(t) for t, _ in tables)
    channels = " UNION ".join(_taken_channels(t) for t, _ in tables)
    return f"""
        IF NOT ({moved}) THEN
            RETURN NULL;
        END IF;
        {_pg_lock(products, channels)}
        {_pg_add([_action_rows(t, s) for t, s in tables])}
    """


_ACTION_MOVED = f"""EXISTS (
    SELECT 1 FROM old_rows AS o JOIN new_rows AS n ON n.id = o.id
    WHERE (o.content_type_id = {PRODUCT_TYPE_SQL} OR n.content_type_id = {PRODUCT_TYPE_SQL})
    AND (o.status IS DISTINCT FROM n.status OR o.remote_id IS DISTINCT FROM n.remote_id
         OR o.version_date IS DISTINCT FROM n.version_date OR o.channel_id <> n.channel_id
         OR o.content_type_id <> n.content_type_id OR o.object_id <> n.object_id)
)"""

POSTGRESQL_FUNCTIONS = {
    "channels_feedcount_item_inserted": _pg_function(
        "channels_feedcount_item_inserted", _pg_items([("new_rows", "+")])
    ),
    "channels_feedcount_item_deleted": _pg_function(
        "channels_feedcount_item_deleted", _pg_items([("old_rows", "-")])
    ),
    "channels_feedcount_item_updated": _pg_function(
        "channels_feedcount_item_updated", _pg_items([("old_rows", "-"), ("new_rows", "+")])
    ),
    "channels_feedcount_product_inserted": _pg_function(
        "channels_feedcount_product_inserted", _pg_products("new_rows", "+")
    ),
    "channels_feedcount_product_deleted": _pg_function(
        "channels_feedcount_product_deleted", _pg_products("old_rows", "-")
    ),
    "channels_feedcount_product_updated": _pg_function(
        "channels_feedcount_product_updated", _PG_PRODUCT_UPDATED
    ),
    "channels_feedcount_action_inserted": _pg_function(
        "channels_feedcount_action_inserted",
        _pg_actions([("new_rows", "-")], f"EXISTS ({_taken_products('new_rows')})"),
    ),
    "channels_feedcount_action_deleted": _pg_function(
        "channels_feedcount_action_deleted",
        _pg_actions([("old_rows", "+")], f"EXISTS ({_taken_products('old_rows')})"),
    ),
    "channels_feedcount_action_updated": _pg_function(
        "channels_feedcount_action_updated",
        _pg_actions([("old_rows", "+"), ("new_rows", "-")], _ACTION_MOVED),
    ),
    "channels_feedcount_channel_changed": _pg_function(
        "channels_feedcount_channel_changed",
        f"""
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
            DELETE FROM {COUNT_TABLE} WHERE channel_id = OLD.id;
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
            PERFORM 1 FROM channels_catalog WHERE id = NEW.catalog_id
                OR (TG_OP = 'UPDATE' AND id = OLD.catalog_id)
            ORDER BY id FOR NO KEY UPDATE;
            DELETE FROM {COUNT_TABLE} WHERE channel_id = NEW.id;
            {_recount("NEW.id")};
        END IF;
        """,
    ),
}

_STATEMENT = "FOR EACH STATEMENT EXECUTE FUNCTION"
POSTGRESQL_TRIGGERS = {
    "channels_feedcount_item_ai": ("channels_catalogitem", f"AFTER INSERT ON channels_catalogitem REFERENCING NEW TABLE AS new_rows {_STATEMENT} channels_feedcount_item_inserted()"),
    "channels_feedcount_item_ad": ("channels_catalogitem", f"AFTER DELETE ON channels_catalogitem REFERENCING OLD TABLE AS old_rows {_STATEMENT} channels_feedcount_item_deleted()"),
    "channels_feedcount_item_au": ("channels_catalogitem", f"AFTER UPDATE ON channels_catalogitem REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows {_STATEMENT} channels_feedcount_item_updated()"),
    "channels_feedcount_product_ai": ("catalog_product", f"AFTER INSERT ON catalog_product REFERENCING NEW TABLE AS new_rows {_STATEMENT} channels_feedcount_product_inserted()"),
    "channels_feedcount_product_ad": ("catalog_product", f"AFTER DELETE ON catalog_product REFERENCING OLD TABLE AS old_rows {_STATEMENT} channels_feedcount_product_deleted()"),
    # A row trigger: its WHEN skips every update that changes none of the columns, at no cost.
    "channels_feedcount_product_au": ("catalog_product", "AFTER UPDATE OF approved, product_type, updated_at ON catalog_product FOR EACH ROW WHEN (OLD.approved IS DISTINCT FROM NEW.approved OR OLD.product_type IS DISTINCT FROM NEW.product_type OR OLD.updated_at IS DISTINCT FROM NEW.updated_at) EXECUTE FUNCTION channels_feedcount_product_updated()"),
    "channels_feedcount_action_ai": ("channels_integrationaction", f"AFTER INSERT ON channels_integrationaction REFERENCING NEW TABLE AS new_rows {_STATEMENT} channels_feedcount_action_inserted()"),
    "channels_feedcount_action_ad": ("channels_integrationaction", f"AFTER DELETE ON channels_integrationaction REFERENCING OLD TABLE AS old_rows {_STATEMENT} channels_feedcount_action_deleted()"),
    "channels_feedcount_action_au": ("channels_integrationaction", f"AFTER UPDATE ON channels_integrationaction REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows {_STATEMENT} channels_feedcount_action_updated()"),
    "channels_feedcount_channel_ai": ("channels_channel", "AFTER INSERT ON channels_channel FOR EACH ROW EXECUTE FUNCTION channels_feedcount_channel_changed()"),
    "channels_feedcount_channel_au": ("channels_channel", "AFTER UPDATE OF catalog_id ON channels_channel FOR EACH ROW WHEN (OLD.catalog_id IS DISTINCT FROM NEW.catalog_id) EXECUTE FUNCTION channels_feedcount_channel_changed()"),
    "channels_feedcount_channel_ad": ("channels_channel", "AFTER DELETE ON channels_channel FOR EACH ROW EXECUTE FUNCTION channels_feedcount_channel_changed()"),
}  # fmt: skip


def counts_rebuild(connection: BaseDatabaseWrapper) -> None:
    """Replace every kept count by a count of the feeds themselves."""
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {COUNT_TABLE}")
        cursor.execute(REBUILD)


def _has_low(connection: BaseDatabaseWrapper, cursor) -> bool:
    """Whether the count table has its `low` column (a table made before it has not)."""
    columns = connection.introspection.get_table_description(cursor, COUNT_TABLE)
    return any(column.name == "low" for column in columns)


def _present_triggers(connection: BaseDatabaseWrapper, cursor) -> set[str]:
    if connection.vendor == "postgresql":
        cursor.execute("SELECT tgname FROM pg_trigger WHERE tgname LIKE 'channels_feedcount_%%'")
    else:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' "
            "AND name LIKE 'channels_feedcount_%'"
        )
    return {name for (name,) in cursor.fetchall()}


def install(connection: BaseDatabaseWrapper) -> None:
    """Create the table and whichever trigger is missing; if one was (the first install, a
    SQLite table rebuild), rows were written without it: count everything anew. Idempotent."""
    if connection.vendor not in ("postgresql", "sqlite"):
        return
    with connection.cursor() as cursor:
        cursor.execute(CREATE_TABLE)
        stale = not _has_low(connection, cursor)
        if stale:  # its rows have no `low`, its triggers write none: both anew
            cursor.execute(f"ALTER TABLE {COUNT_TABLE} ADD COLUMN low bigint")
            if connection.vendor == "sqlite":
                for name in SQLITE_TRIGGERS:
                    cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
        present = _present_triggers(connection, cursor)
        if connection.vendor == "postgresql":
            missing = [name for name in POSTGRESQL_TRIGGERS if name not in present]
            for definition in POSTGRESQL_FUNCTIONS.values():
                cursor.execute(definition)
            for name, (table, definition) in POSTGRESQL_TRIGGERS.items():
                cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
                cursor.execute(f"CREATE TRIGGER {name} {definition}")
        else:
            missing = [name for name in SQLITE_TRIGGERS if name not in present]
            for name in missing:
                cursor.execute(SQLITE_TRIGGERS[name])
    if missing or stale:
        counts_rebuild(connection)


def uninstall(connection: BaseDatabaseWrapper) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for name, (table, _definition) in POSTGRESQL_TRIGGERS.items():
                cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
            for name in POSTGRESQL_FUNCTIONS:
                cursor.execute(f"DROP FUNCTION IF EXISTS {name}()")
        elif connection.vendor == "sqlite":
            for name in SQLITE_TRIGGERS:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
        cursor.execute(f"DROP TABLE IF EXISTS {COUNT_TABLE}")


def migration_reinstall(apps, schema_editor) -> None:
    """A migration's step, forwards and backwards (`RunPython`): the table and its triggers as
    this module defines them, and every count made anew (with no trigger yet, `install` counts
    everything)."""
    uninstall(schema_editor.connection)
    install(schema_editor.connection)
