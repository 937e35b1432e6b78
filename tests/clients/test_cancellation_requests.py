"""channel_app's cancellation-request services against Pazar: the requests the marketplace's
customers made come in once (on the imported order's lines, with the reason the channel's
`reason_mapping` names), and Pazar's decisions about them go back to the marketplace once.

channel_app 0.0.158 reads `reason_mapping` two ways: `CreateCancellationRequest` looks the
marketplace's code up in it (`{code: reason id}`), while `update_cancellation_requests`
unpacks each of its keys into two names (`for channel_reason, omni_reason in mapping`), which
raises for any key that is not two characters long. A channel whose marketplace codes are two
characters long works both ways (the reason sent back is then always channel_app's default,
"10"); with longer codes, creating works and sending decisions back fails in channel_app."""

from tests.clients.helpers import actions, batches

REASON_CODE = "CM"  # two characters: see above


def test_requests_come_in_once_and_decisions_go_back_once(live_pazar, channel):
    cid, skus = channel["channel"], channel["skus"]
    live_pazar.seed("order_places")
    reason = live_pazar.seed("cancellation_reason", channel=cid, remote_code=REASON_CODE)
    live_pazar.run(channel, "insert_products_alone")
    number = f"MP-{cid}-C"
    line = f"{number}-L1"
    order = {"number": number, "lines": [{"remote_id": line, "sku": skus[0]}]}
    live_pazar.run(channel, "import_orders", marketplace={"orders": [order]})
    (item,) = live_pazar.seed("orders", channel=cid)[number]["items"]
    request = {
        "remote_id": f"{number}-CR1",
        "order_item": line,
        "reason": REASON_CODE,
        "description": "Ordered twice",
    }
    marketplace = {"orders": [order], "cancellation_requests": [request]}

    live_pazar.run(channel, "import_cancellation_requests", marketplace=marketplace)

    requests = live_pazar.seed("requests", channel=cid)
    assert requests == {
        request["remote_id"]: {
            "pk": requests[request["remote_id"]]["pk"],
            "order_item": item["pk"],
            "reason": reason["reason"],
            "type": "cancel",
            "status": "open",
            "item_status": "50",  # cancellation waiting
            "description": "Ordered twice",
        }
    }
    claim = requests[request["remote_id"]]["pk"]
    assert actions(live_pazar, cid, "cancellationrequest")[claim]["remote_id"] == f"{number}-CR1"
    assert actions(live_pazar, cid, "cancellationrequest")[claim]["status"] == "success"
    (first,) = batches(live_pazar, cid, "cancellationrequest")
    assert first["status"] == "done"
    assert live_pazar.get(f"channel/{cid}/cancellation_requests/updates/")["results"] == []

    # The marketplace lists the same request again: Pazar answers the one it has.
    live_pazar.run(channel, "import_cancellation_requests", marketplace=marketplace)

    assert live_pazar.seed("requests", channel=cid) == requests
    assert len(live_pazar.all(f"channel/{cid}/cancellation_requests/")) == 1
    assert [b["status"] for b in batches(live_pazar, cid, "cancellationrequest")] == ["done"] * 2

    # The operator approves it: the decision goes to the marketplace, once.
    live_pazar.seed("approve", channel=cid, remote_id=request["remote_id"])
    updates = live_pazar.get(f"channel/{cid}/cancellation_requests/updates/")["results"]
    assert [(u["pk"], u["status"]) for u in updates] == [(claim, "completed")]

    first, again = live_pazar.run(
        channel, "update_cancellation_requests", "update_cancellation_requests"
    )

    assert first["sent"] == [
        {
            "kind": "cancellation_request",
            "remote_id": f"{number}-CR1",
            "status": "completed",
            "order_item": line,
        }
    ]
    assert again["sent"] == []
    assert live_pazar.get(f"channel/{cid}/cancellation_requests/updates/")["results"] == []
    assert actions(live_pazar, cid, "cancellationrequest")[claim]["status"] == "success"
    # The update batch closed `done`; the second run found nothing and channel_app fails such
    # a batch (it has nothing in it).
    statuses = [b["status"] for b in batches(live_pazar, cid, "cancellationrequest")]
    assert statuses == ["done", "done", "done", "fail"], statuses
    (item_after,) = live_pazar.seed("orders", channel=cid)[number]["items"]
    assert item_after["status"] == "100"  # cancelled
