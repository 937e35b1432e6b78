"""Unexpected failures still answer JSON, with nothing of the failure leaked."""

import pytest
from django.test import Client
from django.urls import include, path
from rest_framework.views import APIView

from pazar.accounts.sites import SellerCenterView


class BrokenView(SellerCenterView, APIView):
    permission_classes: list = []
    authentication_classes: list = []

    def get(self, request):
        raise RuntimeError("secret internals")


def plain_broken(request):
    raise RuntimeError("secret internals")


urlpatterns = [
    path("seller-center/broken/", BrokenView.as_view()),
    path("plain-broken/", plain_broken),
    path("", include("pazar.urls")),
]
handler500 = "pazar.sites.errors.server_error"
handler404 = "pazar.sites.errors.not_found"

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


@pytest.mark.parametrize("url", ["/seller-center/broken/", "/plain-broken/"])
def test_an_unexpected_error_is_a_json_500_without_details(settings, url):
    settings.DEBUG = False
    client = Client(raise_request_exception=False)

    response = client.get(url)

    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "A server error occurred.", "code": "error"}
    assert b"secret" not in response.content
