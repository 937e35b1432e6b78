"""An operator's model permissions, read with SQL compiled once, are Django's ModelBackend's."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pazar.accounts.selectors import model_permissions_load
from pazar.geography.models import Country
from tests.factories import OperatorFactory, operator_token, staff_with_perms

pytestmark = pytest.mark.django_db


def _perm(name: str) -> Permission:
    app_label, codename = name.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def test_the_permissions_read_are_model_backends_own_in_its_two_statements():
    # given an operator with permissions of its own and of two groups
    user = staff_with_perms("geography.view_country", "orders.view_order")
    for name, perms in (("a", ["geography.change_country"]), ("b", ["claims.view_claim"])):
        group = Group.objects.create(name=name)
        group.permissions.add(*[_perm(p) for p in perms])
        user.groups.add(group)
    fresh = get_user_model().objects.get(pk=user.pk)
    expected = get_user_model().objects.get(pk=user.pk)
    backend = ModelBackend()

    # when
    with CaptureQueriesContext(connection) as captured:
        model_permissions_load(fresh)
        assert fresh.has_perms(["geography.view_country", "claims.view_claim"])
        assert not fresh.has_perm("geography.delete_country")

    # then
    assert len(captured.captured_queries) == 2
    assert (
        fresh._perm_cache
        == backend.get_all_permissions(expected)
        == {
            "geography.view_country",
            "orders.view_order",
            "geography.change_country",
            "claims.view_claim",
        }
    )
    assert fresh._user_perm_cache == backend.get_user_permissions(expected)
    assert fresh._group_perm_cache == backend.get_group_permissions(expected)


@pytest.mark.parametrize("kind", ["superuser", "inactive"])
def test_nothing_is_read_for_a_superuser_or_an_inactive_user(kind):
    user = OperatorFactory(is_superuser=kind == "superuser", is_active=kind != "inactive")

    with CaptureQueriesContext(connection) as captured:
        model_permissions_load(user)

    assert captured.captured_queries == []
    assert not hasattr(user, "_perm_cache")


def test_a_permission_taken_away_is_refused_on_the_next_request(api_client):
    user = staff_with_perms("geography.view_country")
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {operator_token(user)}")
    country = Country.objects.create(name="Türkiye", code="TR")
    url = f"/omnitron/api/v1/countries/{country.pk}/"
    assert api_client.get(url).status_code == 200

    user.user_permissions.remove(_perm("geography.view_country"))
    refused = api_client.get(url)

    assert refused.status_code == 403
    assert refused.json()["code"] == "permission_denied"


def test_a_group_given_is_honoured_on_the_next_request(api_client):
    user = staff_with_perms()
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {operator_token(user)}")
    country = Country.objects.create(name="Türkiye", code="TR")
    url = f"/omnitron/api/v1/countries/{country.pk}/"
    assert api_client.get(url).status_code == 403

    group = Group.objects.create(name="geography readers")
    group.permissions.add(_perm("geography.view_country"))
    user.groups.add(group)

    assert api_client.get(url).status_code == 200
