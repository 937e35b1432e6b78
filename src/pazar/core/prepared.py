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
from django.db.models.query import ModelIterable, ValuesListIterable, get_related_populators

# Values no caller sends; found in the compiled parameters to know where each value goes.
_MARKERS = {int: -7_300_000_000_000_001, str: "\x1fpazar-prepared-{}\x1f"}


class _Compiled:
    __slots__ = (
        "convert", "end", "fields", "model", "order", "params", "related", "slots", "sql", "start"
    )  # fmt: skip

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
        converters = compiler.get_converters([s[0] for s in select[: compiler.col_count]])
        self.convert = list(converters.items())
        self.order = None
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

    def rows(self, values, connection) -> list:
        """Run the statement with `values` in the markers' slots: its rows, converted, as model
        instances (with their `select_related` rows), or as tuples for `values_list`."""
        params = self.params.copy()
        for slot, value in zip(self.slots, values, strict=True):
            params[slot] = value
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            rows = cursor.fetchall()
        if self.convert:
            converted = []
            for row in rows:
                row = list(row)
                for position, (converters, expression) in self.convert:
                    value = row[position]
                    for converter in converters:
                        value = converter(value, expression, connection)
                    row[position] = value
                converted.append(row)
            rows = converted
        if self.model is None:
            if self.order is not None:
                return [tuple(row[i] for i in self.order) for row in rows]
            return [tuple(row) for row in rows]
        using, instances = connection.alias, []
        for row in rows:
            instance = self.model.from_db(using, self.fields, row[self.start : self.end])
            for populator in self.related:
                populator.populate(row, instance)
            instances.append(instance)
        return instances


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
        rows = self.compiled(connection).rows(values, connection)
        return rows[0] if rows else None


# Longer lists go through the ORM: a statement is kept per list length, and these are few.
_MAX_LIST = 64


class PreparedQuery:
    """A QuerySet of any number of rows, its SQL compiled once per database connection and per
    length of each list it is given: `build(*values)` takes plain values (`int`, `str`) and
    lists of ints (`pk__in=…`, given as the type `list`); `all(*values)` returns its instances
    (with their `select_related` rows) in its order, or its tuples for a `values_list`. No
    slicing, prefetching or annotations on model rows. An empty list, a list longer than
    `_MAX_LIST` or a value of another type than declared goes through the ORM as before.

    `PreparedQuery(lambda pks: Package.objects.filter(pk__in=pks).order_by("pk"), list)`
    """

    def __init__(self, build: Callable[..., models.QuerySet], *types: type):
        self.build = build
        self.types = types
        self._compiled: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
        self._lock = threading.Lock()

    def _markers(self, shape: tuple) -> list:
        markers, n = [], 0
        for kind, length in zip(self.types, shape, strict=True):
            if kind is list:
                markers.append([_MARKERS[int] - n - i for i in range(length)])
                n += length
            else:
                markers.append(_MARKERS[kind].format(n) if kind is str else _MARKERS[kind] - n)
                n += 1
        return markers

    def all(self, *values, using: str = "default") -> list:
        shape = []
        for value, kind in zip(values, self.types, strict=True):
            if kind is list:
                if not 0 < len(value) <= _MAX_LIST or any(type(item) is not int for item in value):
                    return self._orm(values, using)
                shape.append(len(value))
            elif type(value) is not kind:
                return self._orm(values, using)
            else:
                shape.append(None)
        connection, shape = connections[using], tuple(shape)
        by_shape = self._compiled.get(connection)
        compiled = by_shape.get(shape) if by_shape is not None else None
        if compiled is None:
            markers = self._markers(shape)
            flat = [m for marker in markers for m in (marker if type(marker) is list else [marker])]
            compiled = _Compiled(self.build(*markers), tuple(flat), connection)
            with self._lock:
                self._compiled.setdefault(connection, {})[shape] = compiled
        flat = [v for value in values for v in (value if type(value) is list else [value])]
        return compiled.rows(flat, connection)

    def _orm(self, values, using: str) -> list:
        queryset = self.build(*values).using(using)
        return list(queryset)
