"""Filters several Omnitron resources share: related rows by pk, products by SKU, `sort`."""

import django_filters

from pazar.api.filters import IntegerFilter, IntegerInFilter


class CharInFilter(django_filters.BaseInFilter, django_filters.CharFilter):
    pass


class RelatedPk:
    """`<name>`, `<name>__pk`, `<name>__in`, `<name>__pk__in` filters on `<name>_id`.

    An unknown pk matches nothing (rather than a 400, as a model-choice filter would answer).
    """

    def __init__(self, name: str) -> None:
        self.column = f"{name}_id"

    def exact(self) -> IntegerFilter:
        return IntegerFilter(field_name=self.column)

    def any_of(self) -> IntegerInFilter:
        return IntegerInFilter(field_name=self.column, lookup_expr="in")


def sort_filter(*fields: str) -> django_filters.OrderingFilter:
    """`sort=<field>` (`-<field>` descending), as Omnitron's clients send it (`sort=id`)."""
    names = {"id": "id", "created_date": "created_at", "modified_date": "updated_at"}
    names.update((field, field) for field in fields)
    return django_filters.OrderingFilter(
        fields=[(column, name) for name, column in names.items()],
        help_text="Order by a field; `-field` reverses.",
    )
