"""Seed 003's requests, sent over HTTP to a running server as the page shows them."""

import json

import pytest
import requests

from tests.factories import OperatorFactory, operator_token

# The seed's request body for POST, PUT and PATCH, verbatim.
SEED_BODY = """{
  "id": 1,
  "name": "Test Application",
  "application_type": "sales-channel",
  "config": {
    "web_url": "https://application-test.akinon.net/",
    "visible_type": "empty",
    "client_path": "test/path"
  },
  "is_active": true,
  "remote_object_id": 1234,
  "created_by": 5,
  "is_visible": false,
  "is_proxy_available": true,
  "related_application_id": "app-4567",
  "created_date": "2024-01-01T12:00:00Z",
  "modified_date": "2024-01-02T12:00:00Z"
}"""
# The seed's documented responses carry the same object.
SEED_OBJECT = json.loads(SEED_BODY)
SERVER_MANAGED = {"id", "created_date", "modified_date"}


@pytest.fixture
def seed(live_server, transactional_db):
    key = operator_token(OperatorFactory(is_superuser=True))
    headers = {
        "Authorization": f"Token {key}",
        "Content-Type": "application/json",
        "Accept": "*/*",
    }
    base = f"{live_server.url}/omnitron/api/v1/applications/"
    return base, headers


def assert_seed_shape(body: dict) -> None:
    assert set(body) == set(SEED_OBJECT)
    assert {k: v for k, v in body.items() if k not in SERVER_MANAGED} == {
        k: v for k, v in SEED_OBJECT.items() if k not in SERVER_MANAGED
    }
    assert isinstance(body["id"], int)
    for name in ["created_date", "modified_date"]:
        assert body[name].endswith("Z")
        assert not body[name].startswith("2024-01-0")  # the server's clock, not the client's


def test_seed_create_list_retrieve_update_patch_and_soft_delete(seed):
    base, headers = seed

    created = requests.post(base, data=SEED_BODY, headers=headers, timeout=10)
    item = f"{base}{created.json()['id']}/"
    listed = requests.get(base, headers=headers, timeout=10)
    read = requests.get(item, headers=headers, timeout=10)
    put = requests.put(item, data=SEED_BODY, headers=headers, timeout=10)
    patched = requests.patch(item, data=SEED_BODY, headers=headers, timeout=10)
    deleted = requests.delete(item, headers=headers, timeout=10)
    after = requests.get(item, headers=headers, timeout=10)

    assert created.status_code == 201
    assert created.headers["Content-Type"] == "application/json"
    assert_seed_shape(created.json())
    assert listed.status_code == 200
    assert listed.json()["count"] == 1
    assert_seed_shape(listed.json()["results"][0])
    assert read.status_code == 200
    assert read.json() == created.json()
    assert put.status_code == 200
    assert_seed_shape(put.json())
    assert patched.status_code == 200
    assert_seed_shape(patched.json())
    assert deleted.status_code == 204
    assert deleted.content == b""
    assert after.status_code == 200
    assert after.json()["is_active"] is False


def test_seed_body_in_its_documented_length_is_accepted(seed):
    base, headers = seed
    compact = json.dumps(SEED_OBJECT, separators=(",", ":"))

    created = requests.post(base, data=compact, headers=headers, timeout=10)

    assert len(compact) == 392  # the seed's Content-Length
    assert created.status_code == 201
    assert_seed_shape(created.json())


def test_seed_list_filters_are_accepted(seed):
    base, headers = seed
    requests.post(base, data=SEED_BODY, headers=headers, timeout=10)
    query = {
        "page": 1,
        "limit": 10,
        "name": "Test Application",
        "application_type": "sales-channel",
        "is_active": "True",
        "name__contains": "Test",
        "name__icontains": "test",
        "related_application_id__iexact": "APP-4567",
    }

    response = requests.get(base, params=query, headers=headers, timeout=10)

    assert response.status_code == 200
    assert [item["name"] for item in response.json()["results"]] == ["Test Application"]


def test_seed_error_statuses_have_json_bodies(seed):
    base, headers = seed

    unauthorized = requests.get(base, headers={"Accept": "*/*"}, timeout=10)
    missing = requests.get(f"{base}424242/", headers=headers, timeout=10)
    delete_missing = requests.delete(f"{base}424242/", headers=headers, timeout=10)
    invalid = requests.post(base, data="{}", headers=headers, timeout=10)

    assert unauthorized.status_code == 401
    assert unauthorized.json()["code"] == "not_authenticated"
    assert missing.status_code == 404
    assert missing.json() == {"detail": "Not found.", "code": "not_found"}
    assert delete_missing.status_code == 404
    assert invalid.status_code == 400
    assert invalid.json() == {
        "name": ["This field is required."],
        "application_type": ["This field is required."],
    }
