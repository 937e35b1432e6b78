"""Logins and tokens of the three sites (seeds 000, 001; Seller Center §1.2 to 1.3)."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from pazar.accounts.models import SellerAccessToken
from tests.factories import (
    PASSWORD,
    OperatorFactory,
    SellerMembershipFactory,
    UserFactory,
    operator_token,
    seller_token,
)

pytestmark = pytest.mark.django_db

OMNITRON_LOGINS = ["/omnitron/api/i1/auth/login/", "/omnitron/api/v1/auth/login/"]
LOGINS = [*OMNITRON_LOGINS, "/whippy-ware/api/v1/auth/login/"]
EXPIRE = "/whippy-ware/api/v1/expire-token/"
ACTIVE_USER = "/omnitron/api/v1/active_user/"
OBTAIN = "/seller-center/api/i1/token/obtain/"
TOKENS = "/seller-center/api/i2/access-tokens/"
LANGUAGES = "/seller-center/api/i1/languages/"
INVALID = {"non_field_errors": ["Unable to log in with provided credentials."]}


def token_client(key, scheme="Token"):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"{scheme} {key}".strip())
    return client


# --- operator login (Omnitron, Whippy Ware) ----------------------------------------------


@pytest.mark.parametrize("url", LOGINS)
def test_login_returns_a_key_that_is_the_same_on_every_login(api_client, url):
    user = OperatorFactory(username="test")

    first = api_client.post(url, {"username": "test", "password": PASSWORD}, format="json")
    second = api_client.post(url, {"username": "test", "password": PASSWORD}, format="json")

    assert first.status_code == 200
    assert list(first.json()) == ["key"]
    assert re.fullmatch(r"[0-9a-f]{40}", first.json()["key"])
    assert second.json() == first.json()
    assert Token.objects.get(user=user).key == first.json()["key"]


@pytest.mark.parametrize("url", LOGINS)
def test_login_without_fields_names_each_missing_field(api_client, url):
    response = api_client.post(url, {}, format="json")

    assert response.status_code == 400
    assert response.json() == {
        "username": ["This field is required."],
        "password": ["This field is required."],
    }


@pytest.mark.parametrize("url", LOGINS)
def test_login_with_a_wrong_password_is_a_400_non_field_error(api_client, url):
    OperatorFactory(username="test")

    response = api_client.post(url, {"username": "test", "password": "wrong"}, format="json")

    assert response.status_code == 400
    assert response.json() == INVALID


@pytest.mark.parametrize("url", LOGINS)
def test_seller_users_and_inactive_users_cannot_log_in_as_operators(api_client, url):
    SellerMembershipFactory(user=UserFactory(username="seller-admin"))
    OperatorFactory(username="gone", is_active=False)

    for username in ["seller-admin", "gone"]:
        response = api_client.post(url, {"username": username, "password": PASSWORD}, format="json")
        assert response.status_code == 400
        assert response.json() == INVALID


def test_the_login_key_authenticates_omnitron_requests(api_client):
    OperatorFactory(username="test", email="ops@example.com")
    key = api_client.post(
        OMNITRON_LOGINS[0], {"username": "test", "password": PASSWORD}, format="json"
    ).json()["key"]

    response = token_client(key).get(ACTIVE_USER)

    assert response.status_code == 200
    assert response.json()["username"] == "test"
    assert response.json()["email"] == "ops@example.com"


@pytest.mark.parametrize(
    ("header", "detail", "code"),
    [
        (
            "Token 0123456789abcdef0123456789abcdef01234567",
            "Invalid token.",
            "authentication_failed",
        ),
        ("Token", "Invalid token header. No credentials provided.", "authentication_failed"),
        (
            "Token a b",
            "Invalid token header. Token string should not contain spaces.",
            "authentication_failed",
        ),
    ],
)
def test_bad_operator_tokens_are_a_401(header, detail, code):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)

    response = client.get(ACTIVE_USER)

    assert response.status_code == 401
    assert response.json() == {"detail": detail, "code": code}


def test_a_seller_token_reaches_no_omnitron_endpoint(seller_membership):
    _, key = seller_token(seller_membership)

    response = token_client(key).get(ACTIVE_USER)

    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid token.", "code": "authentication_failed"}


def test_an_operator_token_reaches_no_seller_center_endpoint(operator):
    response = token_client(operator_token(operator)).get(LANGUAGES)

    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid token.", "code": "authentication_failed"}


# --- Whippy Ware expire-token (seed 001) --------------------------------------------------


def test_expire_token_answers_204_and_the_token_stops_working_at_once():
    user = OperatorFactory(username="test")
    client = token_client(operator_token(user))

    response = client.post(EXPIRE, {"username": "test"}, format="json")

    assert response.status_code == 204
    assert response.content == b""
    after = client.post(EXPIRE, {"username": "test"}, format="json")
    assert after.status_code == 401
    assert after.json() == {"detail": "Invalid token.", "code": "authentication_failed"}


@pytest.mark.parametrize("body", [{}, {"email": "test@test.com"}])
def test_expire_token_without_username_is_the_documented_400(operator_client, body):
    response = operator_client.post(EXPIRE, body, format="json")

    assert response.status_code == 400
    assert response.json() == {"username": ["This field is required."]}


def test_expire_token_of_an_unknown_user_is_a_400(operator_client):
    response = operator_client.post(EXPIRE, {"username": "nobody"}, format="json")

    assert response.status_code == 400
    assert response.json() == {"username": ["No user with this username."]}


def test_expiring_another_users_token_needs_permission():
    other = OperatorFactory(username="other")
    other_key = operator_token(other)
    staff = token_client(operator_token(OperatorFactory(username="staff")))
    admin = token_client(operator_token(OperatorFactory(username="admin", is_superuser=True)))

    denied = staff.post(EXPIRE, {"username": "other"}, format="json")
    allowed = admin.post(EXPIRE, {"username": "other"}, format="json")

    assert denied.status_code == 403
    assert denied.json() == {
        "detail": "You do not have permission to expire another user's token.",
        "code": "permission_denied",
    }
    assert allowed.status_code == 204
    assert not Token.objects.filter(key=other_key).exists()


def test_expire_token_needs_authentication(api_client):
    response = api_client.post(EXPIRE, {"username": "test"}, format="json")

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_after_expiry_a_new_login_issues_a_new_key(api_client):
    user = OperatorFactory(username="test")
    old = operator_token(user)
    token_client(old).post(EXPIRE, {"username": "test"}, format="json")

    response = api_client.post(LOGINS[2], {"username": "test", "password": PASSWORD}, format="json")

    assert response.status_code == 200
    assert response.json()["key"] != old
    assert token_client(response.json()["key"]).get(ACTIVE_USER).status_code == 200


# --- Seller Center token obtain and access tokens -----------------------------------------


def test_token_obtain_gives_a_seller_session_token(api_client):
    membership = SellerMembershipFactory(
        user=UserFactory(username="shop", email="shop@example.com")
    )

    response = api_client.post(
        OBTAIN, {"email": "Shop@Example.com", "password": PASSWORD}, format="json"
    )

    assert response.status_code == 200
    assert list(response.json()) == ["access"]
    token = SellerAccessToken.objects.get(kind=SellerAccessToken.Kind.SESSION)
    assert token.seller == membership.seller
    assert token.valid_until > timezone.now() + timedelta(hours=23)


@pytest.mark.parametrize("scheme", ["Bearer", "Token", "bearer", ""])
def test_seller_center_accepts_bearer_token_and_bare_keys(api_client, scheme):
    SellerMembershipFactory(user=UserFactory(username="shop", email="shop@example.com"))
    access = api_client.post(
        OBTAIN, {"email": "shop@example.com", "password": PASSWORD}, format="json"
    )

    response = token_client(access.json()["access"], scheme).get(LANGUAGES)

    assert response.status_code == 200


def test_token_obtain_with_wrong_credentials_is_a_400(api_client):
    SellerMembershipFactory(user=UserFactory(username="shop", email="shop@example.com"))
    OperatorFactory(username="ops", email="ops@example.com")

    wrong = api_client.post(
        OBTAIN, {"email": "shop@example.com", "password": "nope"}, format="json"
    )
    operator = api_client.post(
        OBTAIN, {"email": "ops@example.com", "password": PASSWORD}, format="json"
    )
    missing = api_client.post(OBTAIN, {}, format="json")

    assert (wrong.status_code, wrong.json()) == (400, INVALID)
    assert (operator.status_code, operator.json()) == (400, INVALID)
    assert missing.status_code == 400
    assert missing.json() == {
        "email": ["This field is required."],
        "password": ["This field is required."],
    }


def test_an_admin_creates_an_access_token_whose_key_is_shown_once(seller_client):
    response = seller_client.post(
        TOKENS, {"note": "ERP integration", "valid_until": "2031-01-01T00:00:00Z"}, format="json"
    )

    assert response.status_code == 201
    body = response.json()
    assert set(body) == {
        "id",
        "key",
        "key_prefix",
        "note",
        "status",
        "valid_until",
        "revoked_at",
        "created_at",
    }
    assert body["note"] == "ERP integration"
    assert body["status"] == "Active"
    assert body["valid_until"] == "2031-01-01T00:00:00Z"
    assert body["key"][:8] == body["key_prefix"]
    assert token_client(body["key"]).get(LANGUAGES).status_code == 200
    listed = seller_client.get(TOKENS).json()["results"]
    assert next(item for item in listed if item["id"] == body["id"]).get("key") is None


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({}, {"valid_until": ["This field is required."]}),
        ({"valid_until": "2001-01-01T00:00:00Z"}, {"valid_until": ["Must be in the future."]}),
        (
            {"valid_until": "soon"},
            {
                "valid_until": [
                    "Datetime has wrong format. Use one of these formats instead: YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z]."
                ]
            },
        ),
        (
            {"valid_until": "2031-01-01T00:00:00Z", "note": "x" * 256},
            {"note": ["Ensure this field has no more than 255 characters."]},
        ),
    ],
)
def test_invalid_access_token_requests_are_a_400(seller_client, body, errors):
    response = seller_client.post(TOKENS, body, format="json")

    assert response.status_code == 400
    assert response.json() == errors


def test_only_seller_admins_manage_access_tokens(seller_membership):
    member = SellerMembershipFactory(seller=seller_membership.seller, is_admin=False)
    mine, _ = seller_token(seller_membership)
    _, member_key = seller_token(member)
    client = token_client(member_key)

    created = client.post(TOKENS, {"valid_until": "2031-01-01T00:00:00Z"}, format="json")
    revoked = client.delete(f"{TOKENS}{mine.id}/")

    expected = {
        "detail": "Only the seller's admin users can manage access tokens.",
        "code": "permission_denied",
    }
    assert (created.status_code, created.json()) == (403, expected)
    assert (revoked.status_code, revoked.json()) == (403, expected)


def test_revoking_a_token_stops_it_at_once_and_keeps_it_listed_as_expired(
    seller_client, seller_membership
):
    token, key = seller_token(seller_membership, note="to revoke")
    assert token_client(key).get(LANGUAGES).status_code == 200

    response = seller_client.delete(f"{TOKENS}{token.id}/")

    assert response.status_code == 204
    after = token_client(key).get(LANGUAGES)
    assert after.status_code == 401
    assert after.json() == {"detail": "Token has expired or was revoked.", "code": "token_expired"}
    detail = seller_client.get(f"{TOKENS}{token.id}/").json()
    assert detail["status"] == "Expired"
    assert detail["revoked_at"] is not None
    assert [
        item["note"] for item in seller_client.get(TOKENS, {"status": "Expired"}).json()["results"]
    ] == ["to revoke"]


def test_an_expired_token_is_a_401(seller_membership):
    _, key = seller_token(seller_membership, valid_for=timedelta(seconds=-1))

    response = token_client(key).get(LANGUAGES)

    assert response.status_code == 401
    assert response.json()["code"] == "token_expired"


def test_tokens_of_a_deactivated_seller_stop_working(seller_membership):
    _, key = seller_token(seller_membership)
    seller_membership.seller.is_active = False
    seller_membership.seller.save()

    response = token_client(key).get(LANGUAGES)

    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid token.", "code": "authentication_failed"}


def test_another_sellers_token_is_a_404_never_a_403(seller_client):
    other = SellerMembershipFactory()
    theirs, their_key = seller_token(other)

    read = seller_client.get(f"{TOKENS}{theirs.id}/")
    revoke = seller_client.delete(f"{TOKENS}{theirs.id}/")
    listed = seller_client.get(TOKENS).json()["results"]

    assert (read.status_code, read.json()) == (404, {"detail": "Not found.", "code": "not_found"})
    assert (revoke.status_code, revoke.json()) == (
        404,
        {"detail": "Not found.", "code": "not_found"},
    )
    assert str(theirs.id) not in [item["id"] for item in listed]
    assert token_client(their_key).get(LANGUAGES).status_code == 200


def test_session_tokens_are_not_listed_among_access_tokens(
    api_client, seller_client, seller_membership
):
    user = seller_membership.user
    api_client.post(OBTAIN, {"email": user.email, "password": PASSWORD}, format="json")

    listed = seller_client.get(TOKENS).json()

    assert listed["count"] == 1  # the fixture's own access token only
