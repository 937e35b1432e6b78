"""Races of package actions on real PostgreSQL connections."""

import pytest

from pazar.fulfilment.models import Package, PackageEvent
from tests.fulfilment.conftest import client_of, place
from tests.orders.conftest import make_shop
from tests.orders.factories import CargoCompanyFactory
from tests.orders.test_races import _race

pytestmark = pytest.mark.postgres_only

SHIP = {"shipping_company": "YK", "tracking_number": "TRK-1"}


def test_eight_retries_of_one_action_with_one_key_apply_it_once(
    transactional_db, operator_client, settings
):
    settings.PAZAR_RATE_LIMITS = None
    CargoCompanyFactory(erp_code="YK")
    shop = make_shop()
    place(operator_client, shop, "MP-1", [shop.item(shop.offer)])
    package = Package.objects.get(seller=shop.offer.seller)
    seller = client_of(shop.offer.seller)
    url = f"/seller-center/api/i2/packages/{package.number}/ship/"

    outcomes = _race(
        8,
        lambda _: seller.post(url, SHIP, format="json", HTTP_IDEMPOTENCY_KEY="same"),
    )

    assert {o.status_code for o in outcomes} == {200}
    assert len({o.content for o in outcomes}) == 1
    assert PackageEvent.objects.filter(package=package, to_status=4).count() == 1


def test_eight_different_actions_at_once_on_one_package_end_in_one_legal_state(
    transactional_db, operator_client, settings
):
    settings.PAZAR_RATE_LIMITS = None
    CargoCompanyFactory(erp_code="YK")
    shop = make_shop()
    place(operator_client, shop, "MP-1", [shop.item(shop.offer)])
    package = Package.objects.get(seller=shop.offer.seller)
    seller = client_of(shop.offer.seller)
    base = f"/seller-center/api/i2/packages/{package.number}/"

    def act(racer: int):
        if racer % 2:
            return seller.post(base + "ship/", SHIP, format="json").status_code
        return seller.post(base + "ready/").status_code

    outcomes = _race(8, act)

    assert set(outcomes) <= {200, 409} and 200 in outcomes
    package.refresh_from_db()
    assert package.status == 4
    moves = list(
        PackageEvent.objects.filter(package=package).values_list("from_status", "to_status")
    )
    assert moves in ([(None, 2), (2, 4)], [(None, 2), (2, 3), (3, 4)])
