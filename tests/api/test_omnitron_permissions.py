"""Who may use the Omnitron operator endpoints: staff users with Django model permissions.

Reads need `view_<model>`, creates `add_`, changes `change_`, deletes `delete_`; superusers may
do everything; seller tokens and anonymous callers are not authenticated here (401).
"""

import pytest
from rest_framework.test import APIClient

from tests.factories import (
    AttributeFactory,
    OperatorFactory,
    SellerMembershipFactory,
    UserFactory,
    operator_token,
    seller_token,
    staff_with_perms,
)

pytestmark = pytest.mark.django_db

# (list path, the model's permission prefix)
LISTS = [
    ("/omnitron/api/v1/attributes/", "catalog.%s_attribute"),
    ("/omnitron/api/i1/attributes/", "catalog.%s_attribute"),
    ("/omnitron/api/v1/attribute_value/", "catalog.%s_attributevalue"),
    ("/omnitron/api/i1/attribute_value/", "catalog.%s_attributevalue"),
    ("/omnitron/api/v1/attribute_set/", "catalog.%s_attributeset"),
    ("/omnitron/api/i1/attribute_set/", "catalog.%s_attributeset"),
    ("/omnitron/api/v1/products/", "catalog.%s_product"),
    ("/omnitron/api/i1/products/", "catalog.%s_product"),
    ("/omnitron/api/v1/category_nodes/", "catalog.%s_category"),
    ("/omnitron/api/v1/category_attributes/", "catalog.%s_categoryattribute"),
    ("/omnitron/api/v1/pre_products/", "catalog.%s_product"),
    ("/omnitron/api/i1/pre_products/", "catalog.%s_product"),
    ("/omnitron/api/v1/price_list/", "pricing.%s_pricelist"),
    ("/omnitron/api/i1/price_list/", "pricing.%s_pricelist"),
    ("/omnitron/api/v1/stock_list/", "inventory.%s_stocklist"),
    ("/omnitron/api/i1/stock_list/", "inventory.%s_stocklist"),
    ("/omnitron/api/v1/product_price/", "pricing.%s_productprice"),
    ("/omnitron/api/i1/product_price/", "pricing.%s_productprice"),
    ("/omnitron/api/v1/product_stock/", "inventory.%s_productstock"),
    ("/omnitron/api/i1/product_stock/", "inventory.%s_productstock"),
    ("/omnitron/api/v1/category_trees/", "channels.%s_categorytree"),
    ("/omnitron/api/v1/catalogs/", "channels.%s_catalog"),
    ("/omnitron/api/v1/catalog_items/", "channels.%s_catalogitem"),
    ("/omnitron/api/v1/channels/", "channels.%s_channel"),
    ("/omnitron/api/v1/content_types/", "contenttypes.%s_contenttype"),
    ("/omnitron/api/v1/sellers/", "accounts.%s_seller"),
    ("/omnitron/api/v1/marketplace_settings/", "marketplace.%s_marketplacesettings"),
    ("/omnitron/api/v1/product_image/", "images.%s_productimage"),
    ("/omnitron/api/v1/product_video/", "images.%s_productvideo"),
    ("/omnitron/api/i1/downloadable_image/", "images.%s_imagedownload"),
    ("/omnitron/api/v1/dynamic_settings/", "core.%s_dynamicsetting"),
]
READ_ONLY = ("pre_products", "settings", "content_types")
CREATABLE = [(url, perm) for url, perm in LISTS if not any(part in url for part in READ_ONLY)]
DENIED = {
    "detail": "You do not have permission to perform this action.",
    "code": "permission_denied",
}


def client_for(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {operator_token(user)}")
    return client


@pytest.mark.parametrize(("url", "perm"), LISTS)
def test_callers_without_a_user_token_are_a_401(api_client, url, perm):
    _, key = seller_token(SellerMembershipFactory())
    seller = APIClient()
    seller.credentials(HTTP_AUTHORIZATION=f"Token {key}")

    anonymous = api_client.get(url)
    with_seller_token = seller.get(url)

    assert anonymous.status_code == 401
    assert anonymous.json() == {
        "detail": "Authentication credentials were not provided.",
        "code": "not_authenticated",
    }
    assert with_seller_token.status_code == 401
    assert with_seller_token.json() == {"detail": "Invalid token.", "code": "authentication_failed"}


@pytest.mark.parametrize(("url", "perm"), LISTS)
def test_staff_need_the_view_permission_to_read(url, perm):
    without = client_for(OperatorFactory())
    viewer = client_for(staff_with_perms(perm % "view"))
    superuser = client_for(OperatorFactory(is_superuser=True))
    not_staff = client_for(staff_with_perms(perm % "view", is_staff=False))

    assert without.get(url).status_code == 403
    assert without.get(url).json() == DENIED
    assert viewer.get(url).status_code == 200
    assert superuser.get(url).status_code == 200
    assert not_staff.get(url).status_code == 403


@pytest.mark.parametrize(("url", "perm"), CREATABLE)
def test_staff_need_the_add_permission_to_create(url, perm):
    viewer = client_for(staff_with_perms(perm % "view"))
    creator = client_for(staff_with_perms(perm % "view", perm % "add"))

    denied = viewer.post(url, {}, format="json")
    allowed = creator.post(url, {}, format="json")

    assert denied.status_code == 403
    assert denied.json() == DENIED
    assert allowed.status_code == 400  # past the permission check, on to validation


def test_changing_and_deleting_need_their_own_permissions():
    url = f"/omnitron/api/v1/attributes/{AttributeFactory().pk}/"
    viewer = client_for(staff_with_perms("catalog.view_attribute"))
    changer = client_for(staff_with_perms("catalog.view_attribute", "catalog.change_attribute"))
    deleter = client_for(staff_with_perms("catalog.view_attribute", "catalog.delete_attribute"))

    assert viewer.patch(url, {"name": "x"}, format="json").status_code == 403
    assert changer.patch(url, {"name": "x"}, format="json").status_code == 200
    assert changer.delete(url).status_code == 403
    assert deleter.delete(url).status_code == 204


def test_changing_the_marketplace_settings_needs_the_change_permission():
    url = "/omnitron/api/v1/marketplace_settings/"
    viewer = client_for(staff_with_perms("marketplace.view_marketplacesettings"))
    changer = client_for(
        staff_with_perms(
            "marketplace.view_marketplacesettings", "marketplace.change_marketplacesettings"
        )
    )

    assert viewer.patch(url, {"auto_approve_products": True}, format="json").status_code == 403
    assert changer.patch(url, {"auto_approve_products": True}, format="json").status_code == 200


def test_a_seller_user_with_staff_rights_is_still_not_an_operator():
    user = UserFactory(is_staff=True, is_superuser=True)
    SellerMembershipFactory(user=user)
    token_client = APIClient()
    token_client.credentials(HTTP_AUTHORIZATION=f"Token {operator_token(user)}")

    response = token_client.get("/omnitron/api/v1/attributes/")

    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid token.", "code": "authentication_failed"}
