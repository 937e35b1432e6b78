"""Races of claims on real PostgreSQL connections: each thread has its own connection."""

import time

import pytest

from pazar.claims.models import Claim
from pazar.orders.models import OrderItem
from tests.claims.conftest import make_ordered
from tests.orders.test_races import _client, _race

pytestmark = pytest.mark.postgres_only


def _cancel(client, url: str, body: dict) -> tuple[int, dict]:
    """One cancel. The server allows 100 connections, shared with the test itself: a request
    refused a connection (503 `database_unavailable`) did nothing and is sent again."""
    for _ in range(100):
        response = client.post(url, body, format="json")
        if response.status_code != 503:
            return response.status_code, response.json()
        assert response.json()["code"] == "database_unavailable"
        time.sleep(0.05)
    return response.status_code, response.json()


def test_a_hundred_cancels_of_the_same_line_at_once_cancel_it_once(transactional_db):
    client = _client()
    ordered = make_ordered(client)
    body = {"cancel_items": [{"order_item": ordered.triple.pk, "quantity": 2}],
            "reasons": {str(ordered.triple.pk): ordered.cancel_reason.pk}}  # fmt: skip
    assert ordered.stock(ordered.triple) == (7, 3)

    outcomes = _race(100, lambda _: _cancel(client, ordered.url(), body))

    assert [o for o in outcomes if not isinstance(o, tuple)] == []
    statuses = sorted(status for status, _ in outcomes)
    # The first cancels 2 of the 3 units; the line has 1 left, too few for the others.
    assert statuses == [200] + [409] * 99
    assert {body["code"] for status, body in outcomes if status != 200} == {
        "claim_item_units_claimed"
    }
    assert Claim.objects.count() == 1
    assert ordered.stock(ordered.triple) == (9, 1)
    ordered.triple.refresh_from_db()
    assert ordered.triple.quantity == 1


def test_a_hundred_cancels_of_a_whole_line_at_once_one_wins_the_others_are_409(
    transactional_db,
):
    client = _client()
    ordered = make_ordered(client)
    body = {"cancel_items": [ordered.single.pk],
            "reasons": {str(ordered.single.pk): ordered.cancel_reason.pk}}  # fmt: skip

    outcomes = _race(100, lambda _: _cancel(client, ordered.url(), body))

    assert [o for o in outcomes if not isinstance(o, tuple)] == []
    assert sorted(status for status, _ in outcomes) == [200] + [409] * 99
    assert {body["code"] for status, body in outcomes if status != 200} == {"claim_item_cancelled"}
    assert Claim.objects.count() == 1
    assert OrderItem.objects.get(pk=ordered.single.pk).status == "100"
    assert ordered.stock(ordered.single) == (10, 0)
