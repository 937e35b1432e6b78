"""The bulk envelope (seed 004: at most 1000 items a request), checked before anything is stored."""

import pytest
from django.urls import path
from rest_framework.response import Response
from rest_framework.views import APIView

from pazar.accounts.sites import SellerCenterView
from pazar.api.bulk import validate_bulk_list
from pazar.languages.models import Language


class LanguageBulkView(SellerCenterView, APIView):
    """A bulk endpoint built the way the product endpoints are: envelope first, then writes."""

    def post(self, request):
        rows = validate_bulk_list(request.data)
        Language.objects.bulk_create(Language(code=row["code"], name=row["code"]) for row in rows)
        return Response({"created": len(rows)}, status=201)


urlpatterns = [path("seller-center/bulk/", LanguageBulkView.as_view())]

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

URL = "/seller-center/bulk/"


def rows(count):
    return [{"code": f"l{i:04d}-xx"} for i in range(count)]


def test_a_thousand_items_are_accepted(seller_client):
    response = seller_client.post(URL, rows(1000), format="json")

    assert response.status_code == 201
    assert Language.objects.count() == 1000


def test_more_than_a_thousand_items_are_a_400_and_nothing_is_stored(seller_client):
    response = seller_client.post(URL, rows(1001), format="json")

    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": ["Ensure this list has no more than 1000 items; it has 1001."]
    }
    assert Language.objects.count() == 0


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ([], {"non_field_errors": ["This list may not be empty."]}),
        ({"code": "x"}, {"non_field_errors": ['Expected a list of items but got type "dict".']}),
        ("text", {"non_field_errors": ['Expected a list of items but got type "str".']}),
        ([{"code": "aa-aa"}, 5, "x"], {"1": ["Expected an object."], "2": ["Expected an object."]}),
    ],
)
def test_bodies_that_are_not_lists_of_objects_are_a_400(seller_client, body, errors):
    response = seller_client.post(URL, body, format="json")

    assert response.status_code == 400
    assert response.json() == errors
    assert Language.objects.count() == 0


def test_a_single_object_counts_as_a_list_of_one_where_allowed():
    assert validate_bulk_list({"sku": "A"}, allow_single=True) == [{"sku": "A"}]
