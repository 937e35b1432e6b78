"""`channel/{cid}/batch_requests/`: the status machine and what `objects` commit (§11)."""

import pytest

from pazar.channels.models import BatchRequest, BatchRequestEvent, IntegrationAction
from tests.channels.factories import ChannelFactory, catalog_product

pytestmark = pytest.mark.django_db

CODE = "batch_request_status_100_1"


def new_batch(client, base) -> dict:
    response = client.post(f"{base}batch_requests/", {"channel": int(base.split("/")[-2])})
    assert response.status_code == 201, response.content
    return response.json()


def move(client, base, batch, **body):
    return client.patch(f"{base}batch_requests/{batch['pk']}/", body, format="json")


def test_a_new_batch_is_initialized_with_a_fresh_local_batch_id(operator_client, base, channel):
    batch = new_batch(operator_client, base)

    assert batch["status"] == "initialized"
    assert batch["channel"] == channel.pk
    assert len(batch["local_batch_id"]) == 36
    assert batch["objects"] is None
    assert new_batch(operator_client, base)["local_batch_id"] != batch["local_batch_id"]


def test_commit_creates_processing_actions_for_every_object_of_any_model(
    operator_client, base, channel
):
    product = catalog_product(channel.catalog)
    batch = new_batch(operator_client, base)

    response = move(
        operator_client, base, batch, channel=channel.pk, status="commit", content_type="product",
        objects=[
            {"pk": product.pk, "version_date": "2026-01-02 10:00:00", "failed_reason_type": None,
             "remote_id": None, "content_type": "product"},
            {"pk": 77, "content_type": "productprice", "version_date": "2026-01-02T10:00:00Z"},
        ],
    )  # fmt: skip

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "commit"
    actions = operator_client.get(
        f"{base}integration_actions/",
        {"local_batch_id": batch["local_batch_id"], "status": "processing", "sort": "id"},
    ).json()
    assert actions["next"] is None
    assert sorted((a["content_type"]["model"], a["object_id"]) for a in actions["results"]) == [
        ("product", product.pk),
        ("productprice", 77),
    ]
    assert all(a["local_batch_id"] == batch["local_batch_id"] for a in actions["results"])


def test_done_records_remote_ids_and_the_version_read(operator_client, base, channel):
    product, failed = catalog_product(channel.catalog), catalog_product(channel.catalog)
    batch = new_batch(operator_client, base)
    objects = [
        {"pk": product.pk, "version_date": "2026-01-02 10:00:00"},
        {"pk": failed.pk, "version_date": "2026-01-02 10:00:00"},
    ]
    move(operator_client, base, batch, status="commit", content_type="product", objects=objects)

    response = move(
        operator_client, base, batch, status="done",
        objects=[
            {"pk": product.pk, "remote_id": 9001, "failed_reason_type": None,
             "content_type": "product"},
            {"pk": failed.pk, "remote_id": None, "failed_reason_type": "mapping",
             "content_type": "product"},
        ],
    )  # fmt: skip

    assert response.status_code == 200, response.content
    done = IntegrationAction.objects.get(object_id=product.pk)
    assert (done.status, done.remote_id) == ("success", "9001")
    assert done.version_date.isoformat() == "2026-01-02T10:00:00+00:00"
    error = IntegrationAction.objects.get(object_id=failed.pk)
    assert (error.status, error.remote_id, error.version_date) == ("error", None, None)
    assert [(e.from_status, e.to_status) for e in BatchRequestEvent.objects.order_by("pk")] == [
        ("initialized", "commit"),
        ("commit", "done"),
    ]


def test_done_keeps_what_each_action_had_where_the_batch_says_nothing(
    operator_client, base, channel
):
    # given: `resent` and `refused` were sent before; `fresh` never was
    from django.contrib.contenttypes.models import ContentType

    resent, refused, fresh = (catalog_product(channel.catalog) for _ in range(3))
    product_type = ContentType.objects.get(app_label="catalog", model="product")
    for product in (resent, refused):
        IntegrationAction.objects.create(
            channel=channel, content_type=product_type, object_id=product.pk, status="success",
            remote_id=f"OLD-{product.pk}", version_date="2025-05-05T05:05:05Z",
        )  # fmt: skip
    batch = new_batch(operator_client, base)
    move(
        operator_client, base, batch, status="commit", content_type="product",
        objects=[{"pk": p.pk, "version_date": "2026-01-02T10:00:00Z"}
                 for p in (resent, refused, fresh)],
    )  # fmt: skip

    # when: `done` names `resent` without a remote id, `refused` as failed, `fresh` not at all
    response = move(
        operator_client, base, batch, status="done",
        objects=[
            {"pk": resent.pk, "remote_id": None, "failed_reason_type": None,
             "content_type": "product"},
            {"pk": refused.pk, "remote_id": "NEW", "failed_reason_type": "remote",
             "content_type": "product"},
        ],
    )  # fmt: skip

    # then
    assert response.status_code == 200, response.content
    stored = {
        a.object_id: (a.status, a.remote_id, a.version_date.isoformat() if a.version_date else None)
        for a in IntegrationAction.objects.filter(channel=channel)
    }
    assert stored == {
        resent.pk: ("success", f"OLD-{resent.pk}", "2026-01-02T10:00:00+00:00"),
        refused.pk: ("error", f"OLD-{refused.pk}", "2025-05-05T05:05:05+00:00"),
        fresh.pk: ("success", None, "2026-01-02T10:00:00+00:00"),
    }


def test_fail_releases_the_objects(operator_client, base, channel):
    product = catalog_product(channel.catalog)
    batch = new_batch(operator_client, base)
    move(operator_client, base, batch, status="commit", content_type="product",
         objects=[{"pk": product.pk}])  # fmt: skip

    response = move(operator_client, base, batch, status="fail", objects=None)

    assert response.status_code == 200
    assert IntegrationAction.objects.get(object_id=product.pk).status == "error"


@pytest.mark.parametrize(
    ("path", "to"),
    [
        ([], "sent_to_remote"),
        ([], "ongoing"),
        (["commit", "ongoing"], "sent_to_remote"),
        (["commit", "ongoing"], "commit"),
        (["commit", "sent_to_remote"], "commit"),
        (["commit", "done"], "done"),
        (["commit", "done"], "fail"),
        (["commit", "done"], "commit"),
        (["fail"], "commit"),
        (["fail"], "fail"),
        (["commit", "fail"], "done"),
        (["commit", "fail"], "ongoing"),
    ],
)
def test_an_illegal_move_is_a_406_naming_batch_request_status_100_1(
    operator_client, base, path, to
):
    batch = new_batch(operator_client, base)
    for status in path:
        assert (
            move(operator_client, base, batch, status=status, content_type="product").status_code
            == 200
        )

    response = move(operator_client, base, batch, status=to)

    assert response.status_code == 406
    assert CODE in response.content.decode()
    assert response.json()["code"] == CODE
    assert BatchRequest.objects.get(pk=batch["pk"]).status == (path[-1] if path else "initialized")


@pytest.mark.parametrize(
    "path",
    [
        ["commit", "commit", "sent_to_remote", "ongoing", "ongoing", "done"],
        ["commit", "sent_to_remote", "sent_to_remote", "fail"],
        ["commit", "done"],
        ["commit", "fail"],
        ["fail"],
        ["initialized", "commit", "ongoing", "fail"],
    ],
)
def test_legal_paths(operator_client, base, path):
    batch = new_batch(operator_client, base)
    for status in path:
        response = move(operator_client, base, batch, status=status, content_type="product")
        assert response.status_code == 200, (status, response.content)
    assert response.json()["status"] == path[-1]


def test_a_batch_that_committed_nothing_closes_done_only_without_objects(
    operator_client, base, channel
):
    product = catalog_product(channel.catalog)
    empty, listed = new_batch(operator_client, base), new_batch(operator_client, base)
    objects = [{"pk": product.pk, "content_type": "product", "remote_id": "R-1"}]

    closed = move(operator_client, base, empty, status="done", objects=[])
    refused = move(operator_client, base, listed, status="done", objects=objects)

    assert closed.status_code == 200 and closed.json()["status"] == "done"
    assert refused.status_code == 406 and refused.json()["code"] == CODE
    assert BatchRequest.objects.get(pk=listed["pk"]).status == "initialized"
    assert not IntegrationAction.objects.filter(object_id=product.pk).exists()


def test_a_closed_batch_refuses_any_change(operator_client, base):
    batch = new_batch(operator_client, base)
    move(operator_client, base, batch, status="fail")

    response = move(operator_client, base, batch, remote_batch_id="R1")

    assert response.status_code == 406
    assert response.json()["code"] == CODE


def test_the_whole_object_read_can_be_patched_back(operator_client, base):
    batch = new_batch(operator_client, base)
    batch.update(remote_batch_id="remote-7", status="commit", content_type="product",
                 unknown_key={"x": 1}, channel={"pk": 1, "name": "nested"})  # fmt: skip

    response = move(operator_client, base, batch, **batch)

    assert response.status_code == 200, response.content
    assert response.json()["remote_batch_id"] == "remote-7"


def test_polling_with_repeated_status_keys_finds_either(operator_client, base, channel):
    first, second, third = (new_batch(operator_client, base) for _ in range(3))
    move(operator_client, base, first, status="commit", content_type="product")
    move(operator_client, base, first, status="sent_to_remote", remote_batch_id="r1")
    move(operator_client, base, second, status="commit", content_type="product")
    move(operator_client, base, second, status="ongoing")

    response = operator_client.get(
        f"{base}batch_requests/?status=sent_to_remote&status=ongoing&content_type=product"
        f"&channel={channel.pk}&page=1"
    )

    body = response.json()
    assert sorted(item["pk"] for item in body["results"]) == [first["pk"], second["pk"]]
    assert body["next"] is None
    assert third["pk"] not in [item["pk"] for item in body["results"]]


def test_another_channel_s_batch_is_not_found(operator_client, base):
    other = ChannelFactory()
    batch = new_batch(operator_client, f"/omnitron/api/v1/channel/{other.pk}/")

    assert operator_client.get(f"{base}batch_requests/{batch['pk']}/").status_code == 404
    assert operator_client.get("/omnitron/api/v1/channel/999999/batch_requests/").status_code == 404


def test_a_plain_json_body_and_any_other_find_the_same_channel_and_batch(operator_client, base):
    """A JSON body of plain values is moved (or created) with one read of the batch (or none of
    the channel); the answers for a channel or batch that is not there are DRF's own."""
    other = ChannelFactory()
    batch = new_batch(operator_client, f"/omnitron/api/v1/channel/{other.pk}/")
    missing = "/omnitron/api/v1/channel/999999/"
    for url in (f"{base}batch_requests/{batch['pk']}/", f"{missing}batch_requests/{batch['pk']}/",
                f"{base}batch_requests/999999/"):  # fmt: skip
        plain = operator_client.patch(url, {"status": "commit"}, format="json")
        other_body = operator_client.patch(url, {"status": 7}, format="json")
        assert plain.status_code == other_body.status_code == 404
        assert plain.json() == other_body.json()
    assert BatchRequest.objects.get(pk=batch["pk"]).status == "initialized"

    plain = operator_client.post(f"{missing}batch_requests/", {"channel": 1}, format="json")
    form = operator_client.post(f"{missing}batch_requests/", {"channel": 1})
    assert plain.status_code == form.status_code == 404
    assert plain.json() == form.json()
    made = operator_client.post(f"{base}batch_requests/", {"channel": 1}, format="json")
    assert made.status_code == 201
    stored = BatchRequest.objects.get(pk=made.json()["pk"])
    assert made.json()["local_batch_id"] == str(stored.local_batch_id)
    assert made.json()["status"] == stored.status == "initialized"
    assert list(made.json()) == list(new_batch(operator_client, base))


def test_a_bad_body_is_refused_as_before(operator_client, base):
    batch = new_batch(operator_client, base)
    for body in ({"status": "nope"}, {"objects": [{"pk": 0}]}, {"remote_batch_id": " x "},
                 {"objects": {"pk": 1}}, {"status": None}):  # fmt: skip
        response = move(operator_client, base, batch, **body)
        if body == {"remote_batch_id": " x "}:  # DRF trims it: no error
            assert response.status_code == 200
            assert response.json()["remote_batch_id"] == "x"
            continue
        assert response.status_code == 400, body
    post = operator_client.post(f"{base}batch_requests/", {"status": "nope"}, format="json")
    assert post.status_code == 400
    assert "status" in post.json()


def test_an_object_held_by_another_open_batch_is_refused(operator_client, base, channel):
    product = catalog_product(channel.catalog)
    first, second = new_batch(operator_client, base), new_batch(operator_client, base)
    move(operator_client, base, first, status="commit", content_type="product",
         objects=[{"pk": product.pk}])  # fmt: skip

    response = move(operator_client, base, second, status="commit", content_type="product",
                    objects=[{"pk": product.pk}])  # fmt: skip

    assert response.status_code == 406
    assert response.json()["code"] == "batch_request_object_held"
    assert BatchRequest.objects.get(pk=second["pk"]).status == "initialized"


def test_put_is_not_allowed(operator_client, base):
    batch = new_batch(operator_client, base)

    response = operator_client.put(f"{base}batch_requests/{batch['pk']}/", {"status": "commit"})

    assert response.status_code == 405
    assert "detail" in response.json()


def test_a_batch_left_open_is_failed_once_idle_and_its_objects_come_back(
    operator_client, base, channel
):
    """channel_app commits prices it then cannot send (their product is not on the marketplace)
    and leaves the batch in `commit`: once idle, the housekeeping fails it."""
    from datetime import timedelta

    from django.utils import timezone

    from pazar.channels.services.integration import batch_requests_expire

    product = catalog_product(channel.catalog)
    left = new_batch(operator_client, base)
    committed = move(
        operator_client, base, left, status="commit", content_type="product",
        objects=[{"pk": product.pk, "version_date": "2026-01-02 10:00:00"}],
    )  # fmt: skip
    assert committed.status_code == 200, committed.content
    fresh, closed = new_batch(operator_client, base), new_batch(operator_client, base)
    move(operator_client, base, closed, status="fail")
    inserts = f"{base}products/inserts/"
    assert operator_client.get(inserts).json()["results"] == []  # held

    assert batch_requests_expire() == 0  # nothing idle for an hour yet
    BatchRequest.objects.filter(pk=left["pk"]).update(
        updated_at=timezone.now() - timedelta(minutes=61)
    )
    assert batch_requests_expire() == 1

    statuses = dict(BatchRequest.objects.values_list("pk", "status"))
    assert statuses[left["pk"]] == "fail"
    assert statuses[fresh["pk"]] == "initialized"
    event = BatchRequestEvent.objects.get(batch_request_id=left["pk"], to_status="fail")
    assert (event.from_status, event.user) == ("commit", None)
    action = IntegrationAction.objects.get(channel=channel, object_id=product.pk)
    assert action.status == "error"
    assert [p["pk"] for p in operator_client.get(inserts).json()["results"]] == [product.pk]
    assert batch_requests_expire(idle=timedelta(0), channel=channel) == 1  # the fresh one
    assert batch_requests_expire(idle=timedelta(0)) == 0
