"""Who reaches which Omnitron endpoint: staff users with Django model permissions, given directly
or through groups, and nobody else.

The endpoint list is read from Omnitron's URLconf, so an endpoint added later is covered without
editing this file. The model-by-model matrix of the catalog, pricing and inventory endpoints is
in tests/api/test_omnitron_permissions.py.
"""

import re
import uuid

import pytest
from rest_framework.test import APIClient

from pazar.sites.omnitron import api_urlpatterns
from tests.factories import (
    OperatorFactory,
    SellerMembershipFactory,
    operator_token,
    seller_token,
    staff_with_perms,
)

pytestmark = pytest.mark.django_db

DENIED = {
    "detail": "You do not have permission to perform this action.",
    "code": "permission_denied",
}
# Reached without model permissions: the logins, and the caller reading themselves.
OPEN_TO_EVERY_OPERATOR = {"api/i1/auth/login/", "api/v1/auth/login/", "api/v1/active_user/"}
SAMPLE_ARGUMENTS = {"int": "999999", "uuid": str(uuid.UUID(int=0)), "path": "x/y", "str": "x"}


def _walk(patterns, prefix=""):
    for pattern in patterns:
        if hasattr(pattern, "url_patterns"):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern), pattern.callback


def _sample_url(route: str) -> str:
    """A URL the route matches: `<int:pk>` and `(?P<pk>[0-9]+)` become sample values."""

    def argument(match):
        return SAMPLE_ARGUMENTS.get(match.group(1) or "str", "x")

    def regex_argument(match):
        group = match.group(1)
        return next(
            (sample for sample in SAMPLE_ARGUMENTS.values() if re.fullmatch(group, sample)), "x"
        )

    url = re.sub(r"\(\?P<\w+>([^()]*)\)", regex_argument, route.lstrip("^").rstrip("$"))
    return "/omnitron/" + re.sub(r"<(?:(\w+):)?\w+>", argument, url)


def _endpoints():
    for route, callback in _walk(api_urlpatterns):
        view = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
        methods = [
            method
            for method in ["get", "post", "put", "patch", "delete"]
            if view is None or hasattr(view, method)
        ]
        for method in methods:
            yield route, method


ENDPOINTS = [(route, method) for route, method in _endpoints()]
PROTECTED = [(route, method) for route, method in ENDPOINTS if route not in OPEN_TO_EVERY_OPERATOR]
AUTHENTICATED = [(route, method) for route, method in ENDPOINTS if "auth/login" not in route]


def client_for(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {operator_token(user)}")
    return client


def call(client, method, url, body=None):
    return getattr(client, method)(url, body if method != "get" else None, format="json")


def ids(endpoint) -> str:
    return f"{endpoint[1].upper()} {endpoint[0]}"


# --- every endpoint -----------------------------------------------------------------------


def test_the_matrix_sees_every_endpoint_of_this_part():
    routes = {route for route, _ in ENDPOINTS}

    assert {
        "api/v1/users/",
        "api/v1/users/<int:pk>/",
        "api/v1/groups/",
        "api/v1/groups/<int:pk>/",
        "api/v1/permissions/",
    } <= routes
    assert len(PROTECTED) > 40


@pytest.mark.parametrize(("route", "method"), PROTECTED, ids=[ids(e) for e in PROTECTED])
def test_a_staff_user_without_permissions_reaches_no_endpoint(route, method):
    client = client_for(OperatorFactory())

    response = call(client, method, _sample_url(route), {})

    assert response.status_code == 403
    assert response.json() == DENIED


@pytest.mark.parametrize(("route", "method"), AUTHENTICATED, ids=[ids(e) for e in AUTHENTICATED])
def test_seller_tokens_and_anonymous_callers_reach_no_endpoint(api_client, route, method):
    _, key = seller_token(SellerMembershipFactory())
    seller = APIClient()
    seller.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    url = _sample_url(route)

    with_seller_token = call(seller, method, url, {})
    anonymous = call(api_client, method, url, {})

    assert with_seller_token.status_code == 401
    assert with_seller_token.json() == {"detail": "Invalid token.", "code": "authentication_failed"}
    assert anonymous.status_code == 401
    assert anonymous.json() == {
        "detail": "Authentication credentials were not provided.",
        "code": "not_authenticated",
    }


@pytest.mark.parametrize(("route", "method"), PROTECTED, ids=[ids(e) for e in PROTECTED])
def test_a_superuser_gets_past_every_permission_check(route, method):
    client = client_for(OperatorFactory(is_superuser=True))

    response = call(client, method, _sample_url(route), {})

    assert response.status_code not in {401, 403}


# --- permissions through groups -----------------------------------------------------------

# (list URL, the permission its GET needs)
LISTS = [
    ("/omnitron/api/v1/users/", "auth.view_user"),
    ("/omnitron/api/v1/groups/", "auth.view_group"),
    ("/omnitron/api/v1/permissions/", "auth.view_permission"),
    ("/omnitron/api/v1/price_list/", "pricing.view_pricelist"),
    ("/omnitron/api/v1/sellers/", "accounts.view_seller"),
]


@pytest.mark.parametrize(("url", "permission"), LISTS)
def test_a_staff_user_reads_exactly_while_a_group_gives_the_permission(
    operator_client, url, permission
):
    staff = OperatorFactory()
    staff_client = client_for(staff)
    groups = "/omnitron/api/v1/groups/"
    group = operator_client.post(groups, {"name": "Readers"}, format="json").json()
    operator_client.patch(f"/omnitron/api/v1/users/{staff.pk}/", {"groups": [group["pk"]]})

    in_group_without_permission = staff_client.get(url)
    operator_client.patch(f"{groups}{group['pk']}/", {"permissions": [permission]})
    with_permission = staff_client.get(url)
    operator_client.patch(f"/omnitron/api/v1/users/{staff.pk}/", {"groups": []})
    out_of_group = staff_client.get(url)
    operator_client.patch(f"/omnitron/api/v1/users/{staff.pk}/", {"groups": [group["pk"]]})
    back_in_group = staff_client.get(url)
    operator_client.patch(f"{groups}{group['pk']}/", {"permissions": []}, format="json")
    permission_removed = staff_client.get(url)

    assert in_group_without_permission.status_code == 403
    assert in_group_without_permission.json() == DENIED
    assert with_permission.status_code == 200
    assert out_of_group.status_code == 403
    assert back_in_group.status_code == 200
    assert permission_removed.status_code == 403


@pytest.mark.parametrize(
    ("method", "url", "body", "needs", "then"),
    [
        ("post", "/omnitron/api/v1/users/", {}, "auth.add_user", 400),
        ("patch", "/omnitron/api/v1/users/{user}/", {"first_name": "A"}, "auth.change_user", 200),
        ("put", "/omnitron/api/v1/users/{user}/", {"username": "u"}, "auth.change_user", 200),
        # Deactivating a user changes it; nothing is deleted.
        ("delete", "/omnitron/api/v1/users/{user}/", None, "auth.change_user", 204),
        ("post", "/omnitron/api/v1/groups/", {}, "auth.add_group", 400),
        ("patch", "/omnitron/api/v1/groups/{group}/", {"name": "B"}, "auth.change_group", 200),
        ("put", "/omnitron/api/v1/groups/{group}/", {"name": "B"}, "auth.change_group", 200),
        ("delete", "/omnitron/api/v1/groups/{group}/", None, "auth.delete_group", 204),
    ],
)
def test_each_write_needs_its_own_permission(operator_client, method, url, body, needs, then):
    model = needs.split("_")[-1]
    group = operator_client.post(
        "/omnitron/api/v1/groups/", {"name": "Staff", "permissions": [f"auth.view_{model}"]}
    ).json()
    staff = OperatorFactory()
    staff.groups.add(group["pk"])
    target_group = operator_client.post("/omnitron/api/v1/groups/", {"name": "A"}).json()
    url = url.format(user=OperatorFactory().pk, group=target_group["pk"])
    others = {"auth.add_user", "auth.change_user", "auth.delete_user"} | {
        "auth.add_group", "auth.change_group", "auth.delete_group",
    }  # fmt: skip
    wrong = sorted(others - {needs})

    operator_client.patch(
        f"/omnitron/api/v1/groups/{group['pk']}/",
        {"permissions": [f"auth.view_{model}", *wrong]},
        format="json",
    )
    without = call(client_for(staff), method, url, body)
    operator_client.patch(
        f"/omnitron/api/v1/groups/{group['pk']}/",
        {"permissions": [f"auth.view_{model}", needs]},
        format="json",
    )
    with_it = call(client_for(staff), method, url, body)

    assert without.status_code == 403
    assert without.json() == DENIED
    assert with_it.status_code == then


# --- applications ---------------------------------------------------------------------------


def test_a_staff_user_without_view_application_cannot_list_applications():
    without = client_for(OperatorFactory())
    viewer = client_for(staff_with_perms("applications.view_application"))

    denied = without.get("/omnitron/api/v1/applications/")

    assert denied.status_code == 403
    assert denied.json() == DENIED
    assert viewer.get("/omnitron/api/v1/applications/").status_code == 200
