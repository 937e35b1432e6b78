"""A many-related field takes a list of ids, never an object (whose keys DRF would read as one)."""

import pytest

from pazar.inventory.models import StockList
from pazar.pricing.models import PriceList
from tests.factories import OperatorFactory, SellerFactory

pytestmark = pytest.mark.django_db


def not_a_list(kind: str) -> list[str]:
    return [f'Expected a list of items but got type "{kind}".']


@pytest.mark.parametrize("value", [{}, "seller-uuid-as-key"])
@pytest.mark.parametrize(
    ("url", "body", "model"),
    [
        ("/omnitron/api/v1/stock_list/", {"name": "W", "code": "w"}, StockList),
        ("/omnitron/api/i1/stock_list/", {"name": "W", "code": "w"}, StockList),
        ("/omnitron/api/v1/price_list/", {"name": "P", "code": "p", "currency": "try"}, PriceList),
    ],
)
def test_sellers_given_as_an_object_are_a_400_and_nothing_is_written(
    operator_client, url, body, model, value
):
    seller = SellerFactory()
    sellers = {} if value == {} else {str(seller.pk): True}

    response = operator_client.post(url, {**body, "sellers": sellers}, format="json")

    assert response.status_code == 400
    assert response.json() == {"sellers": not_a_list("dict")}
    assert not model.objects.exists()


def test_groups_given_as_an_object_are_a_400_and_the_user_keeps_theirs(operator_client):
    staff = OperatorFactory(is_superuser=False)

    response = operator_client.patch(
        f"/omnitron/api/v1/users/{staff.pk}/", {"groups": {"1": "x"}}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {"groups": not_a_list("dict")}
    assert not staff.groups.exists()
