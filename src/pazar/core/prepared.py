"""Lookups run on every request, their SQL compiled once.

Each API call starts with the same few reads by key (the caller's token, the URL's channel, the
URL's row). Django builds each of them afresh: a QuerySet, its joins, its `select_related`
columns, its SQL text and its converters, about 0.3–0.7 ms of CPU per lookup, where the
statement itself runs in a fraction of that. `PreparedLookup` compiles its QuerySet once per
database connection with marker values, then runs the same SQL with the request's values and
builds the instances the way Django's `ModelIterable` does (`from_db`, the `select_related`
populators, the column converters): the same statement, the same objects, read from the
database every time (nothing is cached but the SQL and how to read its rows).

Markers are of three types: int, str and `uuid.UUID` (bound as the database keeps it: a UUID,
or its 32 hex digits on SQLite). A value of another type than its marker (a str where an int
was compiled) is not substituted: the QuerySet runs through the ORM as before, so its lookups
convert or refuse the value as they always did.
"""

from __future__ import annotations

import threading
import uuid
import weakref
from collections.abc import Callable

from django.db import connections, models
from django.db.models import signals
from django.db.models.base import ModelState
from django.db.models.query import get_related_populators

# Values no caller sends; found in the compiled parameters to know where each value goes.
_MARKERS = {
    int: -7_300_000_000_000_001,
    str: "\x1fpazar-prepared-{}\x1f",
    uuid.UUID: 0x7A0C_E11E_D0D0_4000_8000_7A0C_E11E_D0D0,
}


def _marker(kind: type, index: int):
    if kind is str:
        return _MARKERS[str].format(index)
    if kind is uuid.UUID:
        return uuid.UUID(int=_MARKERS[uuid.UUID] - index)
    return _MARKERS[kind] - index


def _hex(value: uuid.UUID) -> str:
    return value.hex


class _Compiled:
    __slots__ = ("adapt", "convert", "end", "fields", "model", "params", "related", "slots", "sql",
                 "start")  # fmt: skip

    def __init__(self, queryset: models.QuerySet, markers: tuple, connection):
        compiler = queryset.query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        slots, adapt = [], []
        for marker in markers:
            found = [i for i, param in enumerate(params) if param == marker]
            how = None
            if not found and type(marker) is uuid.UUID:  # a database without a UUID type
                found, how = [i for i, param in enumerate(params) if param == marker.hex], _hex
            if len(found) != 1:
                raise ValueError(f"The marker {marker!r} is bound {len(found)} times, not once.")
            slots.append(found[0])
            adapt.append(how)
        klass_info, select = compiler.klass_info, compiler.select
        self.sql, self.params, self.slots, self.adapt = sql, list(params), slots, adapt
        self.model = klass_info["model"]
        start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        self.start, self.end = start, end
        self.fields = [column[0].target.attname for column in select[start:end]]
        self.related = get_related_populators(klass_info, select, queryset.db)
        converters = compiler.get_converters([s[0] for s in select[: compiler.col_count]])
        self.convert = list(converters.items())


class PreparedLookup:
    """`build(*values)` is a QuerySet of at most one row (a lookup by unique keys; no slicing,
    no annotations, no prefetching). `get(*values)` returns its instance or None.

    `PreparedLookup(lambda key: Token.objects.select_related("user").filter(key=key), str)`
    """

    def __init__(self, build: Callable[..., models.QuerySet], *types: type):
        self.build = build
        self.types = types
        self.markers = tuple(_marker(kind, i) for i, kind in enumerate(types))
        self._compiled: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
        self._lock = threading.Lock()

    def compiled(self, connection) -> _Compiled:
        compiled = self._compiled.get(connection)
        if compiled is None:
            queryset = self.build(*self.markers)
            compiled = _Compiled(queryset, self.markers, connection)
            with self._lock:
                self._compiled[connection] = compiled
        return compiled

    def get(self, *values, using: str = "default"):
        if any(type(value) is not kind for value, kind in zip(values, self.types, strict=True)):
            return self.build(*values).using(using).first()
        connection = connections[using]
        compiled = self.compiled(connection)
        params = compiled.params.copy()
        for slot, adapt, value in zip(compiled.slots, compiled.adapt, values, strict=True):
            params[slot] = value if adapt is None else adapt(value)
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            row = cursor.fetchone()
        if row is None:
            return None
        if compiled.convert:
            row = list(row)
            for position, (converters, expression) in compiled.convert:
                value = row[position]
                for converter in converters:
                    value = converter(value, expression, connection)
                row[position] = value
        instance = compiled.model.from_db(
            using, compiled.fields, row[compiled.start : compiled.end]
        )
        for populator in compiled.related:
            populator.populate(row, instance)
        return instance


# Marker bounds of a compiled page (`LIMIT <limit> OFFSET <offset>` in the SQL Django writes).
_PAGE_OFFSET, _PAGE_LIMIT = 7_300_000_001, 7_300_000_003


class PreparedPage:
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

    def __init__(self, build: Callable[..., models.QuerySet], *types: type):
        self.build = build
        self.types = types
        self.markers = tuple(
            _MARKERS[kind].format(i) if kind is str else _MARKERS[kind] - i
            for i, kind in enumerate(types)
        )
        self._compiled: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
        self._lock = threading.Lock()

    def _queryset(self, values, offset: int, limit: int) -> models.QuerySet:
        queryset = self.build(*values)
        pks = queryset.order_by("pk").values("pk")[offset : offset + limit]
        page = queryset.model._base_manager.filter(pk__in=pks).order_by("pk")
        page.query.deferred_loading = queryset.query.deferred_loading
        return page

    def compiled(self, connection) -> _PageCompiled:
        compiled = self._compiled.get(connection)
        if compiled is None:
            queryset = self._queryset(self.markers, _PAGE_OFFSET, _PAGE_LIMIT - _PAGE_OFFSET)
            compiled = _PageCompiled(queryset, self.markers, connection)
            with self._lock:
                self._compiled[connection] = compiled
        return compiled

    def page(self, *values, offset: int, limit: int, using: str = "default") -> list:
        if limit <= 0:
            return []
        if any(type(value) is not kind for value, kind in zip(values, self.types, strict=True)):
            return list(self._queryset(values, offset, limit).using(using))
        connection = connections[using]
        compiled = self.compiled(connection)
        params = compiled.params.copy()
        for slots, value in zip(compiled.slots, values, strict=True):
            for slot in slots:
                params[slot] = value
        params[compiled.limit_slot], params[compiled.offset_slot] = limit, offset
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows = cursor.fetchall()
        fields, start, end = compiled.fields, compiled.start, compiled.end
        model, state = compiled.model, ModelState
        # A model of Django's own `__init__` and `from_db`, no init signal listening: its
        # instance is what `from_db` builds (the loaded columns in `__dict__`, the others
        # deferred), without `__init__`'s walk over every field.
        plain = compiled.plain and not (
            signals.pre_init.has_listeners(model) or signals.post_init.has_listeners(model)
        )
        instances = []
        for row in rows:
            if compiled.convert:
                row = list(row)
                for position, (converters, expression) in compiled.convert:
                    value = row[position]
                    for converter in converters:
                        value = converter(value, expression, connection)
                    row[position] = value
            if not plain:
                instances.append(model.from_db(using, fields, row[start:end]))
                continue
            instance = model.__new__(model)
            instance._state = state()
            instance._state.adding, instance._state.db = False, using
            instance.__dict__.update(zip(fields, row[start:end], strict=True))
            instances.append(instance)
        return instances


class _PageCompiled:
    __slots__ = (
        "convert", "end", "fields", "limit_slot", "model", "offset_slot", "params", "plain",
        "slots", "sql", "start",
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
        self.slots = []
        for marker in markers:
            found = [i for i, param in enumerate(params) if param == marker]
            if not found:
                raise ValueError(f"The marker {marker!r} is not bound.")
            self.slots.append(found)
        if compiler.klass_info.get("related_klass_infos"):
            raise ValueError("A page reads no related rows (select_related).")
        select = compiler.select
        self.sql, self.params = sql, params
        self.model = compiler.klass_info["model"]
        self.plain = (
            self.model.__init__ is models.Model.__init__
            and self.model.from_db.__func__ is models.Model.from_db.__func__
        )
        start = compiler.klass_info["select_fields"][0]
        end = compiler.klass_info["select_fields"][-1] + 1
        self.start, self.end = start, end
        self.fields = [column[0].target.attname for column in select[start:end]]
        converters = compiler.get_converters([s[0] for s in select[: compiler.col_count]])
        self.convert = list(converters.items())
