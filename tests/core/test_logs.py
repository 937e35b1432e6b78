"""Structured logs: JSON lines, each carrying the request id (or batch id) it was written for."""

from __future__ import annotations

import io
import json
import logging
import re

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.urls import include, path

from pazar.core.logs import ContextFilter, JsonFormatter, log_context, logging_config
from tests.batches.helpers import STOCKS, accept, build_catalog, run_ready_tasks, stock_row


def noisy(request):
    """A view that logs on its own account, as services do, then fails."""
    logging.getLogger("pazar.tests").warning("about to fail", extra={"step": 2})
    raise RuntimeError("boom")


urlpatterns = [path("noisy/", noisy), path("", include("pazar.urls"))]
handler500 = "pazar.sites.errors.server_error"
handler404 = "pazar.sites.errors.not_found"

pytestmark = pytest.mark.django_db


@pytest.fixture
def json_lines():
    """Every log line written during the test, as PAZAR_LOG_FORMAT=json writes it, parsed."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(ContextFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    previous = root.level
    root.setLevel(logging.INFO)

    def lines() -> list[dict]:
        return [json.loads(line) for line in stream.getvalue().splitlines()]

    yield lines
    root.removeHandler(handler)
    root.setLevel(previous)


def test_a_request_id_sent_by_the_client_is_echoed_and_on_the_access_line(
    seller_client, json_lines
):
    response = seller_client.get("/seller-center/api/i1/languages/", HTTP_X_REQUEST_ID="req-42.a")

    assert response.status_code == 200
    assert response["X-Request-ID"] == "req-42.a"
    [access] = [line for line in json_lines() if line["logger"] == "pazar.access"]
    assert access["request_id"] == "req-42.a"
    assert access["message"].startswith("GET /seller-center/api/i1/languages/ 200 ")
    assert access["status"] == 200
    assert access["route"] == "seller-center/api/i1/languages/"
    assert access["level"] == "INFO"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", access["time"])


@pytest.mark.parametrize("sent", [None, "", "has spaces", "x" * 129, "naïve"])
def test_a_missing_or_unusable_request_id_is_replaced_by_a_fresh_one(api_client, sent):
    headers = {} if sent is None else {"HTTP_X_REQUEST_ID": sent}

    first = api_client.get("/health/", **headers)
    second = api_client.get("/health/", **headers)

    assert re.fullmatch(r"[0-9a-f]{32}", first["X-Request-ID"])
    assert first["X-Request-ID"] != second["X-Request-ID"]


@pytest.mark.urls(__name__)
def test_every_line_of_a_failing_request_carries_its_request_id(settings, json_lines):
    settings.DEBUG = False
    client = Client(raise_request_exception=False)

    response = client.get("/noisy/", HTTP_X_REQUEST_ID="trace-7")

    assert response.status_code == 500
    assert response["X-Request-ID"] == "trace-7"
    lines = json_lines()
    assert {line["logger"] for line in lines} >= {"pazar.tests", "django.request", "pazar.access"}
    assert all(line["request_id"] == "trace-7" for line in lines), lines
    own = next(line for line in lines if line["logger"] == "pazar.tests")
    assert own["step"] == 2
    error = next(line for line in lines if line["logger"] == "django.request")
    assert error["level"] == "ERROR"
    assert "RuntimeError: boom" in error["exception"]


def test_djangos_line_about_an_error_answer_carries_the_request_id(seller_client, json_lines):
    response = seller_client.get("/seller-center/api/i2/no-such-thing/", HTTP_X_REQUEST_ID="r-404")

    assert response.status_code == 404
    [warning] = [line for line in json_lines() if line["logger"] == "django.request"]
    assert warning["message"] == "Not Found: /seller-center/api/i2/no-such-thing/"
    assert warning["request_id"] == "r-404"
    assert warning["status_code"] == 404


def test_batch_worker_lines_carry_the_batch_id(seller_client, json_lines):
    catalog = build_catalog(seller_client.seller)
    batch_id = accept(seller_client, STOCKS, [stock_row(catalog, "NO-SUCH-SKU", "3")])

    run_ready_tasks("default")

    worker_lines = [line for line in json_lines() if line["logger"] == "pazar.batches.services"]
    [completed] = [line for line in worker_lines if "completed" in line["message"]]
    assert completed["batch_id"] == batch_id
    assert completed["kind"] == "stock_upsert"
    assert (completed["rows_succeeded"], completed["rows_failed"]) == (0, 1)
    assert "request_id" not in completed


def test_context_fields_nest_and_end_with_their_block():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "m", (), None)
    context = ContextFilter()

    with log_context(request_id="r1"), log_context(batch_id="b1"):
        context.filter(record)
    after = logging.LogRecord("x", logging.INFO, __file__, 1, "m", (), None)
    context.filter(after)

    assert (record.request_id, record.batch_id) == ("r1", "b1")
    assert record.context_text == " request_id=r1 batch_id=b1"
    assert not hasattr(after, "request_id")
    assert after.context_text == ""


def test_log_format_setting_accepts_text_and_json_only():
    text = logging_config(log_format="text", level="INFO")
    structured = logging_config(log_format="json", level="INFO")

    assert text["handlers"]["console"]["formatter"] == "text"
    assert structured["handlers"]["console"]["formatter"] == "json"
    assert structured["handlers"]["console"]["filters"] == ["context"]
    with pytest.raises(ImproperlyConfigured, match="PAZAR_LOG_FORMAT"):
        logging_config(log_format="xml", level="INFO")
