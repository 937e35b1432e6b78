"""Schemathesis against each site's own OpenAPI document, in process, with a real caller's token:
no operation answers a 5xx, and every documented answer has its documented shape.

`make test` runs a few examples per operation (derandomized, so a run is reproducible);
`make fuzz` runs many more, with random seeds (docs/reliability.md, "Bad input").
"""

from __future__ import annotations

import functools
import json
import math
import os
import re
from contextlib import contextmanager
from urllib.parse import parse_qs, urlsplit

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from django.test import Client
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import AcceptedNegativeData, ParameterLocation
from schemathesis.specs.openapi.checks import negative_data_rejection as strict_negative_data

from tests.factories import OperatorFactory, SellerMembershipFactory, operator_token, seller_token

EXAMPLES = int(os.environ.get("PAZAR_FUZZ_EXAMPLES", "3"))
LONG_RUN = "PAZAR_FUZZ_EXAMPLES" in os.environ
# Who calls each site: an operator (a superuser, so that permissions never stop the fuzzer
# before the code under test) or a seller admin.
CALLERS = {"omnitron": "operator", "seller-center": "seller", "whippy-ware": "operator"}

pytestmark = pytest.mark.django_db


@pytest.fixture
def app(settings):
    settings.PAZAR_RATE_LIMITS = None
    return get_wsgi_application()


@contextmanager
def in_test_transaction():
    """Call the WSGI application inside the test's transaction, as Django's test client does:
    the handler's signals would otherwise close the connection after each request. Every
    example is rolled back, so each starts from the same data and a database error cannot
    poison the next one."""
    savepoint = transaction.savepoint()
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
        transaction.savepoint_rollback(savepoint)


# Every check schemathesis has, as configured here:
# - No string holds the NUL character: every site refuses it in a URL or a JSON body with a 400
#   (`pazar.api.middleware`, `pazar.api.parsers`), as the documents' description says.
# - A write whose body matches the document may still be refused (400) for what is stored: a
#   reference to an object that does not exist, a taken name, a password its validators refuse,
#   wrong credentials, an illegal state move. Reads are held to the document alone.
CONFIG = SchemathesisConfig.from_dict(
    {
        "generation": {"allow-x00": False},
        "operations": [
            {
                "include-method": ["POST", "PUT", "PATCH", "DELETE"],
                "checks": {
                    "positive_data_acceptance": {
                        "expected-statuses": ["2xx", "400", "401", "403", "404", "409", "429"]
                    }
                },
            }
        ],
    }
)


def declared_body_types(case, pointer: str) -> set[str]:
    """The types the document declares for the body property that `pointer` (a branch of the
    `anyOf` schemathesis makes of a `nullable` one: `/properties/code/anyOf/1`) belongs to."""
    document = case.operation.schema.raw_schema
    node = case.operation.definition.raw.get("requestBody", {})
    node = next(iter(node.get("content", {}).values()), {}).get("schema", {})
    for part in pointer.strip("/").split("/")[:-2]:
        while isinstance(node, dict) and "$ref" in node:
            node = document["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
        node = node[int(part)] if isinstance(node, list) else node.get(part, {})
    kind = node.get("type") if isinstance(node, dict) else None
    return {kind} if isinstance(kind, str) else set(kind or ())


def harmless(mutation, case=None) -> bool:
    """A mutation that does not reach the server as invalid data: a number where the body takes
    text (nullable or not), a number sent as text where it takes a number or an id, or 1, 0,
    "true" or "false" where it takes a boolean (DRF reads them, as Omnitron does; the documents
    say so); the caller's Authorization header left out or broken (this test always sends a
    valid token). Query mutations are judged by the query as sent (`query_fits_as_sent`)."""
    location, kind = mutation.parameter_location, mutation.keywords
    if location == ParameterLocation.BODY:
        if kind != ("type",):
            return False
        original = mutation.original_value
        kinds = set(original) if isinstance(original, list) else {original}
        if kinds == {"null"} and case is not None and "/anyOf/" in mutation.schema_pointer:
            # The null branch of a nullable field: the field's own type is the document's.
            kinds |= declared_body_types(case, mutation.schema_pointer)
        text_from_number = "string" in kinds and mutation.new_value in ("integer", "number")
        # DRF's integer fields and primary keys read a number sent as text ("5").
        number_from_text = kinds & {"integer", "number"} and mutation.new_value == "string"
        # DRF's booleans also read 1, 0, "true", "false", "yes", "no" (so do Omnitron's).
        boolean_literal = "boolean" in kinds and mutation.new_value in (
            "integer",
            "number",
            "string",
        )
        return bool(text_from_number or number_from_text or boolean_literal)
    if location == ParameterLocation.HEADER:
        named = [mutation.parameter, mutation.original_value, *mutation.path]
        return "authorization" in {str(name).lower() for name in named}
    return False


_JSON_INTEGER = re.compile(r"-?[0-9]+")
_JSON_NUMBER = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?")


def read_query_value(text: str, schema: dict):
    """One query value's text as the document's type reads it; any other text stays text (and
    fails the type)."""
    kind = schema.get("type")
    if kind == "integer" and _JSON_INTEGER.fullmatch(text):
        return int(text)
    if kind == "number" and _JSON_NUMBER.fullmatch(text):
        number = float(text)
        return number if math.isfinite(number) else text
    if kind == "boolean" and text in ("true", "false"):
        return text == "true"
    return text


def query_fits_as_sent(case, response) -> bool:
    """Whether the query the server received fits the document, read with the document's own
    serialization: a form-style array without `explode` is one comma-separated value, so a
    single number sent where the document takes a list of numbers is the list of that number
    (`?pk__in=5`), and an empty value is the empty list (`?sort=`: OpenAPI's form style writes
    an empty value as `name=`; django-filter reads it as an empty list, which filters nothing,
    as Omnitron does). Schemathesis judges such values as generated (`5`, `""`), not as sent.
    A parameter the document does not name is ignored, by the server as here."""
    parameters = {parameter.name: parameter.definition for parameter in case.operation.query}
    sent = parse_qs(urlsplit(response.request.url).query, keep_blank_values=True)
    query = {}
    for name, texts in sent.items():
        definition = parameters.get(name)
        if definition is None:
            continue
        schema = definition.get("schema", {})
        is_list = schema.get("type") == "array" and definition.get("style", "form") == "form"
        if is_list and not definition.get("explode", True) and len(texts) == 1:
            items = texts[0].split(",") if texts[0] else []
            query[name] = [read_query_value(item, schema.get("items", {})) for item in items]
        elif len(texts) == 1:
            query[name] = read_query_value(texts[0], schema)
        else:
            query[name] = texts
    return case.operation.query.get_strict_validator().is_valid(query)


def neutralized(case, response) -> bool:
    """Every mutation of the case is harmless, or in the query, and the query as sent fits."""
    mutations = getattr(case.meta.phase.data, "mutations", ()) if case.meta else ()
    if not mutations:
        return False
    left = [mutation for mutation in mutations if not harmless(mutation, case)]
    return not left or (
        all(mutation.parameter_location == ParameterLocation.QUERY for mutation in left)
        and query_fits_as_sent(case, response)
    )


def negative_data_rejection(ctx, response, case):
    try:
        return strict_negative_data(ctx, response, case)
    except AcceptedNegativeData:
        if neutralized(case, response):
            return None
        raise


@functools.cache
def schema_of(site: str):
    """The site's document as its clients read it (no database needed: read at collection)."""
    response = Client().get(f"/{site}/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return schemathesis.openapi.from_dict(json.loads(response.content), config=CONFIG)


# One test per operation, so that each runs (and holds its locks) in a transaction of its own.
OPERATIONS = [
    (site, result.ok().method.upper(), result.ok().path)
    for site in CALLERS
    for result in schema_of(site).get_all_operations()
]


def authorization(site: str) -> str:
    if CALLERS[site] == "operator":
        return f"Token {operator_token(OperatorFactory(is_superuser=True))}"
    _, key = seller_token(SellerMembershipFactory())
    return f"Bearer {key}"


def fuzz_operation(operation, *, app, headers: dict, mode: GenerationMode) -> str | None:
    """Run the operation's examples; the first failure found, described, or None."""

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=not LONG_RUN,
        phases=[Phase.explicit, Phase.generate] + ([Phase.shrink] if LONG_RUN else []),
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case):
        with in_test_transaction():
            response = case.call(app=app, headers=headers)
            # Every check schemathesis has; those that probe (without credentials, with an
            # unsupported method) send their requests to the same application.
            case.validate_response(
                response,
                excluded_checks=[strict_negative_data],
                additional_checks=[negative_data_rejection],
                headers=headers,
                transport_kwargs={"app": app, "headers": headers},
            )

    try:
        run()
    except (Exception, BaseExceptionGroup) as exc:  # schemathesis' FailureGroup is the latter
        return f"{operation.label} ({mode.value}): {exc}"
    return None


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=str)
@pytest.mark.parametrize(
    ("site", "method", "path"), OPERATIONS, ids=[" ".join(op) for op in OPERATIONS]
)
def test_no_answer_is_a_server_error_or_has_an_undocumented_shape(app, site, method, path, mode):
    schema = schema_of(site)
    schema.app = app  # where the checks that probe send their requests
    operation = schema[path][method.lower()]
    headers = {"Authorization": authorization(site)}

    failure = fuzz_operation(operation, app=app, headers=headers, mode=mode)

    assert failure is None, failure
