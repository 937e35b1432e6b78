"""Who may use the application endpoints: operators with the applications' model permissions.

Reads need `view_`, creates `add_`, changes `change_`, soft deletes `delete_application`;
reading or rotating the proxy signing key needs `change_application`; the proxy itself needs
`view_application` (see test_proxy.py). Seller tokens and anonymous callers get a 401.
"""

import pytest
from rest_framework.test import APIClient

from tests.applications.factories import ApplicationFactory, ApplicationPermissionFactory
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
RESOURCES = [
    ("/omnitron/api/v1/applications/", "applications.%s_application", ApplicationFactory),
    (
        "/omnitron/api/v1/application_permissions/",
        "applications.%s_applicationpermission",
        ApplicationPermissionFactory,
    ),
]


def client_for(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {operator_token(user)}")
    return client


@pytest.mark.parametrize(("url", "perm", "factory"), RESOURCES)
def test_seller_tokens_and_anonymous_callers_are_a_401(api_client, url, perm, factory):
    _, key = seller_token(SellerMembershipFactory())
    seller = APIClient()
    seller.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    item = f"{url}{factory().pk}/"

    for response in [api_client.get(url), api_client.delete(item)]:
        assert response.status_code == 401
        assert response.json() == {
            "detail": "Authentication credentials were not provided.",
            "code": "not_authenticated",
        }
    for response in [seller.get(url), seller.post(url, {}, format="json"), seller.get(item)]:
        assert response.status_code == 401
        assert response.json() == {"detail": "Invalid token.", "code": "authentication_failed"}


@pytest.mark.parametrize(("url", "perm", "factory"), RESOURCES)
def test_each_action_needs_its_model_permission(url, perm, factory):
    item = f"{url}{factory().pk}/"
    nobody = client_for(OperatorFactory())
    viewer = client_for(staff_with_perms(perm % "view"))
    adder = client_for(staff_with_perms(perm % "view", perm % "add"))
    changer = client_for(staff_with_perms(perm % "view", perm % "change"))
    deleter = client_for(staff_with_perms(perm % "view", perm % "delete"))
    not_staff = client_for(staff_with_perms(perm % "view", is_staff=False))

    assert nobody.get(url).status_code == 403
    assert nobody.get(url).json() == DENIED
    assert nobody.get(item).status_code == 403
    assert not_staff.get(url).status_code == 403
    assert viewer.get(url).status_code == 200
    assert viewer.get(item).status_code == 200
    assert viewer.post(url, {}, format="json").status_code == 403
    assert adder.post(url, {}, format="json").status_code == 400  # past the check, invalid
    assert viewer.patch(item, {}, format="json").status_code == 403
    assert changer.patch(item, {}, format="json").status_code == 200
    assert changer.delete(item).status_code == 403
    assert deleter.delete(item).status_code == 204


def test_superusers_may_do_everything(operator_client):
    application = ApplicationFactory()
    item = f"/omnitron/api/v1/applications/{application.pk}/"

    assert operator_client.get("/omnitron/api/v1/applications/").status_code == 200
    assert operator_client.patch(item, {"name": "x"}, format="json").status_code == 200
    assert operator_client.get(f"{item}proxy_secret/").status_code == 200
    assert operator_client.delete(item).status_code == 204


def test_the_signing_key_needs_the_change_permission():
    application = ApplicationFactory()
    url = f"/omnitron/api/v1/applications/{application.pk}/proxy_secret/"
    viewer = client_for(staff_with_perms("applications.view_application"))
    changer = client_for(
        staff_with_perms("applications.view_application", "applications.change_application")
    )

    assert viewer.get(url).status_code == 403
    assert viewer.get(url).json() == DENIED
    assert viewer.post(url).status_code == 403
    assert changer.get(url).status_code == 200
    assert changer.post(url).status_code == 200
