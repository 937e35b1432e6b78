"""Tenant isolation: every Seller Center URL that names an object, called by one seller with
another seller's id, is a 404 — for every method the view answers — and changes nothing.

The URLs are read from the Seller Center's URLconf (API and panel pages alike), so a new URL
that takes an id fails `test_every_seller_center_url_with_an_id_is_in_the_matrix` until it is
given a way to make another seller's object below (or is declared shared).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from django.forms.models import model_to_dict
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import RoutePattern
from rest_framework.test import APIClient

from pazar.accounts.models import SellerAccessToken
from pazar.backoffice.views.panel import SESSION_KEY as PANEL_SESSION_KEY
from pazar.batches.models import BatchKind
from pazar.batches.services import batch_accept, batch_import_accept
from pazar.fulfilment.models import Package
from tests.batches.helpers import run_ready_tasks
from tests.factories import (
    OperatorFactory,
    ProductFactory,
    ProductStockFactory,
    SellerMembershipFactory,
    operator_token,
    seller_token,
)
from tests.fulfilment.conftest import place
from tests.orders.conftest import make_shop

pytestmark = pytest.mark.django_db

NOT_FOUND = {"detail": "Not found.", "code": "not_found"}
UNSAFE = ["post", "put", "patch", "delete"]


def other_token(membership) -> tuple[dict, object]:
    token, _ = seller_token(membership, note="theirs")
    return {"pk": token.pk, "token_id": token.pk}, token


def other_batch(membership) -> tuple[dict, object]:
    batch = batch_accept(
        seller=membership.seller,
        kind=BatchKind.STOCK_UPSERT,
        body=None,
        rows=[{"sku": "THEIRS", "stock_list": "x", "stock": "1"}],
    )
    run_ready_tasks("default")  # so that the success and error files exist too
    batch.refresh_from_db()
    return {"id": batch.pk, "batch_id": batch.pk}, batch


def other_import(membership) -> tuple[dict, object]:
    file_import = batch_import_accept(
        seller=membership.seller,
        kind=BatchKind.STOCK_UPSERT,
        file_name="theirs.csv",
        file_format="csv",
        rows=[{"sku": "THEIRS", "stock_list": "x", "stock": "1"}],
        table={"columns": ["sku", "stock_list", "stock"], "rows": [["THEIRS", "x", "1"]],
               "numbers": [1]},
    )  # fmt: skip
    run_ready_tasks("default")  # so that its failed rows file exists too
    return {"import_id": file_import.pk}, file_import


def other_product(membership) -> tuple[dict, object]:
    product = ProductFactory(seller=membership.seller, live=True)
    return {"product_id": product.uuid}, product


def _placed(membership):
    """An order with one unit of the seller's offer: the order and the seller's package."""

    shop = make_shop()
    offer = ProductFactory(seller=membership.seller, live=True)
    ProductStockFactory(product=offer, stock_list=shop.channel.catalog.stock_list, stock=5)
    operator = APIClient()
    operator.credentials(
        HTTP_AUTHORIZATION=f"Token {operator_token(OperatorFactory(is_superuser=True))}"
    )
    order = place(operator, shop, "THEIRS-1", [shop.item(offer)])
    return order, Package.objects.get(order=order, seller=membership.seller)


def other_package(membership) -> tuple[dict, object]:
    _, package = _placed(membership)
    return {"number": package.number}, package


def other_order(membership) -> tuple[dict, object]:
    order, _ = _placed(membership)
    return {"number": order.number}, order


def other_claim(membership) -> tuple[dict, object]:
    from pazar.claims.services import ClaimLine, order_cancel
    from pazar.orders.models import OrderItem
    from tests.claims.factories import CancellationReasonFactory

    order, _ = _placed(membership)
    [claim] = order_cancel(
        order=order,
        lines=[
            ClaimLine(
                order_item=OrderItem.objects.get(order=order), reason=CancellationReasonFactory()
            )
        ],
    )
    return {"claim_id": claim.uuid}, claim


# URL name -> how to make another seller's object, as (URL kwargs, the object).
OTHER_SELLERS_OBJECTS: dict[str, Callable] = {
    "access-token-detail": other_token,
    "batch-request": other_batch,
    "batch-request-file": other_batch,
    "panel-product": other_product,
    "panel-batch": other_batch,
    "panel-batch-progress": other_batch,
    "panel-token-revoke": other_token,
    "panel-upload": other_import,
    "panel-upload-failed-rows": other_import,
    "package-items": other_package,
    **{
        f"package-{action}": other_package
        for action in ("ready", "ship", "invoice", "split", "reject-items")
    },
    "order-detail": other_order,
    "claim-approve": other_claim,
    "claim-reject": other_claim,
    "panel-package": other_package,
    "panel-package-action": other_package,
    "panel-claim": other_claim,
    "panel-claim-action": other_claim,
}
# URL name -> why its id is not any seller's.
SHARED = {"category-attributes": "categories are the marketplace's, the same for every seller"}
EXTRA_KWARGS = {
    "batch-request-file": [{"kind": "request"}, {"kind": "success"}, {"kind": "error"}],
    "panel-package-action": [
        {"action": action} for action in ("ready", "ship", "invoice", "split", "reject-items")
    ],
    "panel-claim-action": [{"action": "approve"}, {"action": "reject"}],
}


@dataclass
class Route:
    name: str
    params: set[str]
    methods: list[str]


def _params(pattern) -> set[str]:
    if isinstance(pattern.pattern, RoutePattern):
        return set(pattern.pattern.converters)
    return set(pattern.pattern.regex.groupindex)


def _methods(callback) -> list[str]:
    view_class = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
    if view_class is None:  # a function view: it says what it refuses with a 405
        return ["get", "post"]
    return [
        m
        for m in view_class.http_method_names
        if m not in {"options", "head"} and hasattr(view_class, m)
    ]


def _walk(patterns, inherited: set[str]) -> Iterator[Route]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, inherited | _params(entry))
        elif isinstance(entry, URLPattern):
            params = inherited | _params(entry)
            if params:
                yield Route(entry.name, params, _methods(entry.callback))


def seller_center_routes() -> list[Route]:
    [site] = [
        entry
        for entry in get_resolver().url_patterns
        if isinstance(entry, URLResolver) and entry.namespace == "seller-center"
    ]
    return list(_walk(site.url_patterns, set()))


ROUTES = [route for route in seller_center_routes() if route.name not in SHARED]


def client_of(membership) -> APIClient:
    """A seller user's client for the API (token) and the panel pages (signed in) alike."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {seller_token(membership)[1]}")
    session_token, _ = seller_token(membership, note="panel")
    SellerAccessToken.objects.filter(pk=session_token.pk).update(
        kind=SellerAccessToken.Kind.SESSION
    )
    session = client.session
    session[PANEL_SESSION_KEY] = str(session_token.pk)
    session.save()
    return client


def snapshot(obj) -> dict:
    obj.refresh_from_db()
    return model_to_dict(obj)


def test_every_seller_center_url_with_an_id_is_in_the_matrix():
    names = {route.name for route in seller_center_routes()}

    assert names - SHARED.keys() <= OTHER_SELLERS_OBJECTS.keys(), (
        "Seller Center URLs with ids missing from OTHER_SELLERS_OBJECTS: "
        f"{sorted(names - SHARED.keys() - OTHER_SELLERS_OBJECTS.keys())}"
    )
    assert {"access-token-detail", "batch-request", "batch-request-file"} <= names


@pytest.mark.parametrize("route", ROUTES, ids=[route.name for route in ROUTES])
def test_another_sellers_id_is_a_404_for_every_method(settings, route):
    settings.PAZAR_RATE_LIMITS = None
    owner, intruder = SellerMembershipFactory(), SellerMembershipFactory()
    make = OTHER_SELLERS_OBJECTS[route.name]
    kwargs, obj = make(owner)
    before = snapshot(obj)

    for extra in EXTRA_KWARGS.get(route.name, [{}]):
        url = reverse(
            f"seller-center:{route.name}",
            kwargs={
                name: value for name, value in {**kwargs, **extra}.items() if name in route.params
            },
        )
        answered_404 = []
        for method in route.methods:
            response = getattr(client_of(intruder), method)(url)
            assert response.status_code in {404, 405}, (method, url, response.status_code)
            if response.status_code == 404:
                answered_404.append(method)
                if response["Content-Type"] == "application/json":
                    assert response.json() == NOT_FOUND
        assert answered_404, f"{url} answered no method with a 404"
        if "get" in answered_404:  # the id is real: its owner is served
            assert client_of(owner).get(url).status_code == 200, url

    assert snapshot(obj) == before


def test_unsafe_methods_are_tried_where_a_view_answers_them():
    methods = {route.name: route.methods for route in ROUTES}

    assert "delete" in methods["access-token-detail"]
    assert set(UNSAFE) & set(methods["panel-token-revoke"])
