"""Omnitron groups and the permissions they hold (omnitron.md §10)."""

import pytest
from django.contrib.auth.models import Group, Permission
from rest_framework.test import APIClient

from tests.factories import OperatorFactory, operator_token, staff_with_perms

pytestmark = pytest.mark.django_db

GROUPS = "/omnitron/api/v1/groups/"
PERMISSIONS = "/omnitron/api/v1/permissions/"
PRICE_LISTS = "/omnitron/api/v1/price_list/"


def client_for(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {operator_token(user)}")
    return client


def perm(name: str) -> Permission:
    app_label, codename = name.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def group_body(group: Group) -> dict:
    group.refresh_from_db()
    return {
        "pk": group.pk,
        "id": group.pk,
        "name": group.name,
        "permissions": sorted(
            f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()
        ),
    }


# --- groups -------------------------------------------------------------------------------


def test_a_group_is_created_with_its_permissions(operator_client):
    response = operator_client.post(
        GROUPS,
        {
            "name": "Catalog editors",
            "permissions": ["catalog.view_product", "catalog.change_product"],
        },
        format="json",
    )

    assert response.status_code == 201
    group = Group.objects.get()
    assert response.json() == {
        "pk": group.pk,
        "id": group.pk,
        "name": "Catalog editors",
        "permissions": ["catalog.change_product", "catalog.view_product"],
    }


def test_a_group_without_permissions_is_created_empty(operator_client):
    response = operator_client.post(GROUPS, {"name": "Nobody"}, format="json")

    assert response.status_code == 201
    assert response.json()["permissions"] == []


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({}, {"name": ["This field is required."]}),
        ({"name": ""}, {"name": ["This field may not be blank."]}),
        ({"name": "x" * 151}, {"name": ["Ensure this field has no more than 150 characters."]}),
        ({"name": "Editors"}, {"name": ["group with this name already exists."]}),
        (
            {
                "name": "New",
                "permissions": [
                    "catalog.view_product",
                    "catalog.fly",
                    "view_product",
                    "nothing.view_product",
                ],
            },
            {
                "permissions": [
                    'Unknown permission "catalog.fly".',
                    'Unknown permission "view_product".',
                    'Unknown permission "nothing.view_product".',
                ]
            },
        ),
        ({"name": "New", "permissions": [1]}, {"permissions": ['Unknown permission "1".']}),
        ({"name": "New", "permissions": None}, {"permissions": ["This field may not be null."]}),
    ],
)
def test_an_invalid_group_is_a_400_and_nothing_is_created(operator_client, body, errors):
    Group.objects.create(name="Editors")

    response = operator_client.post(GROUPS, body, format="json")

    assert response.status_code == 400
    assert response.json() == errors
    assert Group.objects.count() == 1


def test_groups_are_listed_by_id_and_filtered_by_name(operator_client):
    editors = Group.objects.create(name="Catalog editors")
    buyers = Group.objects.create(name="Buyers")
    editors.permissions.add(perm("catalog.view_product"))

    everything = operator_client.get(GROUPS)
    filtered = operator_client.get(GROUPS, {"name__icontains": "CATALOG"})
    exact = operator_client.get(GROUPS, {"name": "Buyers"})

    assert everything.status_code == 200
    assert everything.json() == {
        "count": 2,
        "next": None,
        "previous": None,
        "results": [group_body(editors), group_body(buyers)],
    }
    assert filtered.json()["results"] == [group_body(editors)]
    assert exact.json()["results"] == [group_body(buyers)]


def test_patch_replaces_the_permissions_and_the_groups_users_feel_it_at_once(operator_client):
    group = Group.objects.create(name="Pricing")
    member = OperatorFactory()
    member.groups.add(group)
    member_client = client_for(member)
    url = f"{GROUPS}{group.pk}/"

    before = member_client.get(PRICE_LISTS)
    granted = operator_client.patch(url, {"permissions": ["pricing.view_pricelist"]})
    during = member_client.get(PRICE_LISTS)
    renamed = operator_client.patch(url, {"name": "Price readers"})
    revoked = operator_client.patch(url, {"permissions": []})
    after = member_client.get(PRICE_LISTS)

    assert before.status_code == 403
    assert granted.status_code == 200
    assert granted.json()["permissions"] == ["pricing.view_pricelist"]
    assert during.status_code == 200
    assert renamed.json() == {**granted.json(), "name": "Price readers"}
    assert revoked.json()["permissions"] == []
    assert after.status_code == 403


def test_put_needs_a_name_and_keeps_permissions_it_does_not_mention(operator_client):
    group = Group.objects.create(name="Old")
    group.permissions.add(perm("catalog.view_product"))

    missing = operator_client.put(f"{GROUPS}{group.pk}/", {}, format="json")
    response = operator_client.put(f"{GROUPS}{group.pk}/", {"name": "New"}, format="json")

    assert missing.status_code == 400
    assert missing.json() == {"name": ["This field is required."]}
    assert response.status_code == 200
    assert response.json() == group_body(group)
    assert response.json()["permissions"] == ["catalog.view_product"]


def test_deleting_a_group_takes_its_permissions_from_its_users(operator_client):
    group = Group.objects.create(name="Pricing")
    group.permissions.add(perm("pricing.view_pricelist"))
    member = OperatorFactory()
    member.groups.add(group)

    response = operator_client.delete(f"{GROUPS}{group.pk}/")

    assert response.status_code == 204
    assert not Group.objects.exists()
    member.refresh_from_db()
    assert member.is_active is True
    assert client_for(member).get(PRICE_LISTS).status_code == 403
    assert operator_client.get(f"{GROUPS}{group.pk}/").status_code == 404


def test_a_staff_user_puts_into_groups_only_permissions_they_hold():
    me = staff_with_perms(
        "auth.view_group", "auth.add_group", "auth.change_group", "auth.delete_group",
        "catalog.view_product",
    )  # fmt: skip
    client = client_for(me)
    admins = Group.objects.create(name="Admins")
    admins.permissions.add(perm("auth.change_user"))

    allowed = client.post(
        GROUPS, {"name": "Readers", "permissions": ["catalog.view_product"]}, format="json"
    )
    created = client.post(
        GROUPS, {"name": "Mine", "permissions": ["auth.change_user"]}, format="json"
    )
    changed = client.patch(f"{GROUPS}{admins.pk}/", {"name": "Renamed"}, format="json")
    deleted = client.delete(f"{GROUPS}{admins.pk}/")

    expected = {
        "detail": "Only a superuser can manage groups holding permissions you do not hold: "
        "auth.change_user.",
        "code": "permission_denied",
    }
    assert allowed.status_code == 201
    assert (created.status_code, created.json()) == (403, expected)
    assert (changed.status_code, changed.json()) == (403, expected)
    assert (deleted.status_code, deleted.json()) == (403, expected)
    assert sorted(Group.objects.values_list("name", flat=True)) == ["Admins", "Readers"]


# --- permissions --------------------------------------------------------------------------


def test_permissions_are_listed_with_their_app_and_model(operator_client):
    view_product = perm("catalog.view_product")

    response = operator_client.get(
        PERMISSIONS, {"app_label": "catalog", "model": "product", "codename": "view_product"}
    )

    assert response.status_code == 200
    assert response.json() == {
        "count": 1,
        "next": None,
        "previous": None,
        "results": [
            {
                "pk": view_product.pk,
                "id": view_product.pk,
                "codename": "view_product",
                "name": "Can view product",
                "app_label": "catalog",
                "model": "product",
            }
        ],
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (
            {"app_label": "auth", "model": "group"},
            ["add_group", "change_group", "delete_group", "view_group"],
        ),
        ({"app_label__exact": "auth", "codename__startswith": "view_"}, None),
        ({"model": "user", "codename__in": "add_user,view_user"}, ["add_user", "view_user"]),
        ({"codename__icontains": "PRICELIST", "name__icontains": "view"}, ["view_pricelist"]),
        ({"app_label": "nothing"}, []),
    ],
)
def test_permissions_are_filtered(operator_client, query, expected):
    response = operator_client.get(PERMISSIONS, {**query, "limit": 1000})

    assert response.status_code == 200
    codenames = [item["codename"] for item in response.json()["results"]]
    if expected is None:
        assert codenames == ["view_group", "view_permission", "view_user"]
    else:
        assert codenames == expected


def test_the_permission_list_is_read_only(operator_client):
    response = operator_client.post(PERMISSIONS, {"codename": "fly"}, format="json")

    assert response.status_code == 405
    assert response.json() == {"detail": 'Method "POST" not allowed.', "code": "method_not_allowed"}
