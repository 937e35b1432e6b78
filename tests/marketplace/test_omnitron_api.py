"""Omnitron marketplace settings (our design): `auto_approve_products`."""

import pytest

from pazar.marketplace.models import MarketplaceSettings

pytestmark = pytest.mark.django_db

SETTINGS = "/omnitron/api/v1/marketplace_settings/"


def iso(value) -> str:
    return value.isoformat().replace("+00:00", "Z")


def test_the_settings_are_read_with_their_defaults(operator_client):
    response = operator_client.get(SETTINGS)

    assert response.status_code == 200
    row = MarketplaceSettings.objects.get()
    assert response.json() == {
        "auto_approve_products": False,
        "modified_date": iso(row.updated_at),
    }


def test_patch_turns_auto_approval_on(operator_client):
    response = operator_client.patch(SETTINGS, {"auto_approve_products": True}, format="json")

    assert response.status_code == 200
    row = MarketplaceSettings.load()
    assert row.auto_approve_products is True
    assert response.json() == {"auto_approve_products": True, "modified_date": iso(row.updated_at)}
    assert MarketplaceSettings.objects.count() == 1


def test_an_invalid_setting_is_a_400(operator_client):
    response = operator_client.patch(SETTINGS, {"auto_approve_products": "maybe"}, format="json")

    assert response.status_code == 400
    assert response.json() == {"auto_approve_products": ["Must be a valid boolean."]}
    assert MarketplaceSettings.load().auto_approve_products is False


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_the_settings_are_only_read_and_patched(operator_client, method):
    response = getattr(operator_client, method)(SETTINGS, {}, format="json")

    assert response.status_code == 405
