"""channel_app's image services against Pazar.

channel_app 0.0.158 sends the images, then fails in its own code while closing the batch
(`ProcessImageBatchRequests` groups the images by product and then reads `.pk` of a list), so
it reports the error and fails the batch instead of closing it `done`. Pazar keeps what that
means: the images' actions are `error`, the images are back in `inserts/`, nothing is lost.
"""

from tests.clients.helpers import actions, batches, sent


def test_images_are_sent_and_come_back_when_the_client_fails_the_batch(live_pazar, channel):
    cid, skus = channel["channel"], channel["skus"]
    live_pazar.run(channel, "insert_products_alone")

    (first,) = live_pazar.run(channel, "insert_images", errors_expected=True)

    assert sorted(sent(first, "image")) == sorted(skus)
    assert any("has no attribute 'pk'" in error for error in first["errors"])
    assert [b["status"] for b in batches(live_pazar, cid, "productimage")] == ["fail"]
    assert {a["status"] for a in actions(live_pazar, cid, "productimage").values()} == {"error"}
    reports = live_pazar.all(f"channel/{cid}/error_reports/")
    assert "Omnitron-ProcessImageBatchRequests" in {r["error_desc"] for r in reports}
    inserts = live_pazar.get(f"channel/{cid}/product_images/inserts/")["results"]
    assert sorted(image["product"] for image in inserts) == sorted(channel["products"])

    (again,) = live_pazar.run(channel, "insert_images", errors_expected=True)
    assert sorted(sent(again, "image")) == sorted(skus)
