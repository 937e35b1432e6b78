"""`channel/{cid}/integration_actions/` (+ `deleted/`) and `error_reports/` (§11, real-clients §7, §8)."""

import pytest
from django.contrib.contenttypes.models import ContentType

from pazar.catalog.models import Product
from pazar.channels.models import AddressErrorReport, IntegrationAction
from tests.channels.factories import catalog_product

pytestmark = pytest.mark.django_db


def content_type_id(client, model: str) -> int:
    [found] = client.get("/omnitron/api/v1/content_types/", {"model": model}).json()["results"]
    return found["id"]


@pytest.mark.parametrize("key", ["content_type_id", "content_type", "content_type_model"])
def test_an_action_is_created_with_the_content_type_as_id_or_model_name(
    operator_client, base, channel, key
):
    node_type = content_type_id(operator_client, "categorynode")
    value = node_type if key == "content_type_id" else "categorynode"

    response = operator_client.post(
        f"{base}integration_actions/",
        {"channel_id": channel.pk, key: value, "object_id": 5, "remote_id": "cat-5",
         "version_date": "2026-01-02 10:00:00"},
    )  # fmt: skip

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["content_type"] == {
        "id": node_type,
        "app_label": "omnitron",
        "model": "categorynode",
    }
    assert body["version_date"] == "2026-01-02T10:00:00Z"
    assert (body["object_id"], body["remote_id"], body["channel"]) == (5, "cat-5", channel.pk)


def test_an_action_without_a_content_type_or_with_an_unknown_one_is_a_400(operator_client, base):
    missing = operator_client.post(f"{base}integration_actions/", {"object_id": 1})
    unknown = operator_client.post(
        f"{base}integration_actions/", {"object_id": 1, "content_type": "nosuchmodel"}
    )

    assert missing.status_code == 400 and "content_type_id" in missing.json()
    assert unknown.status_code == 400 and "content_type" in unknown.json()


def test_a_second_action_for_the_same_object_is_a_400(operator_client, base):
    body = {"content_type": "categorynode", "object_id": 5, "remote_id": "a"}
    operator_client.post(f"{base}integration_actions/", body)

    response = operator_client.post(f"{base}integration_actions/", body)

    assert response.status_code == 400
    assert response.json()["code"] == "unique"


def test_patch_takes_the_whole_object_read_and_changes_the_version(operator_client, base):
    created = operator_client.post(
        f"{base}integration_actions/", {"content_type": "categorynode", "object_id": 5}
    ).json()
    created.update(version_date="2026-03-01 12:30:00", content_type_id=999, object_id=6)

    response = operator_client.patch(
        f"{base}integration_actions/{created['pk']}/", created, format="json"
    )

    assert response.status_code == 200, response.content
    assert response.json()["version_date"] == "2026-03-01T12:30:00Z"
    assert response.json()["object_id"] == 5


def test_filters_the_clients_send(operator_client, base, channel):
    for object_id, remote_id in [(1, "r1"), (2, "r2"), (3, "r3")]:
        operator_client.post(
            f"{base}integration_actions/",
            {"content_type": "product", "object_id": object_id, "remote_id": remote_id},
        )
    operator_client.post(
        f"{base}integration_actions/", {"content_type": "categorynode", "object_id": 1}
    )

    def objects(**params):
        response = operator_client.get(f"{base}integration_actions/", params)
        assert response.status_code == 200, response.content
        assert response.json()["next"] is None
        return [item["object_id"] for item in response.json()["results"]]

    assert objects(object_id__in="1,3", content_type_name="product", channel_id=channel.pk,
                   sort="id") == [1, 3]  # fmt: skip
    assert objects(remote_id__in="r2,r3", channel=channel.pk, sort="-id") == [3, 2]
    assert objects(remote_id__exact="r1") == [1]
    assert objects(content_type_name="categorynode", sort="version_date") == [1]


def test_delete_answers_204(operator_client, base):
    created = operator_client.post(
        f"{base}integration_actions/", {"content_type": "product", "object_id": 1}
    ).json()

    response = operator_client.delete(f"{base}integration_actions/{created['pk']}/")

    assert response.status_code == 204
    assert not IntegrationAction.objects.exists()


def test_deleted_lists_actions_whose_object_is_gone(operator_client, base, channel):
    kept, gone = catalog_product(channel.catalog), catalog_product(channel.catalog)
    for product in [kept, gone]:
        operator_client.post(
            f"{base}integration_actions/",
            {"content_type": "product", "object_id": product.pk, "remote_id": product.sku},
        )
    gone_pk = gone.pk
    Product.objects.filter(pk=gone_pk).delete()

    response = operator_client.get(
        f"{base}integration_actions/deleted/",
        {"model": "product", "channel_id": channel.pk, "limit": 100, "page": 1},
    )

    assert response.status_code == 200
    assert [item["object_id"] for item in response.json()["results"]] == [gone_pk]
    assert response.json()["next"] is None


def test_an_error_report_is_recorded_and_read_back(operator_client, base, channel):
    batch_type = content_type_id(operator_client, "batchrequest")
    channel_type = content_type_id(operator_client, "channel")
    body = {
        "action_content_type": batch_type, "action_object_id": 7,
        "target_content_type": channel_type, "target_object_id": channel.pk,
        "obj_modified_date": "2026-01-02 10:00:00", "error_code": "abc-Omnitron-GetProducts",
        "error_desc": "boom", "raw_request": "GET - https://x - ", "raw_response": "{}",
        "is_ok": False,
    }  # fmt: skip

    response = operator_client.post(f"{base}error_reports/", body)

    assert response.status_code == 201, response.content
    report = operator_client.get(f"{base}error_reports/{response.json()['pk']}/").json()
    assert report["action"] == {"content_type": batch_type, "object_id": 7}
    assert report["target"] == {"content_type": channel_type, "object_id": channel.pk}
    assert report["obj_modified_date"] == "2026-01-02T10:00:00Z"
    listed = operator_client.get(f"{base}error_reports/", {"action_object_id": 7}).json()
    assert [item["pk"] for item in listed["results"]] == [report["pk"]]


def test_an_error_report_without_a_request_takes_null_texts_as_empty(operator_client, base):
    """channel_app reports a failure that was no HTTP request with `raw_request: null`."""
    body = {
        "action_content_type": content_type_id(operator_client, "batchrequest"),
        "action_object_id": 3, "obj_modified_date": "2026-01-02 10:00:00",
        "error_code": None, "error_desc": "Omnitron-ProcessImageBatchRequests",
        "raw_request": None, "raw_response": None, "is_ok": False,
    }  # fmt: skip

    response = operator_client.post(f"{base}error_reports/", body, format="json")

    assert response.status_code == 201, response.content
    report = response.json()
    assert [report["error_code"], report["raw_request"], report["raw_response"]] == ["", "", ""]


@pytest.mark.parametrize("kind", ["distinct", "country", "city", "township", "district"])
def test_address_error_reports_are_kept_once_per_place(operator_client, base, kind):
    body = {"type": "city", "remote_code": "34", "country_id": 1, "name": "Istanbul",
            "integration_type": "sales_channel", "err_code": "x", "err_desc": "no city"}  # fmt: skip

    first = operator_client.post(f"{base}error_reports/{kind}/", body)
    second = operator_client.post(f"{base}error_reports/{kind}/", {**body, "err_desc": "again"})

    assert first.status_code == second.status_code == 201
    assert AddressErrorReport.objects.get().err_desc == "again"
    assert AddressErrorReport.objects.get().data["country_id"] == 1
    # The path names the type; `distinct/` takes the body's.
    assert AddressErrorReport.objects.get().type == ("city" if kind == "distinct" else kind)
    assert operator_client.get(f"{base}error_reports/{kind}/").json()["count"] == 1


def test_an_unknown_error_report_type_is_a_json_404(operator_client, base):
    response = operator_client.post(f"{base}error_reports/planet/", {})

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


@pytest.mark.parametrize("body", ["[1]", "[]", '"city"', "5", "null"])
def test_an_address_error_report_body_that_is_not_an_object_is_a_400(operator_client, base, body):
    """It was stored as an empty report of the path's type, the body dropped."""
    response = operator_client.post(
        f"{base}error_reports/city/", body, content_type="application/json"
    )

    assert response.status_code == 400
    assert list(response.json()) == ["non_field_errors"]  # "Invalid data. Expected a dictionary…"
    assert not AddressErrorReport.objects.exists()


def test_content_types_of_our_integration_models_are_real(db):
    assert ContentType.objects.get(app_label="channels", model="integrationaction").model_class()


def test_deleted_without_a_model_looks_at_every_model_with_actions(operator_client, base):
    operator_client.post(
        f"{base}integration_actions/", {"content_type": "product", "object_id": 424242}
    )
    operator_client.post(
        f"{base}integration_actions/", {"content_type": "categorynode", "object_id": 1}
    )
    session = ContentType.objects.get(app_label="sessions", model="session")
    IntegrationAction.objects.create(
        channel_id=int(base.split("/")[-2]), content_type=session, object_id=1
    )

    response = operator_client.get(f"{base}integration_actions/deleted/")

    assert [item["object_id"] for item in response.json()["results"]] == [424242]
