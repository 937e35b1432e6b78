"""Bulk writes of keyed rows: per-row errors, and upserts that only overwrite what a row gives.

Rows are dicts by model field name (a foreign key by its field name, holding the pk). A row may
leave optional fields out: a new row takes the default given for them, an existing row keeps its
stored value. Rows that give the same set of fields share one `INSERT … ON CONFLICT` statement,
so a typical call is one statement whatever the number of rows.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from operator import itemgetter

from django.db import models
from django.utils import timezone

from pazar.core.errors import RowErrors
from pazar.core.sql import upsert

# Ids per `IN (…)` query: far below SQLite's bound-parameter limit.
IN_CHUNK = 5000


def chunks(values: Iterable, size: int = IN_CHUNK) -> Iterator[list]:
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start : start + size]


def existing_pks(
    model: type[models.Model], pks: Iterable[int], *, known: Collection[int] = ()
) -> set[int]:
    """Which of `pks` name rows of `model`. Those in `known` (rows the caller has read in this
    transaction) are not looked up; the others take one query per IN_CHUNK ids."""
    found: set[int] = set()
    unknown: set[int] = set()
    for pk in pks:
        (found if pk in known else unknown).add(pk)
    for chunk in chunks(unknown):
        found.update(model.objects.filter(pk__in=chunk).values_list("pk", flat=True))
    return found


def stored_rows(
    model: type[models.Model], *, key: Sequence[str], pairs: Iterable[tuple], values: Sequence[str]
) -> dict[tuple, tuple]:
    """`{key values: (values…)}` of the stored rows among `pairs` (two-column keys)."""
    pairs = set(pairs)
    first, second = (model._meta.get_field(name).attname for name in key)
    stored: dict[tuple, tuple] = {}
    for chunk in chunks({pair[0] for pair in pairs}):
        rows = model.objects.filter(
            **{f"{first}__in": chunk, f"{second}__in": {pair[1] for pair in pairs}}
        ).values_list(first, second, *values)
        for row in rows:
            if row[:2] in pairs:
                stored[row[:2]] = row[2:]
    return stored


def repeated(rows: Sequence[dict], key: Sequence[str]) -> Iterator[int]:
    """Indices of rows whose key an earlier row already has."""
    seen: set[tuple] = set()
    for index, row in enumerate(rows):
        value = tuple(row[name] for name in key)
        if value in seen:
            yield index
        seen.add(value)


def upsert_given(
    model: type[models.Model],
    *,
    rows: Sequence[dict],
    key: Sequence[str],
    required: Sequence[str],
    optional: dict[str, object],
    returning: bool = True,
) -> list[int] | None:
    """Insert or update `rows` by `key`; return their pks in row order (None, and no pks read
    back, when not `returning`).

    Every row carries `key` and `required`; `optional` maps the other fields to the value a new
    row gets when it does not give them (copied for mutable values). On conflict only `required`,
    the optional fields the row gives and `updated_at` are overwritten. Rows are written in key
    order, so concurrent writers take their row locks in the same order.
    """
    now = timezone.now()
    groups: dict[tuple, list[int]] = {}
    given_by_shape: dict[tuple, tuple] = {}  # rows of a call usually share their keys' order
    for index, row in enumerate(rows):
        shape = tuple(row)
        given = given_by_shape.get(shape)
        if given is None:
            given = given_by_shape[shape] = tuple(name for name in optional if name in row)
        groups.setdefault(given, []).append(index)
    key_of = _values_of(key)
    pk_of: dict[tuple, int] = {}
    for given, indices in groups.items():
        indices.sort(key=lambda index: key_of(rows[index]))
        # A field the rows leave out whose column has the same database default is not sent.
        defaults = {
            name: default
            for name, default in optional.items()
            if name not in given and not _database_default_is(model, name, default)
        }
        columns = [*key, *required, *given, *defaults, "created_at", "updated_at"]
        values_of = _values_of([*key, *required, *given])
        mutable = any(isinstance(default, (dict, list)) for default in defaults.values())
        values = [
            (
                *values_of(rows[index]),
                *(
                    [_fresh(default) for default in defaults.values()]
                    if mutable
                    else defaults.values()
                ),
                now,
                now,
            )
            for index in indices
        ]
        written = upsert(
            model,
            columns=columns,
            rows=values,
            conflict=key,
            update=[*required, *given, "updated_at"],
            returning=["id", *key] if returning else [],
        )
        for pk, *key_values in written:
            pk_of[tuple(key_values)] = pk
    return [pk_of[key_of(row)] for row in rows] if returning else None


def _values_of(names: Sequence[str]):
    """A function giving a row's values of `names`, as a tuple."""
    if len(names) == 1:
        name = names[0]
        return lambda row: (row[name],)
    return itemgetter(*names)


def _database_default_is(model: type[models.Model], name: str, default) -> bool:
    """Whether the column of `name` has a database default equal to `default` (a nullable
    column without one defaults to NULL)."""
    field = model._meta.get_field(name)
    db_default = field.db_default
    if db_default is models.NOT_PROVIDED:
        return default is None and field.null
    value = getattr(db_default, "value", db_default)
    return value == default


def _fresh(default):
    return default.copy() if isinstance(default, (dict, list)) else default


@dataclass
class CheckedRows:
    """Rows checked by an owning app's `…_check` service, nothing written yet: `rows` as they
    will be written (by model field name), `errors` by row."""

    rows: list[dict]
    errors: RowErrors


def upsert_checked(
    model: type[models.Model],
    *,
    checked: CheckedRows,
    only: Iterable[int] | None,
    key: Sequence[str],
    required: Sequence[str],
    optional: dict[str, object],
) -> list[int | None]:
    """`upsert_given` of the checked rows without errors (and, given `only`, among those
    indices); the pk of each row, None for a row not written.

    The owning apps' write services around it run in their caller's transaction without a
    savepoint of their own (`atomic(savepoint=False)`): their rows were checked before, so
    what fails here is the database, and a failed write fails the caller's whole transaction
    (PostgreSQL aborts it anyway). A batch saves a round trip per write, twice.
    """
    chosen = range(len(checked.rows)) if only is None else sorted(set(only))
    failed = checked.errors.rows
    indices = [i for i in chosen if not failed[i]]
    pks = upsert_given(
        model,
        rows=[checked.rows[i] for i in indices],
        key=key,
        required=required,
        optional=optional,
    )
    written: list[int | None] = [None] * len(checked.rows)
    for index, pk in zip(indices, pks, strict=True):
        written[index] = pk
    return written
