"""Package events reach the seller's callback URL signed, with an event id; the seller reads the
delivery log and replays it from a cursor."""

import hashlib
import hmac
import json

from pazar.callbacks.models import Callback
from tests.batches.helpers import CallbackServer, callback_tasks, run_ready_tasks
from tests.fulfilment.conftest import API


def signed(body: bytes) -> str:
    return "sha256=" + hmac.new(b"pkg-secret", body, hashlib.sha256).hexdigest()


def test_package_events_are_posted_signed_with_an_event_id(placed, settings, cargo):
    settings.PAZAR_ALLOW_PRIVATE_NETWORKS = True
    seller = placed.package.seller
    with CallbackServer() as endpoint:
        seller.callback_url, seller.callback_secret = endpoint.url, "pkg-secret"
        seller.save()
        placed.seller.post(placed.url("ready/"))
        run_ready_tasks("callbacks")

    [request] = endpoint.received
    body = json.loads(request.body)
    callback = Callback.objects.get(event="package.status_changed")
    assert request.headers["X-Pazar-Event"] == "package.status_changed"
    assert request.headers["X-Pazar-Event-Id"] == body["event_id"] == str(callback.event_id)
    assert request.headers["X-Pazar-Signature"] == signed(request.body)
    assert body["package"]["number"] == placed.package.number
    assert body["package"]["status"] == 3
    assert (body["from_status"], body["to_status"]) == (2, 3)
    assert callback.status == "delivered" and callback.attempts == 1


def test_the_delivery_log_and_its_replay(placed, settings):
    settings.PAZAR_ALLOW_PRIVATE_NETWORKS = True
    log = placed.seller.get(f"{API}/callbacks/").json()
    # the order's package was created before the seller had a URL: logged, not sent
    [created] = log["results"]
    assert created["event"] == "package.created" and created["status"] == "refused"
    assert placed.other.get(f"{API}/callbacks/").json()["results"][0]["event"] == "package.created"
    assert placed.seller.post(f"{API}/callbacks/replay/", {"cursor": "0"}).status_code == 400

    seller = placed.package.seller
    with CallbackServer() as endpoint:
        seller.callback_url, seller.callback_secret = endpoint.url, "pkg-secret"
        seller.save()
        replay = placed.seller.post(f"{API}/callbacks/replay/", {"cursor": "0"}, format="json")
        assert replay.status_code == 202
        assert replay.json() == {"replayed": 1, "last_cursor": created["cursor"]}
        run_ready_tasks("callbacks")
        after = placed.seller.post(
            f"{API}/callbacks/replay/", {"cursor": created["cursor"]}, format="json"
        )
        assert after.json()["replayed"] == 0

    [request] = endpoint.received
    assert json.loads(request.body)["event_id"] == created["event_id"]
    assert placed.seller.get(f"{API}/callbacks/").json()["results"][0]["status"] == "delivered"
    assert len(callback_tasks()) == 1
    bad = placed.seller.get(f"{API}/callbacks/", {"cursor": "x"})
    assert bad.status_code == 400
