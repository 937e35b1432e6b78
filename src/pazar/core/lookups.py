"""Lookups made safe for what clients send.

Case-sensitive `contains` / `startswith` / `endswith` on SQLite: SQLite's LIKE ignores ASCII
case, so Django's `contains` behaves like `icontains` there. The APIs promise case-sensitive
lookups (Seller Center §1.7), so on SQLite these lookups keep the LIKE (which can still use an
index for prefixes) and add an exact, case-sensitive check. PostgreSQL is untouched.

Integers beyond 64 bits (`?product__in=1e30`-like ids from a client): SQLite's driver raises
OverflowError when binding them, a 500. No integer column holds such a value, so — as Django
already does for `exact` and the comparisons on integer fields — `in` and `range` on integer
fields, and the lookups on foreign keys, treat them as matching nothing (or everything, for
`> -huge`).
"""

from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db.models import CharField, ForeignObject, IntegerField, TextField, lookups
from django.db.models.expressions import Expression
from django.db.models.fields import related_lookups


class _CaseSensitiveOnSqlite:
    # SQL that is true when the column (first %s) matches the raw value (second %s) exactly.
    exact_check = ""

    def as_sqlite(self, compiler, connection):
        sql, params = self.as_sql(compiler, connection)
        if isinstance(self.rhs, Expression) or not isinstance(self.rhs, str):
            return sql, params
        lhs_sql, lhs_params = self.process_lhs(compiler, connection)
        count = self.exact_check.count("%s")  # placeholders of the raw value, not of the column
        check = self.exact_check.replace("{lhs}", lhs_sql)
        return f"({sql} AND {check})", (*params, *lhs_params, *([self.rhs] * count))


class Contains(_CaseSensitiveOnSqlite, lookups.Contains):
    exact_check = "instr({lhs}, %s) > 0"


class StartsWith(_CaseSensitiveOnSqlite, lookups.StartsWith):
    exact_check = "substr({lhs}, 1, length(%s)) = %s"


class EndsWith(_CaseSensitiveOnSqlite, lookups.EndsWith):
    exact_check = "substr({lhs}, -length(%s)) = %s"


INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1


def _unstorable(value) -> bool:
    return isinstance(value, int) and not INT64_MIN <= value <= INT64_MAX


class _InWithoutUnstorable:
    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value() and any(_unstorable(value) for value in self.rhs):
            self.rhs = [value for value in self.rhs if not _unstorable(value)]
        return super().process_rhs(compiler, connection)  # none left: EmptyResultSet


class IntegerIn(_InWithoutUnstorable, lookups.In):
    pass


class RelatedIn(_InWithoutUnstorable, related_lookups.RelatedIn):
    pass


class IntegerRange(lookups.Range):
    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            low, high = self.rhs
            if (isinstance(low, int) and low > INT64_MAX) or (
                isinstance(high, int) and high < INT64_MIN
            ):
                raise EmptyResultSet
            if isinstance(low, int):
                low = max(low, INT64_MIN)
            if isinstance(high, int):
                high = min(high, INT64_MAX)
            self.rhs = (low, high)
        return super().process_rhs(compiler, connection)


class _OutOfRange:
    below, above = EmptyResultSet, EmptyResultSet

    def process_rhs(self, compiler, connection):
        if _unstorable(self.rhs):
            raise self.below if self.rhs < 0 else self.above
        return super().process_rhs(compiler, connection)


class RelatedExact(_OutOfRange, related_lookups.RelatedExact):
    pass


class RelatedGreaterThan(_OutOfRange, related_lookups.RelatedGreaterThan):
    below = FullResultSet


class RelatedGreaterThanOrEqual(_OutOfRange, related_lookups.RelatedGreaterThanOrEqual):
    below = FullResultSet


class RelatedLessThan(_OutOfRange, related_lookups.RelatedLessThan):
    above = FullResultSet


class RelatedLessThanOrEqual(_OutOfRange, related_lookups.RelatedLessThanOrEqual):
    above = FullResultSet


def register() -> None:
    for field in (CharField, TextField):
        for lookup in (Contains, StartsWith, EndsWith):
            field.register_lookup(lookup)
    IntegerField.register_lookup(IntegerIn)
    IntegerField.register_lookup(IntegerRange)
    for lookup in (
        RelatedIn,
        RelatedExact,
        RelatedGreaterThan,
        RelatedGreaterThanOrEqual,
        RelatedLessThan,
        RelatedLessThanOrEqual,
    ):
        ForeignObject.register_lookup(lookup)
