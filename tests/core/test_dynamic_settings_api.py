"""Dynamic settings (omnitron.md §6): known keys only, each value checked for its shape."""

import pytest

from pazar.core.models import DynamicSetting
from pazar.core.selectors import dynamic_setting_value

pytestmark = pytest.mark.django_db

SETTINGS = "/omnitron/api/v1/dynamic_settings/"
DESCRIPTION = "The largest product image accepted, in pixels (uploads and downloads)."


def iso(value) -> str:
    return value.isoformat().replace("+00:00", "Z")


def setting_body(setting: DynamicSetting) -> dict:
    setting.refresh_from_db()
    return {
        "pk": setting.pk,
        "id": setting.pk,
        "key": setting.key,
        "value": setting.value,
        "description": DESCRIPTION,
        "created_date": iso(setting.created_at),
        "modified_date": iso(setting.updated_at),
    }


def test_a_setting_has_its_default_until_one_is_posted_then_the_post_replaces_it(
    operator_client,
):
    default = dynamic_setting_value("MAX_IMAGE_DIMENSIONS")

    created = operator_client.post(
        SETTINGS,
        {"key": "MAX_IMAGE_DIMENSIONS", "value": {"WIDTH": 1200, "HEIGHT": 900}},
        format="json",
    )
    replaced = operator_client.post(
        SETTINGS,
        {"key": "MAX_IMAGE_DIMENSIONS", "value": {"HEIGHT": 3000, "WIDTH": 4000}},
        format="json",
    )

    setting = DynamicSetting.objects.get()
    assert default == {"WIDTH": 2000, "HEIGHT": 2000}
    assert created.status_code == 201
    assert created.json()["value"] == {"WIDTH": 1200, "HEIGHT": 900}
    assert replaced.status_code == 200
    assert replaced.json() == setting_body(setting)
    assert replaced.json()["pk"] == created.json()["pk"]
    assert dynamic_setting_value("MAX_IMAGE_DIMENSIONS") == {"WIDTH": 4000, "HEIGHT": 3000}


def test_settings_are_listed_read_and_deleted_back_to_their_default(operator_client):
    pk = operator_client.post(
        SETTINGS, {"key": "MAX_IMAGE_DIMENSIONS", "value": {"WIDTH": 10, "HEIGHT": 10}}
    ).json()["pk"]
    expected = setting_body(DynamicSetting.objects.get())

    listed = operator_client.get(SETTINGS)
    by_key = operator_client.get(SETTINGS, {"key": "MAX_IMAGE_DIMENSIONS"})
    by_other_key = operator_client.get(SETTINGS, {"key": "OTHER"})
    read = operator_client.get(f"{SETTINGS}{pk}/")
    deleted = operator_client.delete(f"{SETTINGS}{pk}/")

    assert listed.json() == {
        "count": 1,
        "next": None,
        "previous": None,
        "results": [expected],
    }
    assert by_key.json()["count"] == 1
    assert by_other_key.json()["count"] == 0
    assert read.json() == expected
    assert deleted.status_code == 204
    assert operator_client.get(f"{SETTINGS}{pk}/").status_code == 404
    assert dynamic_setting_value("MAX_IMAGE_DIMENSIONS") == {"WIDTH": 2000, "HEIGHT": 2000}


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({}, {"key": ["This field is required."], "value": ["This field is required."]}),
        (
            {"key": "SOMETHING", "value": 1},
            {
                "key": [
                    "Unknown setting 'SOMETHING'; known settings: MAX_IMAGE_DIMENSIONS, RETURN_RESTOCK_ON."
                ]
            },
        ),
        (
            {"key": "MAX_IMAGE_DIMENSIONS", "value": None},
            {"value": ["This field may not be null."]},
        ),
        (
            {"key": "MAX_IMAGE_DIMENSIONS", "value": [2000, 2000]},
            {"value": ['Expected {"WIDTH": <pixels>, "HEIGHT": <pixels>}.']},
        ),
        (
            {"key": "MAX_IMAGE_DIMENSIONS", "value": {"WIDTH": 2000}},
            {"value": ['Expected {"WIDTH": <pixels>, "HEIGHT": <pixels>}.']},
        ),
        (
            {"key": "MAX_IMAGE_DIMENSIONS", "value": {"WIDTH": 2000, "HEIGHT": 2000, "DEPTH": 1}},
            {"value": ['Expected {"WIDTH": <pixels>, "HEIGHT": <pixels>}.']},
        ),
        (
            {"key": "MAX_IMAGE_DIMENSIONS", "value": {"WIDTH": "2000", "HEIGHT": 2000}},
            {
                "value": [
                    'WIDTH must be an integer. Expected {"WIDTH": <pixels>, "HEIGHT": <pixels>}.'
                ]
            },
        ),
        (
            {"key": "MAX_IMAGE_DIMENSIONS", "value": {"WIDTH": 2000, "HEIGHT": True}},
            {
                "value": [
                    'HEIGHT must be an integer. Expected {"WIDTH": <pixels>, "HEIGHT": <pixels>}.'
                ]
            },
        ),
        (
            {"key": "MAX_IMAGE_DIMENSIONS", "value": {"WIDTH": 0, "HEIGHT": 2000}},
            {"value": ["WIDTH must be between 1 and 10000."]},
        ),
        (
            {"key": "MAX_IMAGE_DIMENSIONS", "value": {"WIDTH": 2000, "HEIGHT": 10001}},
            {"value": ["HEIGHT must be between 1 and 10000."]},
        ),
    ],
    ids=[
        "empty",
        "unknown key",
        "null",
        "list",
        "missing side",
        "extra side",
        "string",
        "bool",
        "zero",
        "too large",
    ],
)
def test_a_bad_setting_is_a_400_and_stores_nothing(operator_client, body, errors):
    response = operator_client.post(SETTINGS, body, format="json")

    assert response.status_code == 400
    assert response.json() == errors
    assert not DynamicSetting.objects.exists()
