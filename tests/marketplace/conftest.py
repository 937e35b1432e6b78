import pytest

from tests.marketplace.helpers import build_marketplace


@pytest.fixture
def market(seller_membership):
    return build_marketplace(seller_membership.seller)
