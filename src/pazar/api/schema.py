"""The OpenAPI description of every operation, errors included.

drf-spectacular documents what a view answers when all goes well; `AutoSchema` adds the
refusals each operation can really answer, with the bodies `pazar.api.exceptions` sends:

- 400 when the operation reads a body, query or path parameters (a NUL character in the URL is
  refused before routing, `pazar.api.middleware`), or is a write that a domain rule can refuse: field errors (`{"field": ["message"]}`, rows and nested objects in the same shape),
  or `{"detail", "code"}` for a body that cannot be read or a broken rule;
- 401 when it authenticates its callers (a missing, unknown or expired credential);
- 403 when a permission beyond being signed in is checked;
- 404 when the path names an object, or a paginated list is asked for a page past its last;
- 429 when a rate limit (seed 004) or the login throttle applies to it.

A view that documents a status itself (`@extend_schema(responses=...)`) keeps its own.

Requests are described as the server reads them: a list body (`pazar.api.bulk`) holds 1 to
`PAZAR_BULK_MAX_ITEMS` items, a text field that may not be blank needs a character other than
whitespace (DRF trims it), a list field that may not be empty has an item, a comma-separated
query list says that an empty value is the empty list, and a DELETE that
declares a body (PRD103) documents it. A batch view (`rows_checked_later = True`) checks
only the list on receipt and each row later, reporting its errors in the batch's error file:
its rows are documented as the shape that succeeds, within any object the server accepts.
"""

from __future__ import annotations

import copy

import django_filters
from django.conf import settings
from drf_spectacular import openapi
from drf_spectacular.plumbing import ResolvedComponent
from rest_framework import permissions, serializers

from pazar.api.filters import IntegerFilter, strict_filter
from pazar.api.throttling import FamilyRateThrottle

ERROR = {
    "type": "object",
    "description": "A single error: what went wrong, and a stable machine-readable code.",
    "properties": {
        "detail": {"type": "string"},
        "code": {"type": "string"},
    },
    "required": ["detail", "code"],
}
FIELD_ERRORS = {
    "type": "object",
    "description": (
        "Field errors: each field in error names its messages (a nested object or a row of a "
        "list names its own field errors the same way); `non_field_errors` is about the body "
        "as a whole."
    ),
    "additionalProperties": {},
}
# Validation of a list (a list body, a `many` serializer) may answer one entry per item.
VALIDATION_ERROR = {
    "anyOf": [
        {"$ref": "#/components/schemas/Error"},
        {"$ref": "#/components/schemas/FieldErrors"},
        {"type": "array", "items": {}},
    ]
}
DESCRIPTIONS = {
    "400": "The request is invalid: field errors, or a rule of the domain that refuses it.",
    "401": "No valid credentials: the token is missing, unknown or expired.",
    "403": "The caller may not do this.",
    "404": "No such object for this caller (or no such page of the list).",
    "429": "Too many requests; `Retry-After` says how many seconds to wait.",
}
NOT_DECLARED = object()
NUMBER_FILTER_MAX = 1e50  # django_filters.NumberFilter.get_max_validator
OPEN_PERMISSIONS = (permissions.AllowAny, permissions.IsAuthenticated)
WRITE_METHODS = {"POST", "PUT", "PATCH"}


class AutoSchema(openapi.AutoSchema):
    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        self.bound_number_filters(operation)
        describe_empty_lists(operation)
        for content in operation.get("requestBody", {}).get("content", {}).values():
            bound_list_body(self.dereference(content.get("schema", {})))
            if getattr(self.view, "rows_checked_later", False):
                rows_checked_later(content.get("schema", {}))
        responses = operation["responses"]
        for status, schema in self.error_responses(operation).items():
            if status in responses:
                continue
            responses[status] = {
                "description": DESCRIPTIONS[status],
                "content": {"application/json": {"schema": schema}},
            }
            if status == "429":
                responses[status]["headers"] = {
                    "Retry-After": {
                        "schema": {"type": "integer"},
                        "description": "Seconds until the limit allows the next request.",
                    }
                }
        operation["responses"] = dict(sorted(responses.items()))
        return operation

    def bound_number_filters(self, operation: dict) -> None:
        """Number filters as the server reads them (`pazar.api.filters.strict_filter`): whole
        numbers for an integer column, else decimals up to 1e50 (django-filter's bound)."""
        filterset_class = getattr(self.view, "filterset_class", None)
        if filterset_class is None:
            return
        model = filterset_class._meta.model
        numbers = {}
        for name, declared in filterset_class.base_filters.items():
            if isinstance(declared, django_filters.NumberFilter):
                numbers[name] = strict_filter(copy.deepcopy(declared), model)
        for parameter in operation.get("parameters", []):
            if parameter["in"] != "query" or parameter["name"] not in numbers:
                continue
            schema = parameter.get("schema", {})
            schema = schema.get("items", schema) if schema.get("type") == "array" else schema
            if schema.get("type") not in ("number", "integer"):
                continue
            if isinstance(numbers[parameter["name"]], IntegerFilter):
                schema["type"] = "integer"
                schema.pop("maximum", None)
            else:
                schema["type"] = "number"
                schema.setdefault("maximum", NUMBER_FILTER_MAX)

    def dereference(self, schema: dict) -> dict:
        """The component's own schema when `schema` refers to one (one object or a list of them,
        `pazar.api.bulk_create.one_or_many`), else `schema`."""
        for component in self.registry._components.values():
            if component.schema is not None and component.ref == schema:
                return component.schema
        return schema

    def _get_request_body(self, direction="request"):
        if self.method != "DELETE" or not self.declares_request():
            return super()._get_request_body(direction)
        # drf-spectacular documents bodies of POST, PUT and PATCH only.
        self.method = "POST"
        try:
            return super()._get_request_body(direction)
        finally:
            self.method = "DELETE"

    def declares_request(self) -> bool:
        """Whether `@extend_schema(request=...)` named this operation's body."""
        self._probing_request = True
        try:
            return self.get_request_serializer() is not NOT_DECLARED
        finally:
            self._probing_request = False

    def get_request_serializer(self):
        if getattr(self, "_probing_request", False):
            return NOT_DECLARED
        return super().get_request_serializer()

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if not isinstance(schema, dict):
            return schema
        drop_python_only_pattern(schema)
        if direction != "request":
            return schema
        if (
            isinstance(field, serializers.CharField)
            and not field.allow_blank
            and field.trim_whitespace
            and schema.get("type") == "string"
            and "pattern" not in schema
            and "enum" not in schema
        ):
            schema["pattern"] = r"\S"
        if (
            isinstance(field, serializers.ListField | serializers.ListSerializer)
            and not field.allow_empty
            and schema.get("type") == "array"
        ):
            schema["minItems"] = max(schema.get("minItems", 0), 1)
        return schema

    def _map_basic_serializer(self, serializer, direction):
        schema = super()._map_basic_serializer(serializer, direction)
        for field_schema in schema.get("properties", {}).values():
            drop_python_only_pattern(field_schema)
        return schema

    def error_responses(self, operation: dict) -> dict[str, dict]:
        error = self.component("Error", ERROR)
        statuses: dict[str, dict] = {}
        if self.can_be_invalid(operation):
            self.component("FieldErrors", FIELD_ERRORS)
            statuses["400"] = VALIDATION_ERROR
        if self.view.get_authenticators():
            statuses["401"] = error
        if any(
            not isinstance(permission, OPEN_PERMISSIONS)
            for permission in self.view.get_permissions()
        ):
            statuses["403"] = error
        if self.names_an_object(operation) or self.is_paginated():
            statuses["404"] = error
        if self.is_rate_limited():
            statuses["429"] = error
        return statuses

    def component(self, name: str, schema: dict) -> dict:
        component = ResolvedComponent(
            name=name, type=ResolvedComponent.SCHEMA, object=name, schema=schema
        )
        self.registry.register_on_missing(component)
        return component.ref

    def can_be_invalid(self, operation: dict) -> bool:
        if "requestBody" in operation or self.method in WRITE_METHODS:
            return True
        return any(p["in"] in {"query", "path"} for p in operation.get("parameters", []))

    @staticmethod
    def names_an_object(operation: dict) -> bool:
        return any(p["in"] == "path" for p in operation.get("parameters", []))

    def is_paginated(self) -> bool:
        return self.method == "GET" and self._is_list_view() and self._get_paginator() is not None

    def is_rate_limited(self) -> bool:
        if getattr(self.view, "login_limited", False):  # limits kept by the login service
            return True
        for throttle in self.view.get_throttles():
            if not isinstance(throttle, FamilyRateThrottle):
                return True
            if getattr(self.view, "throttle_family", None):
                return True
        return False


def describe_empty_lists(operation: dict) -> None:
    """A comma-separated query list sent empty (`?sort=`, `?pk__in=`) is the empty list, which
    filters (or orders) nothing, as django-filter and so Omnitron read it; an empty item of a
    list (`?pk__in=1,,2`) is a 400 for a typed list (`pazar.api.filters.FilterSet.is_valid`)."""
    for parameter in operation.get("parameters", []):
        schema = parameter.get("schema", {})
        if parameter["in"] != "query" or schema.get("type") != "array":
            continue
        if parameter.get("explode", True):
            continue
        empty = f"An empty value (`{parameter['name']}=`) is an empty list: as if left out."
        described = str(parameter.get("description") or "")
        parameter["description"] = f"{described}\n\n{empty}" if described else empty


def bound_list_body(schema: dict) -> None:
    """A list body holds 1 to PAZAR_BULK_MAX_ITEMS items (`pazar.api.bulk.validate_bulk_list`)."""
    if schema.get("type") == "array":
        schema.setdefault("minItems", 1)
        schema.setdefault("maxItems", settings.PAZAR_BULK_MAX_ITEMS)
    for key in ("oneOf", "anyOf"):
        for option in schema.get(key, []):
            bound_list_body(option)


def rows_checked_later(schema: dict) -> None:
    items = schema.get("items")
    if schema.get("type") != "array" or not items:
        return
    schema["items"] = {
        "anyOf": [items, {"type": "object"}],
        "description": (
            "A row. Rows are checked after the batch is accepted: a row in the documented "
            "shape is applied, any other object is reported in the batch's error file."
        ),
    }


def drop_python_only_pattern(schema: dict) -> None:
    """Python's `\\w` is any letter (a username may be `ßG`), JSON Schema's only ASCII: such a
    pattern would refuse what the server takes and sends. The field's description says it."""
    if "\\w" in schema.get("pattern", ""):
        del schema["pattern"]
