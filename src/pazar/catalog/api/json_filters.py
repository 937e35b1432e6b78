"""Filters on keys of a product's JSON objects: `attributes__color=red` (omnitron.md §1, §4).

`<field>__<key>[__<key>…][__<lookup>]=<value>`: the path may go into nested objects
(`attributes_kwargs__COLOR__label=Red`); the lookup is one of `LOOKUPS` (`exact` when left
out). A key is matched as sent or upper-cased, since attribute keys are stored upper-case.
Query values are text: `exact` and `in` also match the number or boolean the text spells
(`attributes__SIZE=42` finds 42 and "42"). A repeated parameter matches any of its values.
"""

from __future__ import annotations

import functools
import math
import operator

from django.db.models import Q, QuerySet
from django.db.models.fields.json import KT
from rest_framework.exceptions import ValidationError

LOOKUPS = frozenset(
    {"exact", "iexact", "contains", "icontains", "startswith", "istartswith", "in", "gt",
     "gte", "lt", "lte", "isnull"}
)  # fmt: skip
COMPARISONS = frozenset({"gt", "gte", "lt", "lte"})


def _scalars(text: str) -> list:
    """The JSON values a query text may stand for: itself, and a number or boolean it spells."""
    if text in {"true", "false"}:
        return [text, text == "true"]
    for kind in (int, float):
        try:
            number = kind(text)
        except ValueError:
            continue
        # JSON has no infinities or NaN ("1e400", "nan"): such a text is only text.
        return [text, number] if math.isfinite(number) else [text]
    return [text]


def _any(conditions) -> Q:
    return functools.reduce(operator.or_, conditions, Q(pk__in=[]))


def _condition(path: str, lookup: str, text: str, text_alias: str) -> Q:
    if lookup == "exact":
        return _any(Q(**{path: value}) for value in _scalars(text))
    if lookup == "in":
        items = [item for item in text.split(",") if item]
        return _any(Q(**{path: value}) for item in items for value in _scalars(item))
    if lookup == "isnull":
        if text.lower() not in {"true", "false"}:
            raise ValueError("Enter true or false.")
        return Q(**{f"{path}__isnull": text.lower() == "true"})
    if lookup in COMPARISONS:
        return Q(**{f"{path}__{lookup}": _scalars(text)[-1]})
    if lookup == "contains":
        # On a key, Django's `contains` is JSON containment; this is a text match like the rest.
        return Q(**{f"{text_alias}__contains": text})
    return Q(**{f"{path}__{lookup}": text})


def json_key_filter(
    queryset: QuerySet, field: str, param: str, texts: list[str], *, position: int = 0
) -> QuerySet:
    """`queryset` narrowed by one `<field>__…` query parameter (its repeated values ORed).

    `position` tells this parameter from the others of the request (for the aliases it adds).
    """
    parts = param[len(field) + 2 :].split("__")
    lookup = parts.pop() if len(parts) > 1 and parts[-1] in LOOKUPS else "exact"
    if not all(parts):
        raise ValidationError({param: [f"Name a key: {field}__<key>=<value>."]})
    conditions = []
    for number, key in enumerate(dict.fromkeys([parts[0], parts[0].upper()])):
        path = "__".join([field, key, *parts[1:]])
        text_alias = f"_json_text_{position}_{number}"
        if lookup == "contains":
            queryset = queryset.alias(**{text_alias: KT(path)})
        try:
            conditions += [_condition(path, lookup, text, text_alias) for text in texts]
        except ValueError as error:
            raise ValidationError({param: [str(error)]}) from None
    return queryset.filter(_any(conditions))
