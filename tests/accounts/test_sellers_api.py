"""Omnitron sellers (our design): the operator creates sellers and manages their settings."""

import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from pazar.accounts.models import Seller
from tests.factories import SellerFactory, SellerMembershipFactory, UserFactory, seller_token

pytestmark = pytest.mark.django_db

SELLERS = "/omnitron/api/v1/sellers/"
STRONG = "a long passphrase of mine"


def iso(value) -> str:
    return value.isoformat().replace("+00:00", "Z")


def seller_body(seller: Seller) -> dict:
    seller.refresh_from_db()
    return {
        "id": str(seller.id),
        "name": seller.name,
        "is_active": seller.is_active,
        "callback_url": seller.callback_url,
        "created_date": iso(seller.created_at),
        "modified_date": iso(seller.updated_at),
    }


def test_a_seller_is_created_with_its_first_admin_user(operator_client, api_client):
    response = operator_client.post(
        SELLERS,
        {
            "name": "Acme",
            "username": "acme-admin",
            "password": STRONG,
            "email": "Admin@Acme.example",
        },
        format="json",
    )

    assert response.status_code == 201
    seller = Seller.objects.get()
    assert response.json() == seller_body(seller)
    membership = get_user_model().objects.get(username="acme-admin").seller_membership
    assert (membership.seller, membership.is_admin) == (seller, True)
    login = api_client.post(
        "/seller-center/api/i1/token/obtain/",
        {"email": "admin@acme.example", "password": STRONG},
        format="json",
    )
    assert login.status_code == 200


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        (
            {},
            {
                "name": ["This field is required."],
                "username": ["This field is required."],
                "password": ["This field is required."],
            },
        ),
        (
            {"name": "acme", "username": "new", "password": STRONG},
            {"name": ['A seller named "acme" already exists.']},
        ),
        (
            {"name": "Other", "username": "taken", "password": STRONG},
            {"username": ['The username "taken" is taken.']},
        ),
        (
            {"name": "Other", "username": "new", "password": "12345"},
            {
                "password": [
                    "This password is too short. It must contain at least 8 characters.",
                    "This password is too common.",
                    "This password is entirely numeric.",
                ]
            },
        ),
        (
            {"name": "Other", "username": "new", "password": STRONG, "email": "nope"},
            {"email": ["Enter a valid email address."]},
        ),
    ],
)
def test_an_invalid_seller_is_a_400_and_nothing_is_created(operator_client, body, errors):
    SellerFactory(name="Acme")
    UserFactory(username="taken")

    response = operator_client.post(SELLERS, body, format="json")

    assert response.status_code == 400
    assert response.json() == errors
    assert Seller.objects.count() == 1
    assert not get_user_model().objects.filter(username="new").exists()


def test_sellers_are_listed_by_name_and_filtered(operator_client):
    zeta, acme = SellerFactory(name="Zeta"), SellerFactory(name="Acme")
    SellerFactory(name="Closed", is_active=False)

    everyone = operator_client.get(SELLERS)
    active = operator_client.get(SELLERS, {"is_active": "true", "name__icontains": "e"})

    assert everyone.status_code == 200
    assert [item["name"] for item in everyone.json()["results"]] == ["Acme", "Closed", "Zeta"]
    assert active.json()["results"] == [seller_body(acme), seller_body(zeta)]


def test_a_seller_is_read_by_its_id(operator_client):
    seller = SellerFactory()

    response = operator_client.get(f"{SELLERS}{seller.id}/")
    missing = operator_client.get(f"{SELLERS}00000000-0000-0000-0000-000000000000/")

    assert response.status_code == 200
    assert response.json() == seller_body(seller)
    assert missing.status_code == 404


def test_patch_changes_a_seller_and_keeps_the_callback_secret_write_only(operator_client):
    seller = SellerFactory(name="Acme")

    response = operator_client.patch(
        f"{SELLERS}{seller.id}/",
        {
            "name": " Acme Textiles ",
            "callback_url": "https://acme.example/hooks/batches",
            "callback_secret": "s3cret",
        },
        format="json",
    )

    assert response.status_code == 200
    assert response.json() == seller_body(seller)
    assert "callback_secret" not in response.json()
    assert (seller.name, seller.callback_url, seller.callback_secret) == (
        "Acme Textiles",
        "https://acme.example/hooks/batches",
        "s3cret",
    )


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({"name": "OTHER"}, {"name": ['A seller named "OTHER" already exists.']}),
        ({"name": ""}, {"name": ["This field may not be blank."]}),
        ({"callback_url": "not a url"}, {"callback_url": ["Enter a valid URL."]}),
        ({"is_active": "sometimes"}, {"is_active": ["Must be a valid boolean."]}),
    ],
)
def test_an_invalid_seller_change_is_a_400(operator_client, body, errors):
    SellerFactory(name="Other")
    seller = SellerFactory(name="Acme")

    response = operator_client.patch(f"{SELLERS}{seller.id}/", body, format="json")

    assert response.status_code == 400
    assert response.json() == errors


def test_deactivating_a_seller_stops_its_tokens(operator_client):
    membership = SellerMembershipFactory()
    _, key = seller_token(membership)
    seller_client = APIClient()
    seller_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    before = seller_client.get("/seller-center/api/i1/languages/")

    response = operator_client.patch(
        f"{SELLERS}{membership.seller.id}/", {"is_active": False}, format="json"
    )
    after = seller_client.get("/seller-center/api/i1/languages/")

    assert before.status_code == 200
    assert response.status_code == 200
    assert response.json()["is_active"] is False
    assert after.status_code == 401
    assert after.json() == {"detail": "Invalid token.", "code": "authentication_failed"}


@pytest.mark.parametrize("method", ["put", "delete"])
def test_sellers_are_not_replaced_or_deleted_through_the_api(operator_client, method):
    seller = SellerFactory()

    response = getattr(operator_client, method)(f"{SELLERS}{seller.id}/", {}, format="json")

    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"
