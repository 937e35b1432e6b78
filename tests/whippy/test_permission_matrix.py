"""Who reaches which Whippy Ware endpoint: the Omnitron operators, with Django model permissions
(seed 001: Whippy Ware authenticates with Omnitron users), and nobody else.

The endpoint list is read from the site's URLconf, so an endpoint added later is covered.
"""

import re

import pytest
from rest_framework.test import APIClient

from pazar.sites.whippy_ware import api_urlpatterns
from tests.factories import (
    PASSWORD,
    OperatorFactory,
    SellerMembershipFactory,
    operator_token,
    seller_token,
    staff_with_perms,
)
from tests.whippy.factories import (
    ProviderFactory,
    StockFactory,
    StockListRuleFactory,
    StockLocationFactory,
    WhippyStockListFactory,
)

pytestmark = pytest.mark.django_db

BASE = "/whippy-ware/"
DENIED = {
    "detail": "You do not have permission to perform this action.",
    "code": "permission_denied",
}
OPEN_TO_EVERY_OPERATOR = {"api/v1/auth/login/", "api/v1/expire-token/"}


def _endpoints():
    for pattern in api_urlpatterns:
        view = pattern.callback.view_class
        for method in ["get", "post", "put", "patch", "delete"]:
            if hasattr(view, method):
                yield str(pattern.pattern), method


ENDPOINTS = list(_endpoints())
PROTECTED = [(route, method) for route, method in ENDPOINTS if route not in OPEN_TO_EVERY_OPERATOR]
AUTHENTICATED = [(route, method) for route, method in ENDPOINTS if "auth/login" not in route]


def url_of(route: str) -> str:
    return BASE + re.sub(r"<int:\w+>", "999999", route)


def client_for(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {operator_token(user)}")
    return client


def call(client, method, url, body=None):
    return getattr(client, method)(url, body if method != "get" else None, format="json")


def ids(endpoint) -> str:
    return f"{endpoint[1].upper()} {endpoint[0]}"


def test_the_matrix_sees_every_whippy_ware_endpoint():
    assert {route for route, _ in PROTECTED} == {
        "api/v1/providers/",
        "api/v1/providers/<int:pk>/",
        "api/v1/stock-locations/",
        "api/v1/stock-locations/<int:pk>/",
        "api/v1/stock-list-rules/",
        "api/v1/stock-list-rules/<int:pk>/",
        "api/v1/stock-lists/",
        "api/v1/stock-lists/<int:pk>/",
        "api/v1/stocks/",
        "api/v1/stocks/<int:pk>/",
        "api/v1/stocks/<int:pk>/reserve/",
        "api/v1/stocks/<int:pk>/release/",
    }


def test_an_omnitron_operator_logs_in_to_whippy_ware_and_its_key_works_on_both_sites(api_client):
    user = staff_with_perms("whippy.view_provider", "inventory.view_stocklist")
    user.username = "ops"
    user.set_password(PASSWORD)
    user.save()

    login = api_client.post(
        BASE + "api/v1/auth/login/", {"username": "ops", "password": PASSWORD}, format="json"
    )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {login.json()['key']}")

    assert login.status_code == 200
    assert client.get(BASE + "api/v1/providers/").status_code == 200
    assert client.get("/omnitron/api/v1/stock_list/").status_code == 200
    assert client.get(BASE + "api/v1/stocks/").status_code == 403
    expired = client.post(BASE + "api/v1/expire-token/", {"username": "ops"}, format="json")
    assert expired.status_code == 204
    assert client.get(BASE + "api/v1/providers/").status_code == 401


@pytest.mark.parametrize(("route", "method"), PROTECTED, ids=[ids(e) for e in PROTECTED])
def test_a_staff_user_without_permissions_reaches_no_endpoint(route, method):
    response = call(client_for(OperatorFactory()), method, url_of(route), {})

    assert response.status_code == 403
    assert response.json() == DENIED


@pytest.mark.parametrize(("route", "method"), AUTHENTICATED, ids=[ids(e) for e in AUTHENTICATED])
def test_seller_tokens_and_anonymous_callers_reach_no_endpoint(api_client, route, method):
    _, key = seller_token(SellerMembershipFactory())
    seller = APIClient()
    seller.credentials(HTTP_AUTHORIZATION=f"Token {key}")

    with_seller_token = call(seller, method, url_of(route), {})
    anonymous = call(api_client, method, url_of(route), {})

    assert with_seller_token.status_code == 401
    assert with_seller_token.json() == {"detail": "Invalid token.", "code": "authentication_failed"}
    assert anonymous.status_code == 401
    assert anonymous.json()["code"] == "not_authenticated"


@pytest.mark.parametrize(("route", "method"), PROTECTED, ids=[ids(e) for e in PROTECTED])
def test_a_superuser_gets_past_every_permission_check(route, method):
    response = call(client_for(OperatorFactory(is_superuser=True)), method, url_of(route), {})

    assert response.status_code not in {401, 403}


# (list URL, model, a factory of one row)
MODELS = [
    ("api/v1/providers/", "provider", ProviderFactory),
    ("api/v1/stock-locations/", "stocklocation", StockLocationFactory),
    ("api/v1/stock-list-rules/", "stocklistrule", StockListRuleFactory),
    ("api/v1/stock-lists/", "stocklist", WhippyStockListFactory),
    ("api/v1/stocks/", "stock", StockFactory),
]


@pytest.mark.parametrize(("url", "model", "factory"), MODELS)
def test_each_model_needs_its_own_view_add_change_and_delete_permissions(url, model, factory):
    row = factory()
    detail = f"{BASE}{url}{row.pk}/"
    perm = f"whippy.%s_{model}"
    viewer = client_for(staff_with_perms(perm % "view"))
    creator = client_for(staff_with_perms(perm % "view", perm % "add"))
    changer = client_for(staff_with_perms(perm % "view", perm % "change"))
    deleter = client_for(staff_with_perms(perm % "view", perm % "delete"))
    other_model = client_for(
        staff_with_perms("whippy.view_provider" if model != "provider" else "whippy.view_stock")
    )

    assert viewer.get(BASE + url).status_code == 200
    assert other_model.get(BASE + url).status_code == 403
    assert viewer.post(BASE + url, {}, format="json").status_code == 403
    assert creator.post(BASE + url, {}, format="json").status_code == 400  # on to validation
    assert viewer.patch(detail, {}, format="json").status_code == 403
    assert changer.patch(detail, {}, format="json").status_code == 200
    assert changer.delete(detail).status_code == 403
    assert deleter.delete(detail).status_code in {204, 400}  # a rule in use is a 400


@pytest.mark.parametrize("action", ["reserve", "release"])
def test_reserving_and_releasing_need_the_change_stock_permission(action):
    stock = StockFactory(stock=2, reserved_stock=1)
    url = f"{BASE}api/v1/stocks/{stock.pk}/{action}/"
    adder = client_for(staff_with_perms("whippy.view_stock", "whippy.add_stock"))
    changer = client_for(staff_with_perms("whippy.view_stock", "whippy.change_stock"))

    assert adder.post(url, {"quantity": 1}, format="json").status_code == 403
    assert changer.post(url, {"quantity": 1}, format="json").status_code == 200
