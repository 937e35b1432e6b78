"""Lookups run on every request, their SQL compiled once.

Each API call starts with the same few reads by key (the caller's token, the URL's channel, the
URL's row). Django builds each of them afresh: a QuerySet, its joins, its `select_related`
columns, its SQL text and its converters, about 0.3–0.7 ms of CPU per lookup, where the
statement itself runs in a fraction of that. `PreparedLookup` compiles its QuerySet once per
database connection with marker values, then runs the same SQL with the request's values and
builds the instances the way Django's `ModelIterable` does (`from_db`, the `select_related`
populators, the column converters): the same statement, the same objects, read from the
database every time (nothing is cached but the SQL and how to read its rows).

A value of another type than its marker (a str where an int was compiled) is not substituted:
the QuerySet runs through the ORM as before, so its lookups convert or refuse the value as
they always did.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable

from django.db import connections, models
from django.db.models.query import get_related_populators

# Values no caller sends; found in the compiled parameters to know where each value goes. The
# integer fits a 32-bit column (`auth_user.id`): beyond a column's range PostgreSQL's lookups
# compile to nothing (`EmptyResultSet`) rather than to a parameter.
_MARKERS = {int: -2_073_000_001, str: "\x1fpazar-prepared-{}\x1f"}


class _Compiled:
    __slots__ = ("convert", "end", "fields", "model", "params", "related", "slots", "sql", "start")

    def __init__(self, queryset: models.QuerySet, markers: tuple, connection):
        compiler = queryset.query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        slots = []
        for marker in markers:
            found = [i for i, param in enumerate(params) if param == marker]
            if len(found) != 1:
                raise ValueError(f"The marker {marker!r} is bound {len(found)} times, not once.")
            slots.append(found[0])
        klass_info, select = compiler.klass_info, compiler.select
        self.sql, self.params, self.slots = sql, list(params), slots
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
        self.markers = tuple(
            _MARKERS[kind].format(i) if kind is str else _MARKERS[kind] - i
            for i, kind in enumerate(types)
        )
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
        for slot, value in zip(compiled.slots, values, strict=True):
            params[slot] = value
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


class PreparedRows(PreparedLookup):
    """`build(*values)` is a `values_list()` QuerySet; `rows(*values)` returns its rows as tuples,
    its SQL compiled once per database connection as for `PreparedLookup` (the same statement
    and the same converted values; every call reads the database).

    `PreparedRows(lambda pk: Permission.objects.filter(user=pk).values_list("codename"), int)`
    """

    def compiled(self, connection) -> _CompiledRows:
        compiled = self._compiled.get(connection)
        if compiled is None:
            compiled = _CompiledRows(self.build(*self.markers), self.markers, connection)
            with self._lock:
                self._compiled[connection] = compiled
        return compiled

    def get(self, *values, using: str = "default"):
        raise TypeError("PreparedRows reads rows: call rows().")

    def rows(self, *values, using: str = "default") -> list[tuple]:
        if any(type(value) is not kind for value, kind in zip(values, self.types, strict=True)):
            return list(self.build(*values).using(using))
        connection = connections[using]
        compiled = self.compiled(connection)
        params = compiled.params.copy()
        for slot, value in zip(compiled.slots, values, strict=True):
            params[slot] = value
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows = cursor.fetchall()
        if not compiled.convert:
            return [tuple(row) for row in rows]
        converted = []
        for row in rows:
            row = list(row)
            for position, (converters, expression) in compiled.convert:
                value = row[position]
                for converter in converters:
                    value = converter(value, expression, connection)
                row[position] = value
            converted.append(tuple(row))
        return converted


class _CompiledRows:
    __slots__ = ("convert", "params", "slots", "sql")

    def __init__(self, queryset: models.QuerySet, markers: tuple, connection):
        compiler = queryset.query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        slots = []
        for marker in markers:
            found = [i for i, param in enumerate(params) if param == marker]
            if len(found) != 1:
                raise ValueError(f"The marker {marker!r} is bound {len(found)} times, not once.")
            slots.append(found[0])
        self.sql, self.params, self.slots = sql, list(params), slots
        select = compiler.select
        converters = compiler.get_converters([s[0] for s in select[: compiler.col_count]])
        self.convert = list(converters.items())
