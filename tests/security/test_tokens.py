"""Token lifetimes and revocation beyond tests/accounts/test_api.py: a session token ends with
PAZAR_SELLER_SESSION_SECONDS, a revocation touches only its token, and a seller token stops
working as soon as its user may no longer act for its seller."""

import time

import pytest
from rest_framework.test import APIClient

from pazar.accounts.models import SellerAccessToken, SellerMembership
from pazar.backoffice.views.panel import SESSION_KEY as PANEL_SESSION_KEY
from tests.factories import (
    PASSWORD,
    SellerFactory,
    SellerMembershipFactory,
    UserFactory,
    seller_token,
)

pytestmark = pytest.mark.django_db

OBTAIN = "/seller-center/api/i1/token/obtain/"
TOKENS = "/seller-center/api/i2/access-tokens/"
LANGUAGES = "/seller-center/api/i1/languages/"
PANEL_PRODUCTS = "/seller-center/panel/products/"
INVALID = {"detail": "Invalid token.", "code": "authentication_failed"}


def client_with(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


def test_a_session_token_stops_working_when_its_lifetime_is_over(settings, api_client):
    settings.PAZAR_SELLER_SESSION_SECONDS = 1
    SellerMembershipFactory(user=UserFactory(email="shop@example.com"))
    key = api_client.post(
        OBTAIN, {"email": "shop@example.com", "password": PASSWORD}, format="json"
    ).json()["access"]
    assert client_with(key).get(LANGUAGES).status_code == 200

    time.sleep(1.1)
    response = client_with(key).get(LANGUAGES)

    assert response.status_code == 401
    assert response.json() == {
        "detail": "Token has expired or was revoked.",
        "code": "token_expired",
    }


def test_revoking_one_token_leaves_the_sellers_other_tokens_working(seller_client):
    membership = SellerMembership.objects.get(seller=seller_client.seller)
    doomed, doomed_key = seller_token(membership, note="doomed")
    _, kept_key = seller_token(membership, note="kept")

    assert seller_client.delete(f"{TOKENS}{doomed.id}/").status_code == 204

    assert client_with(doomed_key).get(LANGUAGES).status_code == 401
    assert client_with(kept_key).get(LANGUAGES).status_code == 200
    assert seller_client.get(LANGUAGES).status_code == 200


def test_tokens_of_a_deactivated_seller_user_stop_working(seller_membership):
    _, key = seller_token(seller_membership)
    seller_membership.user.is_active = False
    seller_membership.user.save()

    response = client_with(key).get(LANGUAGES)

    assert (response.status_code, response.json()) == (401, INVALID)


def test_tokens_of_a_user_removed_from_the_seller_stop_working(seller_membership):
    _, key = seller_token(seller_membership)
    seller_membership.delete()

    response = client_with(key).get(LANGUAGES)

    assert (response.status_code, response.json()) == (401, INVALID)


def test_tokens_of_a_user_moved_to_another_seller_do_not_act_for_the_old_one(seller_membership):
    old_seller = seller_membership.seller
    _, old_key = seller_token(seller_membership)
    seller_membership.seller = SellerFactory()
    seller_membership.save()

    response = client_with(old_key).get(TOKENS)

    assert (response.status_code, response.json()) == (401, INVALID)
    assert old_seller.access_tokens.exists()  # kept for the record, but dead


def test_a_panel_session_of_a_user_removed_from_the_seller_is_over(seller_membership):
    session_token, _ = seller_token(seller_membership, note="panel")
    SellerAccessToken.objects.filter(pk=session_token.pk).update(
        kind=SellerAccessToken.Kind.SESSION
    )
    client = APIClient()
    session = client.session
    session[PANEL_SESSION_KEY] = str(session_token.pk)
    session.save()
    assert client.get(PANEL_PRODUCTS).status_code == 200
    seller_membership.delete()

    response = client.get(PANEL_PRODUCTS)

    assert response.status_code == 302
    assert response["Location"].startswith("/seller-center/panel/sign-in/")
