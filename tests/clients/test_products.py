"""channel_app's product services against Pazar: inserts, then updates, each sent once."""

from tests.clients.helpers import actions, batches, remote_ids, sent


def test_products_are_inserted_then_updated_once_each(live_pazar, channel):
    cid, skus = channel["channel"], channel["skus"]
    by_pk = dict(zip(channel["products"], skus, strict=True))
    live_pazar.run(channel, "tree", "category_attributes")
    node = live_pazar.seed("place", channel=cid)["node"]

    first, again = live_pazar.run(channel, "insert_products", "insert_products")

    products = sent(first, "product")
    assert sorted(products) == sorted(skus)
    for item in products.values():
        assert item["price"] == "100.00"
        assert item["stock"] == 10
        assert item["category"] == [node]
        assert item["mapped"] == {"Color": "Red"}
        assert item["attribute_set"] == "shirts"
    assert again["sent"] == []
    assert {b["status"] for b in batches(live_pazar, cid, "product")} == {"done"}
    assert remote_ids(live_pazar, cid, "product") == {pk: f"R-{sku}" for pk, sku in by_pk.items()}
    assert {a["status"] for a in actions(live_pazar, cid, "product").values()} == {"success"}
    # The product batch also committed each product's price and stock.
    assert len(actions(live_pazar, cid, "productprice")) == 3
    assert len(actions(live_pazar, cid, "productstock")) == 3
    assert live_pazar.get(f"channel/{cid}/products/inserts/")["results"] == []

    changed = live_pazar.seed("change", channel=cid)["product"]
    before = actions(live_pazar, cid, "product")[changed]["version_date"]
    first, again = live_pazar.run(channel, "update_products", "update_products")

    assert list(sent(first, "product")) == [by_pk[changed]]
    assert sent(first, "product")[by_pk[changed]]["name"].endswith("(new)")
    assert sent(first, "product")[by_pk[changed]]["price"] == "90.00"
    assert again["sent"] == []
    after = actions(live_pazar, cid, "product")
    assert after[changed]["version_date"] > before
    assert after[changed]["remote_id"] == f"R-{by_pk[changed]}"
    assert {b["status"] for b in batches(live_pazar, cid, "product")} == {"done"}
    assert live_pazar.get(f"channel/{cid}/products/updates/")["results"] == []
