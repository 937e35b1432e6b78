"""Case-sensitive `contains` / `startswith` / `endswith` on SQLite.

SQLite's LIKE ignores ASCII case, so Django's `contains` behaves like `icontains` there. The
APIs promise case-sensitive lookups (Seller Center §1.7), so on SQLite these lookups keep the
LIKE (which can still use an index for prefixes) and add an exact, case-sensitive check.
PostgreSQL is untouched.
"""

from django.db.models import CharField, TextField, lookups
from django.db.models.expressions import Expression


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


def register() -> None:
    for field in (CharField, TextField):
        for lookup in (Contains, StartsWith, EndsWith):
            field.register_lookup(lookup)
