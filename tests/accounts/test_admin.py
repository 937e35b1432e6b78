import pytest
from django.test import Client

from tests.factories import OperatorFactory, SellerFactory, SellerMembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client():
    client = Client()
    client.force_login(OperatorFactory(username="root", is_superuser=True))
    return client


def test_the_user_list_shows_each_seller_users_seller(admin_client):
    SellerMembershipFactory(user=UserFactory(username="shop"), seller=SellerFactory(name="Acme"))

    page = admin_client.get("/admin/auth/user/")
    sellers_only = admin_client.get("/admin/auth/user/", {"seller_membership__isempty": "0"})

    assert page.status_code == 200
    assert b'data-label="seller">Acme</td>' in page.content
    assert b'data-label="seller">-</td>' in page.content  # root, an operator
    assert sellers_only.status_code == 200
    assert b">shop</a></th>" in sellers_only.content
    assert b">root</a></th>" in page.content
    assert b">root</a></th>" not in sellers_only.content


def test_a_users_page_shows_their_seller_inline(admin_client):
    membership = SellerMembershipFactory(seller=SellerFactory(name="Acme"))

    page = admin_client.get(f"/admin/auth/user/{membership.user.pk}/change/")

    assert page.status_code == 200
    assert b"seller_membership-TOTAL_FORMS" in page.content
    assert f'value="{membership.seller.pk}"'.encode() in page.content
