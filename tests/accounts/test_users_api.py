"""Omnitron users (omnitron.md §10): operators manage operators; seller users are not theirs."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.factories import (
    PASSWORD,
    OperatorFactory,
    SellerMembershipFactory,
    UserFactory,
    operator_token,
    staff_with_perms,
)

pytestmark = pytest.mark.django_db

User = get_user_model()
USERS = "/omnitron/api/v1/users/"
LOGIN = "/omnitron/api/v1/auth/login/"
ACTIVE_USER = "/omnitron/api/v1/active_user/"
STRONG = "a long passphrase of mine"
NOT_FOUND = {"detail": "Not found.", "code": "not_found"}
SUPERUSER_ONLY = {
    "detail": "Only a superuser can grant superuser status or change a superuser.",
    "code": "permission_denied",
}


def client_for(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {operator_token(user)}")
    return client


def iso(value) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value else None


def user_body(user) -> dict:
    user.refresh_from_db()
    return {
        "pk": user.pk,
        "id": user.pk,
        "username": user.username,
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "is_active": user.is_active,
        "is_staff": user.is_staff,
        "is_superuser": user.is_superuser,
        "groups": sorted(user.groups.values_list("pk", flat=True)),
        "user_permissions": sorted(
            f"{p.content_type.app_label}.{p.codename}" for p in user.user_permissions.all()
        ),
        "date_joined": iso(user.date_joined),
        "last_login": iso(user.last_login),
    }


def group_with(name: str, *perms: str) -> Group:
    group = Group.objects.create(name=name)
    for perm in perms:
        app_label, codename = perm.split(".")
        group.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    return group


# --- create -------------------------------------------------------------------------------


def test_a_superuser_creates_an_operator_who_can_log_in(operator_client, api_client):
    editors = group_with("Editors", "catalog.view_product")

    response = operator_client.post(
        USERS,
        {
            "username": "editor",
            "email": "editor@Example.COM",
            "first_name": "Ayşe",
            "last_name": "Yılmaz",
            "password": STRONG,
            "groups": [editors.pk],
            "user_permissions": ["pricing.view_pricelist", "catalog.change_product"],
            "date_joined": "2001-01-01T00:00:00Z",
        },
        format="json",
    )

    assert response.status_code == 201
    user = User.objects.get(username="editor")
    assert response.json() == user_body(user)
    assert response.json()["email"] == "editor@example.com"
    assert response.json()["user_permissions"] == [
        "catalog.change_product",
        "pricing.view_pricelist",
    ]
    assert (user.is_staff, user.is_superuser, user.is_active) == (True, False, True)
    assert user.date_joined.year > 2001
    assert "password" not in response.json()
    login = api_client.post(LOGIN, {"username": "editor", "password": STRONG}, format="json")
    assert login.status_code == 200


def test_a_user_created_as_not_staff_is_no_operator(operator_client, api_client):
    response = operator_client.post(
        USERS, {"username": "plain", "password": STRONG, "is_staff": False}, format="json"
    )
    key = api_client.post(LOGIN, {"username": "plain", "password": STRONG}, format="json").json()

    assert response.status_code == 201
    assert response.json()["is_staff"] is False
    assert client_for(User.objects.get(username="plain")).get(ACTIVE_USER).status_code == 403
    assert len(key["key"]) == 40


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        (
            {},
            {"username": ["This field is required."], "password": ["This field is required."]},
        ),
        (
            {"username": "new", "password": "12345"},
            {
                "password": [
                    "This password is too short. It must contain at least 8 characters.",
                    "This password is too common.",
                    "This password is entirely numeric.",
                ]
            },
        ),
        (
            {"username": "jane.doe", "email": "jane.doe@example.com", "password": "jane.doe1"},
            {"password": ["The password is too similar to the username."]},
        ),
        (
            {"username": "taken", "password": STRONG},
            {"username": ["A user with that username already exists."]},
        ),
        (
            {"username": "shop", "password": STRONG},
            {"username": ["A user with that username already exists."]},
        ),
        (
            {"username": "no spaces", "password": STRONG},
            {
                "username": [
                    "Enter a valid username. This value may contain only letters, numbers, "
                    "and @/./+/-/_ characters."
                ]
            },
        ),
        (
            {"username": "x" * 151, "password": STRONG},
            {"username": ["Ensure this field has no more than 150 characters."]},
        ),
        (
            {"username": "new", "password": STRONG, "email": "nope"},
            {"email": ["Enter a valid email address."]},
        ),
        (
            {"username": "new", "password": STRONG, "email": "TAKEN@example.com"},
            {"email": ['The email "TAKEN@example.com" is taken.']},
        ),
        (
            {"username": "new", "password": STRONG, "groups": [999999]},
            {"groups": ['Invalid pk "999999" - object does not exist.']},
        ),
        (
            {
                "username": "new",
                "password": STRONG,
                "user_permissions": ["catalog.view_product", "catalog.fly", "nodot"],
            },
            {
                "user_permissions": [
                    'Unknown permission "catalog.fly".',
                    'Unknown permission "nodot".',
                ]
            },
        ),
        (
            {"username": "new", "password": STRONG, "user_permissions": "catalog.view_product"},
            {"user_permissions": ['Expected a list of items but got type "str".']},
        ),
    ],
)
def test_an_invalid_user_is_a_400_and_nothing_is_created(operator_client, body, errors):
    UserFactory(username="taken", email="taken@example.com")
    SellerMembershipFactory(user=UserFactory(username="shop"))
    before = User.objects.count()

    response = operator_client.post(USERS, body, format="json")

    assert response.status_code == 400
    assert response.json() == errors
    assert User.objects.count() == before


# --- list, filters, read ------------------------------------------------------------------


def test_users_are_listed_by_id_without_seller_users(operator_client, operator):
    first = OperatorFactory(username="first")
    SellerMembershipFactory(user=UserFactory(username="shop"))
    gone = OperatorFactory(username="gone", is_active=False)

    response = operator_client.get(USERS)

    assert response.status_code == 200
    assert response.json() == {
        "count": 3,
        "next": None,
        "previous": None,
        "results": [user_body(operator), user_body(first), user_body(gone)],
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"username": "ayse"}, ["ayse"]),
        ({"username__exact": "ayse"}, ["ayse"]),
        ({"username__icontains": "AY"}, ["ayse", "mayday"]),
        ({"email": "AYSE@EXAMPLE.COM"}, []),
        ({"email__iexact": "AYSE@EXAMPLE.COM"}, ["ayse"]),
        ({"email__icontains": "example.org"}, ["mayday"]),
        ({"is_active": "false"}, ["mayday"]),
        ({"is_staff": "false"}, ["plain"]),
        ({"is_superuser": "true"}, ["admin"]),
        ({"groups": "EDITORS"}, ["ayse"]),
        ({"date_joined__gte": "2030-01-01T00:00:00Z"}, ["plain"]),
        ({"date_joined__lt": "2030-01-01T00:00:00+00:00"}, ["admin", "ayse", "mayday"]),
    ],
)
def test_users_are_filtered(operator_client, operator, query, expected):
    editors = Group.objects.create(name="Editors")
    OperatorFactory(username="ayse", email="ayse@example.com").groups.add(editors)
    OperatorFactory(username="mayday", email="m@example.org", is_active=False)
    OperatorFactory(username="plain", is_staff=False, date_joined="2030-06-01T00:00:00Z")
    SellerMembershipFactory(user=UserFactory(username="shop-ayse", email="ayse@example.com"))
    operator.username = "admin"
    operator.save()
    query = {key: editors.pk if value == "EDITORS" else value for key, value in query.items()}

    response = operator_client.get(USERS, query)

    assert response.status_code == 200
    assert sorted(item["username"] for item in response.json()["results"]) == expected


def test_a_filter_value_that_does_not_parse_is_a_400(operator_client):
    response = operator_client.get(USERS, {"date_joined__gte": "yesterday", "groups": "x"})

    assert response.status_code == 400
    assert set(response.json()) == {"date_joined__gte", "groups"}


def test_a_user_is_read_by_id_and_a_seller_user_is_a_404(operator_client):
    user = OperatorFactory()
    seller_user = SellerMembershipFactory().user

    found = operator_client.get(f"{USERS}{user.pk}/")
    seller = operator_client.get(f"{USERS}{seller_user.pk}/")
    missing = operator_client.get(f"{USERS}999999/")

    assert (found.status_code, found.json()) == (200, user_body(user))
    assert (seller.status_code, seller.json()) == (404, NOT_FOUND)
    assert (missing.status_code, missing.json()) == (404, NOT_FOUND)


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_seller_users_cannot_be_changed_here(operator_client, method):
    membership = SellerMembershipFactory()
    body = {"username": "renamed", "password": STRONG} if method != "delete" else None

    response = getattr(operator_client, method)(
        f"{USERS}{membership.user.pk}/", body, format="json"
    )

    assert (response.status_code, response.json()) == (404, NOT_FOUND)
    membership.user.refresh_from_db()
    assert membership.user.is_active is True
    assert membership.user.username != "renamed"


# --- change -------------------------------------------------------------------------------


def test_patch_changes_the_fields_sent_and_ignores_read_only_ones(operator_client):
    user = OperatorFactory(username="ayse", first_name="Ayşe")
    editors = group_with("Editors")
    user.user_permissions.add(Permission.objects.get(codename="view_product"))
    joined = user.date_joined

    response = operator_client.patch(
        f"{USERS}{user.pk}/",
        {
            "last_name": "Yılmaz",
            "groups": [editors.pk],
            "date_joined": "2001-01-01T00:00:00Z",
            "last_login": "2001-01-01T00:00:00Z",
            "id": 12345,
        },
        format="json",
    )

    assert response.status_code == 200
    assert response.json() == user_body(user)
    assert (user.first_name, user.last_name) == ("Ayşe", "Yılmaz")
    assert response.json()["groups"] == [editors.pk]
    assert response.json()["user_permissions"] == ["catalog.view_product"]
    assert (user.date_joined, user.last_login, user.pk) == (joined, None, response.json()["id"])


def test_put_replaces_the_user_and_needs_a_username(operator_client):
    user = OperatorFactory(username="ayse", first_name="Ayşe", email="a@example.com")
    user.user_permissions.add(Permission.objects.get(codename="view_product"))

    missing = operator_client.put(f"{USERS}{user.pk}/", {"first_name": "A"}, format="json")
    response = operator_client.put(
        f"{USERS}{user.pk}/",
        {"username": "ayse.y", "first_name": "", "email": "", "user_permissions": []},
        format="json",
    )

    assert missing.status_code == 400
    assert missing.json() == {"username": ["This field is required."]}
    assert response.status_code == 200
    assert response.json() == user_body(user)
    assert (user.username, user.first_name, user.email) == ("ayse.y", "", "")
    assert response.json()["user_permissions"] == []


def test_a_new_password_is_validated_and_ends_the_old_token(operator_client, api_client):
    user = OperatorFactory(username="ayse")
    own = client_for(user)
    url = f"{USERS}{user.pk}/"

    weak = operator_client.patch(url, {"password": "ayse"}, format="json")
    still = own.get(ACTIVE_USER)
    changed = operator_client.patch(url, {"password": STRONG}, format="json")

    assert weak.status_code == 400
    assert weak.json() == {
        "password": [
            "The password is too similar to the username.",
            "This password is too short. It must contain at least 8 characters.",
        ]
    }
    assert still.status_code == 200
    assert changed.status_code == 200
    assert "password" not in changed.json()
    assert own.get(ACTIVE_USER).status_code == 401
    old = api_client.post(LOGIN, {"username": "ayse", "password": PASSWORD}, format="json")
    new = api_client.post(LOGIN, {"username": "ayse", "password": STRONG}, format="json")
    assert old.status_code == 400
    assert new.status_code == 200


def test_changing_an_email_to_anothers_is_a_400(operator_client):
    OperatorFactory(email="taken@example.com")
    user = OperatorFactory(email="mine@example.com")

    taken = operator_client.patch(f"{USERS}{user.pk}/", {"email": "Taken@example.com"})
    same = operator_client.patch(f"{USERS}{user.pk}/", {"email": "mine@example.com"})

    assert taken.status_code == 400
    assert taken.json() == {"email": ['The email "Taken@example.com" is taken.']}
    assert same.status_code == 200


# --- deactivate ---------------------------------------------------------------------------


def test_delete_deactivates_the_user_who_stays_listed_and_whose_token_stops(
    operator_client, api_client
):
    user = OperatorFactory(username="leaving")
    leaving = client_for(user)
    assert leaving.get(ACTIVE_USER).status_code == 200

    response = operator_client.delete(f"{USERS}{user.pk}/")

    assert response.status_code == 204
    assert response.content == b""
    user.refresh_from_db()
    assert user.is_active is False
    assert not Token.objects.filter(user=user).exists()
    after = leaving.get(ACTIVE_USER)
    assert after.status_code == 401
    assert after.json() == {"detail": "Invalid token.", "code": "authentication_failed"}
    assert operator_client.get(f"{USERS}{user.pk}/").json()["is_active"] is False
    listed = operator_client.get(USERS, {"is_active": "false"}).json()["results"]
    assert [item["username"] for item in listed] == ["leaving"]
    login = api_client.post(LOGIN, {"username": "leaving", "password": PASSWORD}, format="json")
    assert login.status_code == 400


def test_patching_is_active_false_also_ends_the_token_and_true_restores_the_login(
    operator_client, api_client
):
    user = OperatorFactory(username="paused")
    token = operator_token(user)

    off = operator_client.patch(f"{USERS}{user.pk}/", {"is_active": False}, format="json")
    on = operator_client.patch(f"{USERS}{user.pk}/", {"is_active": True}, format="json")

    assert (off.status_code, on.status_code) == (200, 200)
    assert not Token.objects.filter(key=token).exists()
    login = api_client.post(LOGIN, {"username": "paused", "password": PASSWORD}, format="json")
    assert login.status_code == 200
    assert login.json()["key"] != token


# --- who may change whom ------------------------------------------------------------------


def test_only_a_superuser_creates_a_superuser():
    staff = client_for(staff_with_perms("auth.view_user", "auth.add_user"))
    admin = client_for(OperatorFactory(is_superuser=True))
    body = {"username": "root2", "password": STRONG, "is_superuser": True}

    denied = staff.post(USERS, body, format="json")
    allowed = admin.post(USERS, body, format="json")

    assert (denied.status_code, denied.json()) == (403, SUPERUSER_ONLY)
    assert allowed.status_code == 201
    assert allowed.json()["is_superuser"] is True


@pytest.mark.parametrize(
    ("method", "body"),
    [
        ("patch", {"first_name": "Root"}),
        ("patch", {"password": STRONG}),
        ("put", {"username": "root"}),
        ("delete", None),
    ],
)
def test_only_a_superuser_changes_a_superuser(method, body):
    root = OperatorFactory(username="root", is_superuser=True)
    staff = client_for(staff_with_perms("auth.view_user", "auth.change_user"))
    url = f"{USERS}{root.pk}/"

    denied = getattr(staff, method)(url, body, format="json")

    assert (denied.status_code, denied.json()) == (403, SUPERUSER_ONLY)
    root.refresh_from_db()
    assert (root.first_name, root.is_active, root.check_password(PASSWORD)) == ("", True, True)
    other_root = client_for(OperatorFactory(is_superuser=True))
    assert getattr(other_root, method)(url, body, format="json").status_code in {200, 204}


def test_a_staff_user_cannot_make_themselves_superuser():
    me = staff_with_perms("auth.view_user", "auth.change_user")

    response = client_for(me).patch(f"{USERS}{me.pk}/", {"is_superuser": True}, format="json")

    assert (response.status_code, response.json()) == (403, SUPERUSER_ONLY)
    me.refresh_from_db()
    assert me.is_superuser is False


@pytest.mark.parametrize(
    "body",
    [
        {"user_permissions": ["auth.view_user", "auth.change_user", "auth.delete_user"]},
        {"groups": ["ADMINS"]},
    ],
)
def test_a_staff_user_grants_only_permissions_they_hold(body):
    me = staff_with_perms("auth.view_user", "auth.change_user")
    other = OperatorFactory()
    admins = group_with("Admins", "auth.delete_user", "auth.view_user")
    body = {key: [admins.pk if v == "ADMINS" else v for v in value] for key, value in body.items()}

    to_self = client_for(me).patch(f"{USERS}{me.pk}/", body, format="json")
    to_other = client_for(me).patch(f"{USERS}{other.pk}/", body, format="json")

    expected = {
        "detail": "Only a superuser can manage users holding permissions you do not hold: "
        "auth.delete_user.",
        "code": "permission_denied",
    }
    assert (to_self.status_code, to_self.json()) == (403, expected)
    assert (to_other.status_code, to_other.json()) == (403, expected)
    assert not me.has_perm("auth.delete_user")
    assert list(other.groups.all()) == []


def test_a_staff_user_may_grant_what_they_hold_but_not_change_users_holding_more():
    me = staff_with_perms("auth.view_user", "auth.change_user", "catalog.view_product")
    junior = OperatorFactory()
    senior = staff_with_perms("auth.delete_user")
    client = client_for(me)

    granted = client.patch(
        f"{USERS}{junior.pk}/", {"user_permissions": ["catalog.view_product"]}, format="json"
    )
    renamed = client.patch(f"{USERS}{senior.pk}/", {"first_name": "X"}, format="json")
    deactivated = client.delete(f"{USERS}{senior.pk}/")

    assert granted.status_code == 200
    assert granted.json()["user_permissions"] == ["catalog.view_product"]
    assert renamed.status_code == 403
    assert deactivated.status_code == 403
    senior.refresh_from_db()
    assert (senior.first_name, senior.is_active) == ("", True)


# --- active user --------------------------------------------------------------------------


def test_active_user_shows_the_callers_groups_and_everything_they_may_do():
    user = staff_with_perms("catalog.view_product", username="ayse", email="ayse@example.com")
    editors = group_with("Editors", "catalog.change_product", "catalog.view_product")
    user.groups.add(editors)

    response = client_for(user).get(ACTIVE_USER)

    assert response.status_code == 200
    assert response.json() == {
        "pk": user.pk,
        "id": user.pk,
        "username": "ayse",
        "email": "ayse@example.com",
        "first_name": "",
        "last_name": "",
        "is_staff": True,
        "is_superuser": False,
        "is_active": True,
        "date_joined": iso(user.date_joined),
        "last_login": None,
        "groups": [editors.pk],
        "permissions": ["catalog.change_product", "catalog.view_product"],
    }


def test_a_superusers_active_user_lists_every_permission(operator_client):
    permissions = operator_client.get(ACTIVE_USER).json()["permissions"]

    assert len(permissions) == Permission.objects.count()
    assert "auth.delete_user" in permissions
