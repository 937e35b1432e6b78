"""The conventions every endpoint inherits from pazar.api, as a client sees them."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from pazar.accounts.models import SellerAccessToken
from pazar.languages.negotiation import parse_accept_language, translate
from tests.factories import seller_token

pytestmark = pytest.mark.django_db

TOKENS_URL = "/seller-center/api/i2/access-tokens/"
LANGUAGES_URL = "/seller-center/api/i1/languages/"


def make_tokens(membership, count):
    return [seller_token(membership, note=f"note {i:02d}")[0] for i in range(count)]


# --- pagination ---------------------------------------------------------------------------


def test_lists_are_paginated_with_ten_items_by_default_and_absolute_links(
    seller_client, seller_membership
):
    make_tokens(seller_membership, 24)  # plus the client's own token: 25 in all

    response = seller_client.get(TOKENS_URL)

    assert response.status_code == 200
    body = response.json()
    assert list(body) == ["count", "next", "previous", "results"]
    assert body["count"] == 25
    assert len(body["results"]) == 10
    assert body["next"] == f"http://testserver{TOKENS_URL}?page=2"
    assert body["previous"] is None


def test_page_and_limit_select_a_slice_and_the_last_page_has_next_null(
    seller_client, seller_membership
):
    make_tokens(seller_membership, 24)

    response = seller_client.get(TOKENS_URL, {"page": 3, "limit": 10})

    body = response.json()
    assert response.status_code == 200
    assert len(body["results"]) == 5
    assert body["next"] is None
    assert body["previous"] == f"http://testserver{TOKENS_URL}?limit=10&page=2"


def test_previous_link_of_page_two_drops_the_page_parameter(seller_client, seller_membership):
    make_tokens(seller_membership, 5)

    body = seller_client.get(TOKENS_URL, {"page": 2, "limit": 2}).json()

    assert body["previous"] == f"http://testserver{TOKENS_URL}?limit=2"
    assert body["next"] == f"http://testserver{TOKENS_URL}?limit=2&page=3"


def test_links_use_the_public_url_when_configured(seller_client, seller_membership, settings):
    settings.PAZAR_PUBLIC_URL = "https://pazar.example.com"
    make_tokens(seller_membership, 3)

    body = seller_client.get(TOKENS_URL, {"limit": 2}).json()

    assert body["next"] == f"https://pazar.example.com{TOKENS_URL}?limit=2&page=2"


def test_a_page_past_the_end_is_a_404(seller_client):
    response = seller_client.get(TOKENS_URL, {"page": 5})

    assert response.status_code == 404
    assert response.json() == {"detail": "Invalid page.", "code": "not_found"}


@pytest.mark.parametrize(
    ("limit", "message"),
    [
        ("0", "Ensure this value is greater than or equal to 1."),
        ("-3", "Ensure this value is greater than or equal to 1."),
        ("ten", "A valid integer is required."),
    ],
)
def test_a_bad_limit_is_a_400_naming_the_parameter(seller_client, limit, message):
    response = seller_client.get(TOKENS_URL, {"limit": limit})

    assert response.status_code == 400
    assert response.json() == {"limit": [message]}


def test_limit_above_the_maximum_is_served_at_the_maximum(
    seller_client, seller_membership, settings
):
    settings.PAZAR_PAGE_MAX_LIMIT = 3
    make_tokens(seller_membership, 5)

    body = seller_client.get(TOKENS_URL, {"limit": 50}).json()

    assert len(body["results"]) == 3
    assert body["next"] == f"http://testserver{TOKENS_URL}?limit=50&page=2"


# --- filters ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"note": "Shop sync"}, ["Shop sync"]),
        ({"note__iexact": "shop SYNC"}, ["Shop sync"]),
        ({"note__contains": "sync"}, ["ERP sync", "Shop sync"]),
        ({"note__contains": "Sync"}, []),
        ({"note__icontains": "SYNC"}, ["ERP sync", "Shop sync"]),
        ({"note__startswith": "ERP"}, ["ERP sync"]),
        ({"note__istartswith": "erp"}, ["ERP sync"]),
        ({"note__in": "Shop sync,Reports"}, ["Reports", "Shop sync"]),
    ],
)
def test_text_lookups_filter_lists(seller_client, seller_membership, params, expected):
    for note in ["ERP sync", "Shop sync", "Reports"]:
        seller_token(seller_membership, note=note)

    body = seller_client.get(TOKENS_URL, params).json()

    assert sorted(item["note"] for item in body["results"]) == expected


def test_date_range_lookups_accept_z_and_offsets(seller_client, seller_membership):
    old, new = make_tokens(seller_membership, 2)
    SellerAccessToken.objects.filter(pk=old.pk).update(
        created_at=datetime(2025, 1, 1, 12, tzinfo=UTC)
    )
    SellerAccessToken.objects.filter(pk=new.pk).update(
        created_at=datetime(2025, 6, 1, 12, tzinfo=UTC)
    )

    after = seller_client.get(TOKENS_URL, {"created_at__gt": "2025-03-01T00:00:00Z"}).json()
    before = seller_client.get(TOKENS_URL, {"created_at__lte": "2025-01-01T15:00:00+03:00"}).json()
    exact = seller_client.get(TOKENS_URL, {"created_at": "2025-06-01T12:00:00Z"}).json()

    assert str(new.id) in [item["id"] for item in after["results"]]
    assert str(old.id) not in [item["id"] for item in after["results"]]
    assert [item["id"] for item in before["results"]] == [str(old.id)]
    assert [item["id"] for item in exact["results"]] == [str(new.id)]


def test_an_unencoded_plus_in_a_date_offset_is_understood(seller_client, seller_membership):
    (token,) = make_tokens(seller_membership, 1)
    SellerAccessToken.objects.filter(pk=token.pk).update(
        created_at=datetime(2025, 1, 1, 12, tzinfo=UTC)
    )

    # `+03:00` sent without URL-encoding arrives as ` 03:00`.
    response = seller_client.get(f"{TOKENS_URL}?created_at=2025-01-01T15:00:00+03:00")

    assert [item["id"] for item in response.json()["results"]] == [str(token.id)]


def test_a_bad_filter_value_is_a_400_naming_the_parameter(seller_client):
    response = seller_client.get(TOKENS_URL, {"created_at__gte": "yesterday"})

    assert response.status_code == 400
    assert response.json() == {"created_at__gte": ["Enter a valid date/time."]}


def test_a_bad_choice_filter_value_is_a_400(seller_client):
    response = seller_client.get(TOKENS_URL, {"status": "Sleeping"})

    assert response.status_code == 400
    assert response.json() == {
        "status": ["Select a valid choice. Sleeping is not one of the available choices."]
    }


# --- dates --------------------------------------------------------------------------------


def test_date_times_are_written_in_utc_with_a_trailing_z(seller_client, seller_membership):
    body = seller_client.get(TOKENS_URL).json()

    created = body["results"][0]["created_at"]
    assert created.endswith("Z")
    assert "+" not in created
    parsed = datetime.fromisoformat(created.replace("Z", "+00:00"))
    assert abs(parsed - timezone.now()) < timedelta(minutes=1)


def test_date_times_in_take_an_offset_and_come_back_in_utc(seller_client):
    response = seller_client.post(
        TOKENS_URL, {"note": "offset", "valid_until": "2031-05-01T12:00:00+03:00"}, format="json"
    )

    assert response.status_code == 201
    assert response.json()["valid_until"] == "2031-05-01T09:00:00Z"


# --- languages ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "tags"),
    [
        ("tr-TR,tr;q=0.9,en;q=0.8", ["tr-tr", "tr", "en"]),
        ("en;q=0.5, de-de", ["de-de", "en"]),
        ("*", []),
        ("fr;q=0", []),
        ("", []),
    ],
)
def test_accept_language_headers_are_read_best_first(header, tags):
    assert parse_accept_language(header) == tags


def test_translate_falls_back_to_the_stored_value():
    translations = {"tr-tr": {"name": "Renk"}, "de-de": {"name": ""}}

    assert translate("Color", translations, "name", "tr-tr") == "Renk"
    assert translate("Color", translations, "name", "de-de") == "Color"
    assert translate("Color", translations, "name", "en-us") == "Color"
    assert translate("Color", None, "name", "tr-tr") == "Color"


# --- error bodies -------------------------------------------------------------------------


def test_an_unknown_path_is_a_json_404(api_client, settings):
    settings.DEBUG = False

    response = api_client.get("/seller-center/api/i2/nothing-here/")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not found.", "code": "not_found"}


def test_an_unknown_object_is_a_json_404(seller_client):
    response = seller_client.get(f"{TOKENS_URL}00000000-0000-0000-0000-000000000000/")

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found.", "code": "not_found"}


def test_a_method_the_endpoint_does_not_have_is_a_json_405(seller_client):
    response = seller_client.put(LANGUAGES_URL, {}, format="json")

    assert response.status_code == 405
    assert response.json() == {"detail": 'Method "PUT" not allowed.', "code": "method_not_allowed"}


def test_a_write_in_another_content_type_is_a_415(seller_client):
    response = seller_client.post(
        TOKENS_URL, "note=x", content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 415
    assert response.json() == {
        "detail": 'Unsupported media type "application/x-www-form-urlencoded" in request.',
        "code": "unsupported_media_type",
    }


def test_a_body_without_content_type_is_a_415(seller_client):
    response = seller_client.generic("POST", TOKENS_URL, b'{"note": "x"}', content_type="")

    assert response.status_code == 415
    assert response.json()["code"] == "unsupported_media_type"


def test_malformed_json_is_a_400(seller_client):
    response = seller_client.generic(
        "POST", TOKENS_URL, b'{"note": ', content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"
    assert response.json()["detail"].startswith("JSON parse error")


def test_missing_credentials_are_a_401_with_detail_and_code(api_client):
    response = api_client.get(LANGUAGES_URL)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json() == {
        "detail": "Authentication credentials were not provided.",
        "code": "not_authenticated",
    }


def test_a_path_without_its_trailing_slash_is_served_in_place(seller_client):
    response = seller_client.post(
        TOKENS_URL.rstrip("/"), {"valid_until": "2031-01-01T00:00:00Z"}, format="json"
    )

    assert response.status_code == 201
