"""Reads run on every request, their SQL compiled once.

Each API call starts with the same few reads by key (the caller's token, the URL's channel, the
URL's row). Django builds each of them afresh: a QuerySet, its joins, its `select_related`
columns, its SQL text and its converters, about 0.3–0.7 ms of CPU per read, where the statement
itself runs in a fraction of that. The classes here compile a QuerySet once per database
connection with marker values, then run the same SQL with the request's values and build the
rows the way Django's iterables do (`from_db`, the `select_related` populators, the column
converters; tuples for a `values_list`): the same statement, the same objects, read from the
database every time (nothing is cached but the SQL and how to read its rows).

- `PreparedLookup`: at most one row, by unique keys (`get`).
- `PreparedQuery`: any number of rows, with lists of keys (`all`).
- `PreparedPage`: a page of rows ordered by primary key (`page`).

Markers are ints, strs and `uuid.UUID`s (bound as the database keeps them: a UUID, or its 32
hex digits on SQLite). A value of another type than its marker (a str where an int was
compiled), or an int beyond 64 bits, is not substituted: the QuerySet runs through the ORM as
before, so its lookups convert or refuse the value as they always did.
"""

from __future__ import annotations

import threading
import uuid
import weakref
from collections.abc import Callable, Sequence

from django.db import connections, models
from django.db.models import signals
from django.db.models.base import ModelState
from django.db.models.query import ModelIterable, ValuesListIterable, get_related_populators

try:  # psycopg's own `timestamptz` loader, compiled in its binary package
    from psycopg import adapters as _psycopg_adapters
    from psycopg.postgres import types as _postgres_types
    from psycopg.pq import Format as _Format

    _TIMESTAMPTZ = _postgres_types["timestamptz"].oid
    _TimestamptzLoader = _psycopg_adapters.get_loader(_TIMESTAMPTZ, _Format.TEXT)
except ImportError:  # SQLite only
    _TIMESTAMPTZ, _TimestamptzLoader = None, None

# Values no caller sends; found in the compiled parameters to know where each value goes. The
# integer fits a 32-bit column (`auth_user.id`): beyond a column's range PostgreSQL's lookups
# compile to nothing (`EmptyResultSet`) rather than to a parameter.
_MARKERS = {
    int: -2_073_000_001,
    str: "\x1fpazar-prepared-{}\x1f",
    uuid.UUID: 0x7A0C_E11E_D0D0_4000_8000_7A0C_E11E_D0D0,
}


# An int beyond a 64-bit key cannot be bound on SQLite: such values go through the ORM, whose
# lookups compile them to nothing (no row) on either database.
_INT_MIN, _INT_MAX = -(2**63), 2**63 - 1


def _fits(value, kind: type) -> bool:
    """Whether `value` can stand in `kind`'s marker's place: of that very type (and an int of
    64 bits)."""
    return type(value) is kind and (kind is not int or _INT_MIN <= value <= _INT_MAX)


def _marker(kind: type, index: int):
    if kind is str:
        return _MARKERS[str].format(index)
    if kind is uuid.UUID:
        return uuid.UUID(int=_MARKERS[uuid.UUID] - index)
    return _MARKERS[kind] - index


def _hex(value: uuid.UUID) -> str:
    return value.hex


def _slots(params: Sequence, markers: Sequence, *, once: bool) -> tuple[list, list]:
    """Where each marker is bound in `params` (one position each when `once`, else all of
    them), and how its value is adapted there (None, or `_hex` for a UUID kept as text)."""
    slots, adapt = [], []
    for marker in markers:
        found = [i for i, param in enumerate(params) if param == marker]
        how = None
        if not found and type(marker) is uuid.UUID:  # a database without a UUID type
            found, how = [i for i, param in enumerate(params) if param == marker.hex], _hex
        if once and len(found) != 1:
            raise ValueError(f"The marker {marker!r} is bound {len(found)} times, not once.")
        if not found:
            raise ValueError(f"The marker {marker!r} is not bound.")
        slots.append(found[0] if once else found)
        adapt.append(how)
    return slots, adapt


def _plain(model: type[models.Model]) -> bool:
    """Whether `model` keeps Django's own `__init__` and `from_db`: its loaded instance is then
    its columns' values in `__dict__` (the others deferred) and a fresh `_state`."""
    return (
        model.__init__ is models.Model.__init__
        and model.from_db.__func__ is models.Model.from_db.__func__
    )


def _instances(
    model: type[models.Model], plain: bool, using: str, fields: list, rows: list, start: int,
    end: int,
) -> list:  # fmt: skip
    """The rows' model instances, each from its columns `start:end`. A `plain` model (`_plain`)
    with no init signal listening gets what `from_db` builds (the loaded columns in `__dict__`,
    the others deferred, a fresh `_state`) without `__init__`'s walk over every field."""
    if not plain or signals.pre_init.has_listeners(model) or signals.post_init.has_listeners(model):
        return [model.from_db(using, fields, row[start:end]) for row in rows]
    instances = []
    for row in rows:
        instance = model.__new__(model)
        instance._state = state = ModelState()
        state.adding, state.db = False, using
        instance.__dict__.update(zip(fields, row[start:end], strict=True))
        instances.append(instance)
    return instances


def _converted(rows: list, convert: list, connection) -> list:
    """The rows with Django's column converters applied (`convert`: the compiler's)."""
    if not convert:
        return rows
    converted = []
    for row in rows:
        row = list(row)
        for position, (converters, expression) in convert:
            value = row[position]
            for converter in converters:
                value = converter(value, expression, connection)
            row[position] = value
        converted.append(row)
    return converted


class _Compiled:
    __slots__ = ("adapt", "convert", "end", "fields", "model", "order", "params", "plain",
                 "related", "slots", "sql", "start", "timestamps")  # fmt: skip

    def __init__(
        self, queryset: models.QuerySet, markers: tuple, connection, *, timestamps: bool = False
    ):
        # psycopg's compiled loader reads `timestamptz` (`PreparedQuery`'s `timestamps`).
        self.timestamps = (
            timestamps and connection.vendor == "postgresql" and _TimestamptzLoader is not None
        )
        compiler = queryset.query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        self.slots, self.adapt = _slots(params, markers, once=True)
        klass_info, select = compiler.klass_info, compiler.select
        self.sql, self.params = sql, list(params)
        converters = compiler.get_converters([s[0] for s in select[: compiler.col_count]])
        self.convert = list(converters.items())
        self.order = None
        self.plain = False
        if queryset._iterable_class is ValuesListIterable:  # rows of plain values
            self.model, self.start, self.end, self.fields, self.related = None, 0, 0, [], []
            query = queryset.query  # the columns' order in the SQL, as `ValuesListIterable`'s
            names = [*query.extra_select, *query.values_select, *query.annotation_select]
            fields = [*queryset._fields, *(f for f in names if f not in queryset._fields)]
            if fields != names:
                self.order = [names.index(name) for name in fields]
            return
        if queryset._iterable_class is not ModelIterable:
            raise ValueError("Only model rows and values_list() tuples are prepared.")
        self.model = klass_info["model"]
        start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        self.start, self.end = start, end
        self.fields = [column[0].target.attname for column in select[start:end]]
        self.related = get_related_populators(klass_info, select, queryset.db)
        self.plain = _plain(self.model)

    def rows(self, values, connection) -> list:
        """Run the statement with `values` in the markers' slots: its rows, converted, as model
        instances (with their `select_related` rows), or as tuples for `values_list`."""
        params = self.params.copy()
        for slot, adapt, value in zip(self.slots, self.adapt, values, strict=True):
            params[slot] = value if adapt is None else adapt(value)
        with connection.cursor() as cursor:
            if self.timestamps:  # for this cursor only
                cursor.cursor.adapters.register_loader(_TIMESTAMPTZ, _TimestamptzLoader)
            cursor.execute(self.sql, params)
            rows = _converted(cursor.fetchall(), self.convert, connection)
        if self.model is None:
            if self.order is not None:
                return [tuple(row[i] for i in self.order) for row in rows]
            return [tuple(row) for row in rows]
        instances = _instances(
            self.model, self.plain, connection.alias, self.fields, rows, self.start, self.end
        )
        for populator in self.related:
            for row, instance in zip(rows, instances, strict=True):
                populator.populate(row, instance)
        return instances


class _PerConnection:
    """What each reader keeps: how to build its QuerySet, its values' types, their markers and
    what it compiled for each database connection (`compiled`)."""

    def __init__(self, build: Callable[..., models.QuerySet], *types: type):
        self.build = build
        self.types = types
        self.markers = tuple(_marker(kind, i) for i, kind in enumerate(types))
        self._compiled: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
        self._lock = threading.Lock()

    def _compile(self, connection):
        raise NotImplementedError

    def compiled(self, connection):
        compiled = self._compiled.get(connection)
        if compiled is None:
            compiled = self._compile(connection)
            with self._lock:
                self._compiled[connection] = compiled
        return compiled


class PreparedLookup(_PerConnection):
    """`build(*values)` is a QuerySet of at most one row (a lookup by unique keys; no slicing,
    no annotations, no prefetching). `get(*values)` returns its instance or None.

    `PreparedLookup(lambda key: Token.objects.select_related("user").filter(key=key), str)`
    """

    def _compile(self, connection) -> _Compiled:
        return _Compiled(self.build(*self.markers), self.markers, connection)

    def get(self, *values, using: str = "default"):
        if not all(_fits(value, kind) for value, kind in zip(values, self.types, strict=True)):
            return self.build(*values).using(using).first()
        connection = connections[using]
        rows = self.compiled(connection).rows(values, connection)
        return rows[0] if rows else None


# Longer lists go through the ORM: a statement is kept per list length, and these are few.
_MAX_LIST = 64


class PreparedQuery:
    """A QuerySet of any number of rows, its SQL compiled once per database connection and per
    length of each list it is given: `build(*values)` takes plain values (`int`, `str`,
    `uuid.UUID`) and lists of ints (`pk__in=…`, given as the type `list`); `all(*values)`
    returns its instances (with their `select_related` rows) in its order, or its tuples for a
    `values_list`. No slicing, prefetching or annotations on model rows. An empty list, a list
    longer than `_MAX_LIST` or a value of another type than declared goes through the ORM.

    `PreparedQuery(lambda pks: Package.objects.filter(pk__in=pks).order_by("pk"), list)`

    `timestamps=True`: on PostgreSQL its `timestamptz` columns are read by psycopg's own
    (compiled) loader rather than by Django's Python subclass of it, which only sets the
    connection's time zone on each value: the same instants, aware, in the session's time
    zone (UTC); for reads of many dates per request (a page of claims and their events).
    """

    def __init__(
        self, build: Callable[..., models.QuerySet], *types: type, timestamps: bool = False
    ):
        self.build = build
        self.types = types
        self.timestamps = timestamps
        self._compiled: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
        self._lock = threading.Lock()

    def _markers(self, shape: tuple) -> list:
        markers, n = [], 0
        for kind, length in zip(self.types, shape, strict=True):
            if kind is list:
                markers.append([_marker(int, n + i) for i in range(length)])
                n += length
            else:
                markers.append(_marker(kind, n))
                n += 1
        return markers

    def all(self, *values, using: str = "default") -> list:
        shape = []
        for value, kind in zip(values, self.types, strict=True):
            if kind is list:
                if not 0 < len(value) <= _MAX_LIST or not all(_fits(i, int) for i in value):
                    return self._orm(values, using)
                shape.append(len(value))
            elif not _fits(value, kind):
                return self._orm(values, using)
            else:
                shape.append(None)
        connection, shape = connections[using], tuple(shape)
        by_shape = self._compiled.get(connection)
        compiled = by_shape.get(shape) if by_shape is not None else None
        if compiled is None:
            markers = self._markers(shape)
            flat = [m for marker in markers for m in (marker if type(marker) is list else [marker])]
            compiled = _Compiled(
                self.build(*markers), tuple(flat), connection, timestamps=self.timestamps
            )
            with self._lock:
                self._compiled.setdefault(connection, {})[shape] = compiled
        flat = [v for value in values for v in (value if type(value) is list else [value])]
        return compiled.rows(flat, connection)

    def _orm(self, values, using: str) -> list:
        return list(self.build(*values).using(using))


# Marker bounds of a compiled page (`LIMIT <limit> OFFSET <offset>` in the SQL Django writes).
_PAGE_OFFSET, _PAGE_LIMIT = 7_300_000_001, 7_300_000_003


class PreparedPage(_PerConnection):
    """A page of a QuerySet ordered by its primary key, its SQL compiled once per database
    connection: `build(*values)` is that QuerySet (no slicing, annotations, prefetching or
    `select_related`; its `only()`/`defer()` kept); `page(*values, offset=, limit=)` returns
    the instances of `build(*values)[offset:offset + limit]`.

    The page is read as `pk IN (SELECT pk … ORDER BY pk LIMIT … OFFSET …) ORDER BY pk`: the
    rows before the page are walked for their primary keys only (from an index, where one
    covers the filters) and only the page's own rows are loaded. The same rows in the same
    order as the slice, in one statement. A marker may be bound several times (a subquery
    repeating a value); a value of another type than compiled runs through the ORM.
    """

    def _queryset(self, values, offset: int, limit: int) -> models.QuerySet:
        queryset = self.build(*values)
        pks = queryset.order_by("pk").values("pk")[offset : offset + limit]
        page = queryset.model._base_manager.filter(pk__in=pks).order_by("pk")
        page.query.deferred_loading = queryset.query.deferred_loading
        return page

    def _compile(self, connection) -> _PageCompiled:
        queryset = self._queryset(self.markers, _PAGE_OFFSET, _PAGE_LIMIT - _PAGE_OFFSET)
        return _PageCompiled(queryset, self.markers, connection)

    def page(self, *values, offset: int, limit: int, using: str = "default") -> list:
        if limit <= 0:
            return []
        if not all(_fits(value, kind) for value, kind in zip(values, self.types, strict=True)):
            return list(self._queryset(values, offset, limit).using(using))
        connection = connections[using]
        compiled = self.compiled(connection)
        params = compiled.params.copy()
        for slots, adapt, value in zip(compiled.slots, compiled.adapt, values, strict=True):
            for slot in slots:
                params[slot] = value if adapt is None else adapt(value)
        params[compiled.limit_slot], params[compiled.offset_slot] = limit, offset
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows = _converted(cursor.fetchall(), compiled.convert, connection)
        return _instances(
            compiled.model, compiled.plain, using, compiled.fields, rows, compiled.start,
            compiled.end,
        )  # fmt: skip


class _PageCompiled:
    __slots__ = (
        "adapt", "convert", "end", "fields", "limit_slot", "model", "offset_slot", "params",
        "plain", "slots", "sql", "start",
    )  # fmt: skip

    def __init__(self, queryset: models.QuerySet, markers: tuple, connection):
        compiler = queryset.query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        bounds = f"LIMIT {_PAGE_LIMIT - _PAGE_OFFSET} OFFSET {_PAGE_OFFSET}"
        if sql.count(bounds) != 1 or "%%" in sql:
            raise ValueError(f"The page's bounds are not written once as {bounds!r}.")
        at = sql.index(bounds)
        before = sql[:at].count("%s")
        sql = sql[:at] + "LIMIT %s OFFSET %s" + sql[at + len(bounds) :]
        params = [*params[:before], None, None, *params[before:]]
        self.limit_slot, self.offset_slot = before, before + 1
        self.slots, self.adapt = _slots(params, markers, once=False)
        if compiler.klass_info.get("related_klass_infos"):
            raise ValueError("A page reads no related rows (select_related).")
        select = compiler.select
        self.sql, self.params = sql, params
        self.model = compiler.klass_info["model"]
        self.plain = _plain(self.model)
        start = compiler.klass_info["select_fields"][0]
        end = compiler.klass_info["select_fields"][-1] + 1
        self.start, self.end = start, end
        self.fields = [column[0].target.attname for column in select[start:end]]
        converters = compiler.get_converters([s[0] for s in select[: compiler.col_count]])
        self.convert = list(converters.items())
