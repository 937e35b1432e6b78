"""channel_app's price and stock services against Pazar: inserts once the product is on the
marketplace, updates once changed, each sent once."""

import pytest
from tests.clients.helpers import actions, batches, remote_ids, sent

FLOWS = {
    # kind: (batch content type, insert flow, update flow, remote id prefix)
    "price": ("productprice", "insert_prices", "update_prices", "P"),
    "stock": ("productstock", "insert_stocks", "update_stocks", "S"),
}


@pytest.mark.parametrize("kind", list(FLOWS))
def test_inserted_then_updated_once_each(live_pazar, channel, kind):
    model, insert, update, prefix = FLOWS[kind]
    cid, skus = channel["channel"], channel["skus"]
    by_pk = dict(zip(channel["products"], skus, strict=True))

    # Before its product is on the marketplace, nothing is sent; channel_app leaves that batch
    # in `commit`, holding what it read, until the housekeeping fails it.
    (early,) = live_pazar.run(channel, insert)
    assert early["sent"] == []
    assert live_pazar.get(f"channel/{cid}/product_{kind}s/inserts/")["results"] == []
    assert live_pazar.seed("expire", channel=cid) == {"failed": 1}
    live_pazar.run(channel, "insert_products_alone")
    first, again = live_pazar.run(channel, insert, insert)

    assert sorted(sent(first, kind)) == sorted(skus)
    assert again["sent"] == []
    assert [b["status"] for b in batches(live_pazar, cid, model)] == ["fail", "done", "done"]
    ids = remote_ids(live_pazar, cid, model)
    assert len(ids) == 3
    assert {a["status"] for a in actions(live_pazar, cid, model).values()} == {"success"}
    assert live_pazar.get(f"channel/{cid}/product_{kind}s/inserts/")["results"] == []

    changed = live_pazar.seed("change", channel=cid)
    first, again = live_pazar.run(channel, update, update)

    product_sku = by_pk[changed["product"]]
    assert list(sent(first, kind)) == [product_sku]
    assert again["sent"] == []
    if kind == "price":
        assert sent(first, kind)[product_sku]["price"] == "90.00"
    if kind == "stock":
        assert sent(first, kind)[product_sku]["stock"] == 7
    after = remote_ids(live_pazar, cid, model)
    assert set(after.values()) == {f"{prefix}-{sku}" for sku in skus}
    assert {b["status"] for b in batches(live_pazar, cid, model)[1:]} == {"done"}
    assert live_pazar.get(f"channel/{cid}/product_{kind}s/updates/")["results"] == []
