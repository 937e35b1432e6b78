import pytest
from django.test import RequestFactory

from pazar.languages.models import Language
from pazar.languages.negotiation import request_language
from pazar.languages.services import language_upsert

pytestmark = pytest.mark.django_db


@pytest.fixture
def languages():
    language_upsert(code="en-us", name="English", is_default=True)
    language_upsert(code="tr-tr", name="Türkçe")


@pytest.mark.parametrize(
    ("header", "chosen"),
    [
        (None, "en-us"),
        ("tr-tr", "tr-tr"),
        ("TR-TR", "tr-tr"),
        ("tr", "tr-tr"),
        ("de-de", "en-us"),
        ("de-de,tr;q=0.5", "tr-tr"),
        ("not a language", "en-us"),
    ],
)
def test_accept_language_selects_an_active_language_or_the_default(languages, header, chosen):
    headers = {"HTTP_ACCEPT_LANGUAGE": header} if header else {}
    request = RequestFactory().get("/", **headers)

    assert request_language(request) == chosen


def test_inactive_languages_are_not_selected(languages):
    Language.objects.filter(code="tr-tr").update(is_active=False)

    assert request_language(RequestFactory().get("/", HTTP_ACCEPT_LANGUAGE="tr-tr")) == "en-us"


def test_making_a_language_the_default_unmarks_the_previous_one(languages):
    language_upsert(code="tr-tr", name="Türkçe", is_default=True)

    assert list(Language.objects.filter(is_default=True).values_list("code", flat=True)) == [
        "tr-tr"
    ]


def test_language_codes_must_be_iso_639_dash_iso_3166(languages):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        language_upsert(code="english", name="English")


def test_lng001_lists_languages_default_first_and_is_filterable(seller_client, languages):
    response = seller_client.get("/seller-center/api/i1/languages/")
    filtered = seller_client.get("/seller-center/api/i1/languages/", {"is_default": "false"})

    assert response.status_code == 200
    assert response.json() == {
        "count": 2,
        "next": None,
        "previous": None,
        "results": [
            {"code": "en-us", "name": "English", "is_default": True},
            {"code": "tr-tr", "name": "Türkçe", "is_default": False},
        ],
    }
    assert [item["code"] for item in filtered.json()["results"]] == ["tr-tr"]
