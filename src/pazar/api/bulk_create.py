"""POST of one object or of a list of up to PAZAR_BULK_MAX_ITEMS, applied all-or-nothing.

A view mixes in `BulkCreateMixin` before its generic view and defines `bulk_write(rows)`, which
calls one bulk service with the validated rows and returns the written pks in row order. A
single object is answered with an object (errors as `{field: [...]}`); a list with a list (errors
as DRF's ListSerializer gives them, by row index: `{"1": {"price": ["…"]}}`).
"""

from __future__ import annotations

from contextlib import contextmanager

from drf_spectacular.utils import PolymorphicProxySerializer
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from pazar.api.bulk import validate_bulk_list
from pazar.core.errors import RowsInvalid


@contextmanager
def errors_for(single: bool):
    """Answer the errors of a one-object body as that object's errors, not as a list of one."""
    try:
        yield
    except (ValidationError, RowsInvalid) as error:
        if single and isinstance(error.detail, dict) and set(error.detail) <= {0, "0"}:
            raise ValidationError(next(iter(error.detail.values()))) from None
        raise


class BulkCreateMixin:
    def bulk_write(self, rows: list[dict]) -> list[int]:
        raise NotImplementedError

    def create(self, request, *args, **kwargs):
        single = isinstance(request.data, dict)
        items = validate_bulk_list(request.data, allow_single=True)
        with errors_for(single):
            serializer = self.get_serializer(data=items, many=True)
            serializer.is_valid(raise_exception=True)
            pks = self.bulk_write(serializer.validated_data)
        written = self.get_queryset().in_bulk(pks)
        data = self.get_serializer([written[pk] for pk in pks], many=True).data
        return Response(data[0] if single else data, status=status.HTTP_201_CREATED)


def one_or_many(serializer_class, component_name: str) -> PolymorphicProxySerializer:
    """The OpenAPI body of a bulk create: one object, or a list of them."""
    return PolymorphicProxySerializer(
        component_name=component_name,
        serializers=[serializer_class, serializer_class(many=True)],
        resource_type_field_name=None,
        many=False,
    )
