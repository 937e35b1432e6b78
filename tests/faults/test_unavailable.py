"""While a backing service is down the API says so: a JSON 503 with Retry-After, never a 500,
and the worker waits for the database instead of exiting. The real outages are run by
bench/faults/ (docs/reliability.md, "Faults"); these tests pin the answers and the loop."""

import errno
import logging

import pytest
from django.db import InterfaceError, OperationalError
from django.test import Client
from django.urls import include, path
from rest_framework.views import APIView

from pazar.accounts.sites import SellerCenterView
from pazar.core.management.commands import worker

FAILURES = {
    "database": OperationalError("connection failed: server closed the connection"),
    "connection": InterfaceError("connection already closed"),
    "disk": OSError(errno.ENOSPC, "No space left on device"),
}


class FailingView(SellerCenterView, APIView):
    permission_classes: list = []
    authentication_classes: list = []

    def post(self, request, failure):
        raise FAILURES[failure]


def plain_failing(request, failure):
    raise FAILURES[failure]


urlpatterns = [
    path("seller-center/failing/<str:failure>/", FailingView.as_view()),
    path("plain-failing/<str:failure>/", plain_failing),
    path("", include("pazar.urls")),
]
handler500 = "pazar.sites.errors.server_error"

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

EXPECTED = {
    "database": {
        "detail": "The database is unavailable; retry in a few seconds.",
        "code": "database_unavailable",
    },
    "connection": {
        "detail": "The database is unavailable; retry in a few seconds.",
        "code": "database_unavailable",
    },
    "disk": {"detail": "The file storage is full; retry later.", "code": "storage_full"},
}


@pytest.mark.parametrize("failure", list(FAILURES))
@pytest.mark.parametrize("prefix", ["/seller-center/failing/", "/plain-failing/"])
def test_an_unavailable_database_or_full_storage_is_a_json_503_with_retry_after(
    settings, prefix, failure
):
    settings.DEBUG = False
    client = Client(raise_request_exception=False)

    response = client.post(f"{prefix}{failure}/")

    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response["Retry-After"] == "5"
    assert response.json() == EXPECTED[failure]


def test_another_os_error_is_still_a_plain_json_500(settings):
    settings.DEBUG = False
    FAILURES["permission"] = OSError(errno.EACCES, "Permission denied")
    try:
        response = Client(raise_request_exception=False).post("/seller-center/failing/permission/")
    finally:
        del FAILURES["permission"]

    assert response.status_code == 500
    assert response.json() == {"detail": "A server error occurred.", "code": "error"}


def test_the_worker_serves_again_after_the_database_dropped_away(monkeypatch, caplog):
    # given: django-tasks-db's loop ends twice with the database gone, then stops normally
    outcomes = [OperationalError("terminating connection due to administrator command"),
                InterfaceError("connection already closed"), None]  # fmt: skip
    calls, pauses = [], []

    def db_worker(name, **options):
        calls.append((name, options["worker_id"]))
        if error := outcomes.pop(0):
            raise error

    monkeypatch.setattr(worker, "call_command", db_worker)
    monkeypatch.setattr(worker.time, "sleep", pauses.append)

    # when
    with caplog.at_level(logging.WARNING, logger="pazar.worker"):
        worker.serve_tasks_until_stopped(queue_name="*", interval=0.1, worker_id="w-1", verbosity=1)

    # then: it served three times, pausing longer after each failure, and said why
    assert calls == [("db_worker", "w-1")] * 3
    assert pauses == [1.0, 2.0]
    assert [r.getMessage().split(";")[0] for r in caplog.records] == [
        "database unavailable (OperationalError: terminating connection due to administrator command)",
        "database unavailable (InterfaceError: connection already closed)",
    ]


def test_the_worker_does_not_swallow_other_errors(monkeypatch):
    def db_worker(name, **options):
        raise RuntimeError("a bug")

    monkeypatch.setattr(worker, "call_command", db_worker)

    with pytest.raises(RuntimeError, match="a bug"):
        worker.serve_tasks_until_stopped(queue_name="*", interval=0.1, worker_id="w", verbosity=1)
