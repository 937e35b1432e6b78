"""One-statement bulk inserts and upserts for the hot paths.

`bulk_create` (with `update_conflicts=True` or not) spends most of its time preparing values
field by field and compiling its query; here each column's conversion is chosen once and the
rows go out in one `INSERT … [ON CONFLICT … DO UPDATE …] RETURNING` statement (SQLite ≥ 3.35
and PostgreSQL): `upsert` for plain rows of values, `bulk_insert` for new model instances.
"""

from __future__ import annotations

import json
import operator
import weakref
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from itertools import chain, repeat

from django.db import connection, connections, models
from django.db.backends.base.operations import BaseDatabaseOperations
from django.utils import timezone

# SQLite allows 32766 bound parameters per statement; PostgreSQL 65535.
MAX_PARAMS = 30_000


def _json_encoder() -> Callable:
    """`json.dumps(value, ensure_ascii=False)` without building an encoder for every value:
    the C encoder that `JSONEncoder.encode` builds on each call, built once (the same text)."""
    encoder = json.JSONEncoder(ensure_ascii=False)
    make = json.encoder.c_make_encoder
    if make is None:  # no C accelerator
        return encoder.encode
    iterencode = make(
        None, encoder.default, json.encoder.encode_basestring, None, ": ", ", ", False, False, True
    )

    def encode(value) -> str:
        return "".join(iterencode(value, 0))

    return encode


_json_text = _json_encoder()
_EMPTY_JSON = {dict: "{}", list: "[]"}


def _json_value(value):
    if value is None:
        return None
    if not value and type(value) in _EMPTY_JSON:  # a new row's default, the usual value
        return _EMPTY_JSON[type(value)]
    return _json_text(value)


def _converter(field: models.Field) -> Callable | None:
    """What turns a column's values into the driver's, or None when they go as they are."""
    if isinstance(field, models.ForeignKey):
        field = field.target_field
    if isinstance(field, models.JSONField):
        return _json_value
    if isinstance(field, models.DecimalField):
        adapt, digits, places = (
            connection.ops.adapt_decimalfield_value,
            field.max_digits,
            field.decimal_places,
        )
        if (
            type(connection.ops).adapt_decimalfield_value
            is BaseDatabaseOperations.adapt_decimalfield_value
        ):
            return None  # the base operations take a Decimal as it is (SQLite, PostgreSQL)
        return lambda value: None if value is None else adapt(value, digits, places)
    if isinstance(field, models.DateTimeField):
        return _same_as_last(connection.ops.adapt_datetimefield_value)
    if isinstance(field, models.UUIDField):
        if connection.vendor == "sqlite":
            return lambda value: None if value is None else value.hex
        return None
    return None


def _converted(converters: Sequence[Callable | None], rows: Sequence[Sequence]) -> list[Sequence]:
    """The rows' values column by column, each column converted (one pass per column)."""
    columns: list = list(zip(*rows, strict=True)) if rows else []
    for index, convert in enumerate(converters):
        if convert is not None:
            columns[index] = list(map(convert, columns[index]))
    return columns


def _same_as_last(convert: Callable) -> Callable:
    """`convert`, not run again for the object it was just given: the rows of a statement
    usually share one timestamp, and adapting a datetime is the costliest conversion."""
    last: list = [_NOTHING, None]

    def converted(value):
        if value is not last[0]:
            last[0], last[1] = value, convert(value)
        return last[1]

    return converted


_NOTHING = object()


def upsert(
    model: type[models.Model],
    *,
    columns: Sequence[str],
    rows: Iterable[Sequence],
    conflict: Sequence[str],
    update: Sequence[str],
    returning: Sequence[str] = (),
    where: str = "",
    same: dict | None = None,
) -> list[tuple]:
    """Insert `rows` (values in `columns` order, by field name) or update `update` on conflict.

    `where`, constant SQL, limits which conflicting rows are updated (`DO UPDATE … WHERE`: the
    table's current row by its table name, the offered one as `EXCLUDED`); a row neither
    inserted nor updated is not in what `returning` gives back.

    `same` gives columns (field name → value) whose value is the same in every row, written
    as if each row held it. It is bound once per statement, as is any column of `rows` that
    holds the very same object in every row (`_rows_sql`).
    """
    rows = list(rows)
    if not rows:
        return []
    same = same or {}
    plan = _upsert_plan(model, columns, conflict, update, returning, where, same)
    if connection.vendor == "postgresql":
        chunks = [rows]  # arrays: the statement stays small however many rows it has
    else:
        per_statement = plan.rows_per_statement
        chunks = [
            rows[start : start + per_statement] for start in range(0, len(rows), per_statement)
        ]
    results = []
    with _cursor() as cursor:
        for chunk in chunks:
            cursor.execute(*plan.statement(chunk, same, array_mark="%b"))
            if returning:
                results.extend(cursor.fetchall())
    return results


def upsert_statement(
    model: type[models.Model],
    *,
    columns: Sequence[str],
    rows: Iterable[Sequence],
    conflict: Sequence[str],
    update: Sequence[str],
    returning: Sequence[str] = (),
    where: str = "",
    same: dict | None = None,
) -> Statement | None:
    """`upsert`'s statement, to run later (`execute_together`, last when its `returning` rows
    are wanted); None when there are no rows. One statement: on SQLite, more rows than one
    statement binds (`MAX_PARAMS`) are a ValueError (use `upsert`)."""
    rows = list(rows)
    if not rows:
        return None
    plan = _upsert_plan(model, columns, conflict, update, returning, where, same or {})
    if connection.vendor != "postgresql" and len(rows) > plan.rows_per_statement:
        raise ValueError(f"{len(rows)} rows do not fit in one statement here: use upsert.")
    return plan.statement(rows, same or {}, array_mark="%s")


def _upsert_plan(model, columns, conflict, update, returning, where, same: dict) -> _UpsertPlan:
    """The upsert's plan, worked out once per database connection and set of arguments."""
    plans = _PLANS.setdefault(connections[connection.alias], {})
    key = (model, tuple(columns), tuple(conflict), tuple(update), tuple(returning), where,
           tuple(same))  # fmt: skip
    plan = plans.get(key)
    if plan is None:
        plan = plans[key] = _UpsertPlan(model, columns, conflict, update, returning, where, same)
    return plan


class _UpsertPlan:
    """An upsert's fixed text and conversions (`upsert`, `upsert_statement`)."""

    def __init__(self, model, columns, conflict, update, returning, where, same: dict):
        meta, quote = model._meta, connection.ops.quote_name
        self.fields = [meta.get_field(name) for name in columns]
        self.converters = [_converter(field) for field in self.fields]
        self.same_fields = [meta.get_field(name) for name in same]
        self.same_converters = [_converter(field) for field in self.same_fields]
        column_sql = ", ".join(quote(field.column) for field in [*self.fields, *self.same_fields])
        conflict_sql = ", ".join(quote(meta.get_field(name).column) for name in conflict)
        update_sql = ", ".join(
            f"{quote(meta.get_field(n).column)} = EXCLUDED.{quote(meta.get_field(n).column)}"
            for n in update
        )
        returning_sql = (
            f" RETURNING {', '.join(quote(meta.get_field(n).column) for n in returning)}"
            if returning
            else ""
        )
        self.head = f"INSERT INTO {quote(meta.db_table)} ({column_sql}) "  # names from the model
        self.tail = (
            f" ON CONFLICT ({conflict_sql}) DO UPDATE SET {update_sql}"
            f"{f' WHERE {where}' if where else ''}{returning_sql}"
        )
        self.rows_per_statement = max(1, (MAX_PARAMS - len(self.same_fields)) // len(self.fields))

    def statement(self, rows: list[Sequence], same: dict, *, array_mark: str) -> Statement:
        """The statement of `rows` (and the `same` columns' values, in the plan's order)."""
        same_values = [
            value if convert is None else convert(value)
            for convert, value in zip(self.same_converters, same.values(), strict=True)
        ]
        sql_values, params = _rows_sql(
            self.fields,
            _converted(self.converters, rows),
            self.same_fields,
            same_values,
            array_mark=array_mark,
        )
        return self.head + sql_values + self.tail, params


def _rows_sql(
    fields: Sequence[models.Field],
    columns: list[Sequence],
    same_fields: Sequence[models.Field] = (),
    same_values: Sequence = (),
    *,
    array_mark: str = "%b",
) -> tuple[str, list]:
    """The rows of an upsert as SQL and its parameters: `columns` (converted values, column by
    column) and the `same` columns (one value each).

    A column holding the very same object in every row (`is`, not `==`: `Decimal("1.0") ==
    Decimal("1.00")` and `1 == True`, yet the texts differ) goes as that one value, as do the
    `same` columns; at least one column stays per row, so the rows keep their number. The
    usual bulk rows share most of their columns (the seller, the list, the timestamps, the
    defaults), which the driver would otherwise bind value by value.

    PostgreSQL: `SELECT … FROM unnest(one array per varying column)`, each array bound by
    `array_mark` (`%b`, binary, on `_cursor()`'s server-bound cursor; `%s` on Django's). SQLite: `VALUES (…), …`
    when every column varies, else `SELECT column1, ?, … FROM (VALUES …) WHERE true` (the
    `WHERE` is how SQLite reads an `INSERT … SELECT … ON CONFLICT` without ambiguity).
    """
    constant = [
        len(column) > 1 and all(map(operator.is_, column, repeat(column[0]))) for column in columns
    ]
    if constant and all(constant):
        constant[0] = False
    postgres = connection.vendor == "postgresql"
    if not any(constant) and not same_fields:
        if postgres:
            casts = ", ".join(f"{array_mark}::{_array_type(field)}" for field in fields)
            return f"SELECT * FROM unnest({casts})", [list(column) for column in columns]  # noqa: S608
        mark = _placeholder()
        placeholder = "(" + ", ".join([mark] * len(fields)) + ")"
        params = list(chain.from_iterable(zip(*columns, strict=True)))
        return "VALUES " + ", ".join([placeholder] * len(columns[0])), params
    select, scalars, varying = [], [], []
    for index, (field, column) in enumerate(zip(fields, columns, strict=True)):
        if constant[index]:
            select.append(f"%s::{_array_type(field)[:-2]}" if postgres else _placeholder())
            scalars.append(column[0])
        else:
            varying.append(index)
            select.append(f"u.c{index}" if postgres else f"column{len(varying)}")
    for field, value in zip(same_fields, same_values, strict=True):
        select.append(f"%s::{_array_type(field)[:-2]}" if postgres else _placeholder())
        scalars.append(value)
    if postgres:
        casts = ", ".join(f"{array_mark}::{_array_type(fields[index])}" for index in varying)
        names = ", ".join(f"c{index}" for index in varying)
        arrays = [list(columns[index]) for index in varying]
        sql = f"SELECT {', '.join(select)} FROM unnest({casts}) AS u({names})"  # noqa: S608
        return sql, [*scalars, *arrays]  # types from the model, every value a parameter
    placeholder = "(" + ", ".join([_placeholder()] * len(varying)) + ")"
    per_row = zip(*(columns[index] for index in varying), strict=True)
    values = ", ".join([placeholder] * len(columns[0]))
    sql = f"SELECT {', '.join(select)} FROM (VALUES {values}) WHERE true"  # noqa: S608
    return sql, [*scalars, *chain.from_iterable(per_row)]


def statement(sql: str, params: Sequence) -> None:
    """Run one constant statement on the hot paths' cursor (`_cursor`: on PostgreSQL bound on
    the server, so `%b` takes a list as one binary array parameter)."""
    with _cursor() as cursor:
        cursor.execute(sql, params)


# A write statement built but not yet run: its SQL (`%s` placeholders) and parameters.
Statement = tuple[str, Sequence]


def execute_together(statements: Sequence[Statement | None]) -> list[tuple]:
    """Run write statements in their order, in one round trip on PostgreSQL; the rows the last
    one returns (`RETURNING`), if any. `None`s (nothing to write) are left out.

    On PostgreSQL every statement but the last becomes a data-modifying `WITH` part of the
    last (`WITH w0 AS (…), w1 AS (…) <last>`; a last statement that starts with its own `WITH`
    has its parts follow these): each runs once and to completion, in the same snapshot, so
    none may depend on another's effects or change the same rows (different tables, or
    different rows of one). Elsewhere they run one after another. Through Django's cursor:
    logged and counted like any other statement."""
    statements = [statement for statement in statements if statement is not None]
    if not statements:
        return []
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            for sql, params in statements:
                cursor.execute(sql, params)
        else:
            *before, (last_sql, last_params) = statements
            ahead = ", ".join(f"w{n} AS ({sql})" for n, (sql, _) in enumerate(before))
            params = [value for _, values in before for value in values]
            sql = last_sql
            if before:
                own = last_sql.lstrip()
                if own[:5].upper() == "WITH ":  # its own parts follow ours
                    sql = f"WITH {ahead}, {own[5:]}"
                else:
                    sql = f"WITH {ahead} {last_sql}"
            cursor.execute(sql, [*params, *last_params])
        return cursor.fetchall() if cursor.description else []


def update_statement(
    model: type[models.Model], *, pks: Collection, values: dict[str, object]
) -> Statement | None:
    """`model.objects.filter(pk__in=pks).update(**values)` as a statement to run later
    (`execute_together`), each value prepared by its field as `update()` prepares it (plain
    values only: no expressions); None when there are no rows."""
    if not pks:
        return None
    meta, quote = model._meta, connection.ops.quote_name
    sets, params = [], []
    for name, value in values.items():
        field = meta.get_field(name)
        if field.remote_field and hasattr(value, "prepare_database_save"):
            value = value.prepare_database_save(field)  # a related row: its key
        sets.append(f"{quote(field.column)} = %s")
        params.append(field.get_db_prep_save(value, connection))
    pks = list(pks)
    where = (
        f"{quote(meta.pk.column)} = %s"
        if len(pks) == 1
        else f"{quote(meta.pk.column)} IN ({', '.join(['%s'] * len(pks))})"
    )
    sql = f"UPDATE {quote(meta.db_table)} SET {', '.join(sets)} WHERE {where}"  # noqa: S608
    return sql, [*params, *pks]


def insert_statement(
    model: type[models.Model],
    objs: Sequence[models.Model],
    *,
    where: str = "",
    where_params: Sequence = (),
) -> Statement | None:
    """`bulk_insert`'s statement for new instances of `model`, to run with others
    (`execute_together`; it returns their keys, `RETURNING pk`): their `auto_now`/
    `auto_now_add` fields are set as `bulk_insert` sets them, but the instances stay unsaved.
    None when there are none. One statement: on SQLite, more rows than one statement binds
    are a ValueError.

    `where`, constant SQL with `%s` for `where_params` (one instance only): the row is inserted
    only when it holds (`INSERT … SELECT … WHERE`), e.g. `EXISTS (…)`; none is returned
    otherwise. One instance goes as one row of values (an array per column costs the driver
    more than the row's values on a client-side cursor such as `execute_together`'s)."""
    objs = list(objs)
    if not objs:
        return None
    if where and len(objs) != 1:
        raise ValueError("insert_statement inserts under a condition one row at a time.")
    plan = _insert_plan(model)
    if any(obj.pk is not None for obj in objs):
        raise ValueError(
            "insert_statement inserts new rows only: give instances without their key."
        )
    now = timezone.now
    for obj in objs:
        for attname in plan.stamped:
            setattr(obj, attname, now())
    rows = [[getattr(obj, attname) for attname in plan.attnames] for obj in objs]
    if plan.unnest and len(rows) > 1:
        return plan.unnest, [list(column) for column in _converted(plan.converters, rows)]
    if len(rows) > max(1, MAX_PARAMS // len(plan.attnames)):
        raise ValueError(f"{len(rows)} rows do not fit in one statement here: use bulk_insert.")
    marks = ", ".join(["%s"] * len(plan.attnames))
    params = list(chain.from_iterable(zip(*_converted(plan.converters, rows), strict=True)))
    if where:
        sql = f"{plan.sql}SELECT {marks} WHERE {where}{plan.returning}"
        return sql, [*params, *where_params]
    return f"{plan.sql}VALUES {', '.join([f'({marks})'] * len(rows))}{plan.returning}", params


def insert_later(model: type[models.Model], objs: Sequence[models.Model]) -> list[Statement]:
    """The insert of new `objs` as statements for the caller to send with a later write of its
    transaction (`execute_together`, `bulk_insert(before=…)`), their keys not read back:
    `insert_statement`'s, or none when there are no rows, or when more rows are given than one
    statement binds here (SQLite), which are then inserted at once by `bulk_insert`."""
    try:
        statement = insert_statement(model, objs)
    except ValueError:
        bulk_insert(model, objs)
        return []
    return [] if statement is None else [statement]


def bulk_insert(
    model: type[models.Model], objs: Sequence[models.Model], *, before: Sequence = ()
) -> list:
    """Insert new instances of `model` as `model.objects.bulk_create(objs)` does, in one
    `INSERT … RETURNING pk` (PostgreSQL: `SELECT * FROM unnest(…)` of one array per column;
    elsewhere `VALUES`, a statement per `MAX_PARAMS` values); returns `objs`.

    Each instance then has its primary key and is saved (`_state.adding` false, its database
    set); its `auto_now`/`auto_now_add` fields are set to `timezone.now()` as `pre_save` sets
    them. The instances hold every column's value already (their model's defaults are applied
    when they are built); the values are taken as they are, each column converted by its
    field's kind (`_converter`): give the types the fields hold (a `Decimal` for a
    `DecimalField`). Instances that have their primary key, multi-table inheritance and
    fields computed by the database are not supported (use `bulk_create`). The statement
    goes through Django's cursor: it is logged and counted like any other.

    `before`: other write statements (`Statement`s, or None) of the caller's to run first, in
    the same round trip on PostgreSQL (`execute_together`'s terms).
    """
    objs = list(objs)
    if not objs:
        execute_together(before)
        return objs
    plan = _insert_plan(model)
    if any(obj.pk is not None for obj in objs):
        raise ValueError("bulk_insert inserts new rows only: give instances without their key.")
    now = timezone.now
    for obj in objs:
        for attname in plan.stamped:
            setattr(obj, attname, now())
    rows = [[getattr(obj, attname) for attname in plan.attnames] for obj in objs]
    if plan.unnest:  # PostgreSQL: one array per column, as `bulk_create` sends them there
        params = [list(column) for column in _converted(plan.converters, rows)]
        pks = [row[0] for row in execute_together([*before, (plan.unnest, params)])]
    else:
        pks = []
        per_statement = max(1, MAX_PARAMS // len(plan.attnames))
        placeholder = "(" + ", ".join(["%s"] * len(plan.attnames)) + ")"
        for start in range(0, len(rows), per_statement):
            chunk = rows[start : start + per_statement]
            params = list(
                chain.from_iterable(zip(*_converted(plan.converters, chunk), strict=True))
            )
            sql = f"{plan.sql}VALUES {', '.join([placeholder] * len(chunk))}{plan.returning}"
            statements = [*before, (sql, params)] if start == 0 else [(sql, params)]
            pks.extend(row[0] for row in execute_together(statements))
    if len(pks) != len(objs):
        raise RuntimeError(f"bulk_insert gave back {len(pks)} keys for {len(objs)} rows.")
    pk_attname, alias = model._meta.pk.attname, connection.alias
    for obj, pk in zip(objs, pks, strict=True):
        setattr(obj, pk_attname, pk)
        obj._state.adding, obj._state.db = False, alias
    return objs


@dataclass(frozen=True)
class _InsertPlan:
    sql: str  # `INSERT INTO table (columns) `
    returning: str  # ` RETURNING pk`
    # PostgreSQL: the whole statement, `… SELECT * FROM unnest(%s::type[], …) RETURNING pk` (its
    # text and parameters' count are the same for any number of rows, so the driver parses it
    # once, where a `VALUES` list of more than 50 parameters is parsed on every call)
    unnest: str | None
    attnames: tuple[str, ...]
    converters: tuple[Callable | None, ...]
    stamped: tuple[str, ...]  # `auto_now` / `auto_now_add` fields' attnames


# Per database connection (a thread's own): the datetime conversion remembers its last value.
_PLANS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _insert_plan(model: type[models.Model]) -> _InsertPlan:
    """The columns of `model` an insert writes, their conversions and the statement's fixed
    text, worked out once per model and database connection."""
    wrapper = connections[connection.alias]
    plans = _PLANS.setdefault(wrapper, {})
    plan = plans.get(model)
    if plan is not None:
        return plan
    meta, quote = model._meta, connection.ops.quote_name
    fields = [field for field in meta.concrete_fields if field is not meta.auto_field]
    if (
        meta.parents
        or meta.auto_field is None
        or any(field.generated or field.db_returning for field in fields)
        or not connection.features.can_return_rows_from_bulk_insert
    ):
        raise NotImplementedError(f"bulk_insert cannot insert {meta.label} rows: use bulk_create.")
    sql = (
        f"INSERT INTO {quote(meta.db_table)} "
        f"({', '.join(quote(field.column) for field in fields)}) "
    )  # names from the model
    returning = f" RETURNING {quote(meta.pk.column)}"
    unnest = None
    if connection.vendor == "postgresql":
        casts = ", ".join(f"%s::{_array_type(field)}" for field in fields)
        unnest = f"{sql}SELECT * FROM unnest({casts}){returning}"  # noqa: S608 - types, names
    plans[model] = plan = _InsertPlan(
        sql=sql,
        returning=returning,
        unnest=unnest,
        attnames=tuple(field.attname for field in fields),
        converters=tuple(_converter(field) for field in fields),
        stamped=tuple(
            field.attname
            for field in fields
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
        ),
    )
    return plan


def values_where_in(
    model: type[models.Model],
    *,
    fields: Sequence[str],
    equal: dict[str, object],
    field: str,
    values: Collection,
) -> list[tuple]:
    """`fields` (by field name) of `model`'s rows whose `equal` fields have those values and
    whose `field` is one of `values`, as tuples.

    On PostgreSQL one `= ANY(%s)` of one array bound on the server, the driver's values as they
    come (for plain columns: integers, text, booleans, UUIDs): Django's cursor renders the
    thousand placeholders of `field__in` into the statement on the client, some milliseconds
    for a batch's SKUs. Elsewhere the ORM's `values_list`.
    """
    if connection.vendor != "postgresql":
        filters = {**equal, f"{field}__in": values}
        return list(model.objects.filter(**filters).values_list(*fields))
    meta, quote = model._meta, connection.ops.quote_name
    column = lambda name: quote(meta.get_field(name).column)  # noqa: E731
    conditions = [f"{column(name)} = %s" for name in equal]
    conditions.append(f"{column(field)} = ANY(%s)")
    sql = (  # names from the model, placeholders for the values
        f"SELECT {', '.join(map(column, fields))} FROM {quote(meta.db_table)} "  # noqa: S608
        f"WHERE {' AND '.join(conditions)}"
    )
    with _cursor() as cursor:
        cursor.execute(sql, [*equal.values(), list(values)])
        return cursor.fetchall()


def _cursor():
    """Django's cursor; on PostgreSQL a cursor of the driver that binds parameters on the server.

    Django's psycopg cursor (and the connection's own, a `ClientCursor`) renders parameters
    into the SQL text on the client, quoting each element of each array, which for a
    thousand-element array per column costs more than the statement itself. The driver's
    cursor runs on the same connection, inside the same transaction.

    On SQLite, unless statements are being logged, Django's wrapper (execute wrappers and
    error translation kept) around a plain `sqlite3` cursor that takes the `?` placeholders
    as written (`_placeholder`): Django's own SQLite cursor rewrites every `%s` of the text
    with a regular expression, some milliseconds for a statement of 30 000 placeholders.
    """
    if connection.vendor == "postgresql":
        import psycopg

        connection.ensure_connection()
        return psycopg.Cursor(connection.connection)
    if _placeholder() == "?":
        connection.ensure_connection()
        return connection.make_cursor(connection.connection.cursor())
    return connection.cursor()


def _placeholder() -> str:
    """The placeholder `_cursor()` takes: `?` on SQLite when statements are not logged (the
    debug cursor writes the logged statement with `%s`), `%s` otherwise."""
    return "?" if connection.vendor == "sqlite" and not connection.queries_logged else "%s"


def _array_type(field: models.Field) -> str:
    key = (field, connection.vendor)
    found = _ARRAY_TYPES.get(key)
    if found is None:
        db_type = (field.target_field if isinstance(field, models.ForeignKey) else field).db_type(
            connection
        )
        found = _ARRAY_TYPES[key] = (
            db_type.replace("serial", "integer").split("(")[0].strip() + "[]"
        )
    return found


# A field's array type by database vendor (`db_type` builds it from the field's data each time).
_ARRAY_TYPES: dict[tuple[models.Field, str], str] = {}


def counts_add(model: type[models.Model], *, keys: Sequence[str], count: str, deltas: dict) -> None:
    """Add each `key tuple → delta` to the `count` field of `model`'s row with that key (by the
    field names `keys`, a unique constraint), creating the row when there is none: one
    `INSERT … ON CONFLICT … DO UPDATE SET count = count + EXCLUDED.count`, rows in key order.
    A caller that writes such counts concurrently serialises its writers (e.g. by a lock)."""
    execute_together([counts_add_statement(model, keys=keys, count=count, deltas=deltas)])


def counts_add_statement(
    model: type[models.Model], *, keys: Sequence[str], count: str, deltas: dict
) -> Statement | None:
    """`counts_add`'s statement, to run later (`execute_together`, `bulk_insert(before=…)`);
    None when no count moves."""
    rows = sorted((key, delta) for key, delta in deltas.items() if delta)
    if not rows:
        return None
    meta, quote = model._meta, connection.ops.quote_name
    fields = [meta.get_field(name) for name in keys]
    converters = [_converter(field) for field in fields]
    table, column = quote(meta.db_table), quote(meta.get_field(count).column)
    key_sql = ", ".join(quote(field.column) for field in fields)
    if connection.vendor == "postgresql":  # one array per column: the same text for any rows
        casts = [f"%s::{_array_type(field)}" for field in [*fields, meta.get_field(count)]]
        values = f"SELECT * FROM unnest({', '.join(casts)})"  # noqa: S608 - types from the model
    else:
        placeholder = "(" + ", ".join(["%s"] * (len(fields) + 1)) + ")"
        values = f"VALUES {', '.join([placeholder] * len(rows))}"
    sql = (  # names from the model, placeholders for the values
        f"INSERT INTO {table} ({key_sql}, {column}) {values} "
        f"ON CONFLICT ({key_sql}) DO UPDATE SET {column} = {table}.{column} + EXCLUDED.{column}"
    )
    if connection.vendor == "postgresql":
        columns = _converted([*converters, None], [[*key, delta] for key, delta in rows])
        return sql, [list(column) for column in columns]
    params = []
    for key, delta in rows:
        params += [
            value if convert is None else convert(value)
            for convert, value in zip(converters, key, strict=True)
        ]
        params.append(delta)
    return sql, params


# For other reads and writes of rows by the thousand, on the same terms as `upsert`'s
# statements (`catalog.selectors.seller_product_keys`): the cursor, and the placeholder it takes.
raw_cursor = _cursor
placeholder = _placeholder
