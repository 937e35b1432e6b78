"""channel_app's order services against Pazar: orders imported from the marketplace with their
customers and addresses, the marketplace's changes to order lines applied, and the changed
orders sent back to the marketplace; each once."""

from tests.clients.helpers import actions, batches


def all_batches(pazar, cid: int) -> list[dict]:
    return pazar.all(f"channel/{cid}/batch_requests/", sort="id")


def test_orders_are_imported_with_customers_and_addresses_once(live_pazar, channel):
    cid, skus = channel["channel"], channel["skus"]
    live_pazar.seed("order_places")
    live_pazar.run(channel, "insert_products_alone")
    number = f"MP-{cid}-1"
    marketplace = {
        "orders": [
            {
                "number": number,
                "lines": [
                    {"remote_id": f"{number}-L1", "sku": skus[0]},
                    {"remote_id": f"{number}-L2", "sku": skus[1]},
                ],
            }
        ]
    }

    live_pazar.run(channel, "import_orders", marketplace=marketplace)

    orders = live_pazar.seed("orders", channel=cid)
    assert list(orders) == [number]
    order = orders[number]
    assert (order["customer"], order["city"], order["cargo"]) == (
        "ayse@example.com",
        "İstanbul",
        "aras",
    )
    assert [item["product"] for item in order["items"]] == channel["products"][:2]
    assert actions(live_pazar, cid, "order")[order["pk"]]["remote_id"] == number
    assert {pk: a["remote_id"] for pk, a in actions(live_pazar, cid, "orderitem").items()} == {
        order["items"][0]["pk"]: f"{number}-L1",
        order["items"][1]["pk"]: f"{number}-L2",
    }
    assert {a["status"] for a in actions(live_pazar, cid, "orderitem").values()} == {"success"}
    customers = live_pazar.all(f"channel/{cid}/customers/", email="ayse@example.com")
    assert len(customers) == 1
    assert live_pazar.get(f"channel/{cid}/orders/updates/")["results"] == []

    # The marketplace lists the same order again: nothing new is stored or committed.
    live_pazar.run(channel, "import_orders", marketplace=marketplace)

    assert live_pazar.seed("orders", channel=cid) == orders
    assert len(live_pazar.all(f"channel/{cid}/customers/", email="ayse@example.com")) == 1
    (first,) = batches(live_pazar, cid, "order")
    assert first["status"] == "done"
    assert len(first["objects"]) == 3  # the order and its two lines
    # The second run's batch committed nothing (so names no content type) and closed `done`.
    (again,) = [b for b in all_batches(live_pazar, cid) if b["pk"] > first["pk"]]
    assert (again["status"], again["content_type"], again["objects"]) == ("done", None, None)


def test_line_changes_come_in_and_changed_orders_go_out_once(live_pazar, channel):
    cid, skus = channel["channel"], channel["skus"]
    live_pazar.seed("order_places")
    live_pazar.run(channel, "insert_products_alone")
    number = f"MP-{cid}-2"
    line = f"{number}-L1"
    live_pazar.run(
        channel,
        "import_orders",
        marketplace={
            "orders": [{"number": number, "lines": [{"remote_id": line, "sku": skus[2]}]}]
        },
    )
    (before,) = live_pazar.seed("orders", channel=cid)[number]["items"]
    shipped = {"item_updates": [{"remote_id": line, "status": "450", "tracking_number": "T-1"}]}

    live_pazar.run(channel, "update_order_items", "update_order_items", marketplace=shipped)

    (after,) = live_pazar.seed("orders", channel=cid)[number]["items"]
    assert (after["status"], after["tracking_number"]) == ("450", "T-1")
    assert after["events"] == before["events"] + 1  # the second run changed nothing
    changed = live_pazar.get(f"channel/{cid}/orders/updates/")["results"]
    assert [order["number"] for order in changed] == [number]

    first, again = live_pazar.run(channel, "update_orders", "update_orders")

    assert [(o["number"], o["items"]) for o in first["sent"]] == [(number, {line: "450"})]
    assert again["sent"] == []
    order_pk = changed[0]["pk"]
    assert actions(live_pazar, cid, "order")[order_pk]["remote_id"] == number
    assert live_pazar.get(f"channel/{cid}/orders/updates/")["results"] == []
    # Import, the two line updates and the two runs sending orders all closed their batches.
    statuses = [b["status"] for b in all_batches(live_pazar, cid)]
    assert statuses[-6:] == ["done"] * 6, statuses
