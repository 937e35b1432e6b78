"""Omnitron price lists (omnitron.md §7): lower-case currencies out, any case and aliases in."""

import pytest

from pazar.pricing.models import PriceList, ProductPrice
from tests.factories import PriceListFactory, ProductPriceFactory, SellerFactory

pytestmark = pytest.mark.django_db

PRICE_LISTS = "/omnitron/api/v1/price_list/"


def iso(value) -> str:
    return value.isoformat().replace("+00:00", "Z")


def price_list_body(price_list: PriceList) -> dict:
    price_list.refresh_from_db()
    return {
        "pk": price_list.pk,
        "id": price_list.pk,
        "uuid": str(price_list.uuid),
        "name": price_list.name,
        "code": price_list.code,
        "currency": price_list.currency.lower(),
        "is_auto_sync": price_list.is_auto_sync,
        "sellers": [str(seller.id) for seller in price_list.sellers.all()],
        "created_date": iso(price_list.created_at),
        "modified_date": iso(price_list.updated_at),
    }


def codes(response) -> list[str]:
    return [item["code"] for item in response.json()["results"]]


@pytest.mark.parametrize("url", [PRICE_LISTS, "/omnitron/api/i1/price_list/"])
def test_a_price_list_is_created_with_the_sellers_who_may_use_it(operator_client, url):
    seller = SellerFactory()

    response = operator_client.post(
        url,
        {
            "name": "Marketplace USD",
            "code": "mp-usd",
            "currency": "usd",
            "sellers": [str(seller.id)],
        },
        format="json",
    )

    assert response.status_code == 201
    price_list = PriceList.objects.get()
    assert price_list.currency == "USD"
    assert list(price_list.sellers.all()) == [seller]
    assert response.json() == price_list_body(price_list)
    assert response.json()["currency"] == "usd"


@pytest.mark.parametrize(
    ("currency", "stored"),
    [
        ("usd", "USD"),
        ("USD", "USD"),
        ("Eur", "EUR"),
        ("tr", "TRY"),
        ("TR", "TRY"),
        ("eu", "EUR"),
        ("try", "TRY"),
        ("lei", "RON"),
        ("inr", "INR"),
        ("KZT", "KZT"),
        ("jod", "JOD"),
        ("rsd", "RSD"),
    ],
)
def test_currencies_are_accepted_in_any_case_and_with_omnitrons_aliases(
    operator_client, currency, stored
):
    response = operator_client.post(
        PRICE_LISTS, {"name": "List", "code": "list", "currency": currency}, format="json"
    )

    assert response.status_code == 201
    assert PriceList.objects.get().currency == stored
    assert response.json()["currency"] == stored.lower()


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        (
            {},
            {"name": ["This field is required."], "currency": ["This field is required."]},
        ),
        (
            {"name": "L", "currency": "usd", "is_auto_sync": True, "code": None},
            {"code": ["A list kept in sync with the ERP (is_auto_sync) needs a code."]},
        ),
        (
            {"name": "L", "code": "", "currency": "usd"},
            {"code": ["This field may not be blank."]},
        ),
        (
            {"name": "L", "code": "l", "currency": "xyz"},
            {"currency": ['"xyz" is not a valid currency.']},
        ),
        (
            {"name": "L", "code": "taken", "currency": "usd"},
            {"code": ['A price list with the code "taken" already exists.']},
        ),
        (
            {
                "name": "L",
                "code": "l",
                "currency": "usd",
                "sellers": ["00000000-0000-0000-0000-000000000000"],
            },
            {
                "sellers": [
                    'Invalid pk "00000000-0000-0000-0000-000000000000" - object does not exist.'
                ]
            },
        ),
        (
            {"name": "L", "code": "l", "currency": "usd", "sellers": ["nope"]},
            {"sellers": ["“nope” is not a valid UUID."]},
        ),
    ],
)
def test_an_invalid_price_list_is_a_400(operator_client, body, errors):
    PriceListFactory(code="taken")

    response = operator_client.post(PRICE_LISTS, body, format="json")

    assert response.status_code == 400
    assert response.json() == errors
    assert PriceList.objects.count() == 1


def test_price_lists_are_listed_by_pk_on_both_paths(operator_client):
    first = PriceListFactory(currency="TRY", sellers=[SellerFactory()])
    second = PriceListFactory(currency="EUR")

    v1 = operator_client.get(PRICE_LISTS)
    i1 = operator_client.get("/omnitron/api/i1/price_list/")

    assert v1.status_code == 200
    assert v1.json()["results"] == [price_list_body(first), price_list_body(second)]
    assert i1.json() == v1.json()


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"name": "Retail TRY"}, ["retail-try"]),
        ({"name__icontains": "retail"}, ["retail-try", "retail-usd"]),
        ({"code": "retail-usd"}, ["retail-usd"]),
        ({"code__exact": "retail-usd"}, ["retail-usd"]),
        ({"code__startswith": "retail"}, ["retail-try", "retail-usd"]),
        ({"currency": "try"}, ["retail-try", "erp"]),
        ({"currency": "TR"}, ["retail-try", "erp"]),
        ({"currency": "xyz"}, []),
        ({"is_auto_sync": "true"}, ["erp"]),
        ({"is_auto_sync": "false"}, ["retail-try", "retail-usd"]),
    ],
)
def test_price_lists_filter_like_omnitron(operator_client, params, expected):
    PriceListFactory(name="Retail TRY", code="retail-try", currency="TRY")
    PriceListFactory(name="Retail USD", code="retail-usd", currency="USD")
    PriceListFactory(name="ERP", code="erp", currency="TRY", is_auto_sync=True)

    response = operator_client.get(PRICE_LISTS, params)

    assert response.status_code == 200
    assert codes(response) == expected


def test_price_lists_filter_by_seller_and_created_date(operator_client):
    seller = SellerFactory()
    old = PriceListFactory(code="old", sellers=[seller])
    PriceListFactory(code="new")
    PriceList.objects.filter(pk=old.pk).update(created_at="2024-01-01T00:00:00Z")

    by_seller = operator_client.get(PRICE_LISTS, {"sellers": str(seller.id)})
    by_date = operator_client.get(PRICE_LISTS, {"created_date__gt": "2024-06-01T00:00:00Z"})
    exact = operator_client.get(PRICE_LISTS, {"created_date": "2024-01-01T03:00:00+03:00"})

    assert codes(by_seller) == ["old"]
    assert codes(by_date) == ["new"]
    assert codes(exact) == ["old"]


def test_patch_assigns_sellers_and_put_replaces_the_list(operator_client):
    acme, other = SellerFactory(), SellerFactory()
    price_list = PriceListFactory(code="mp", currency="USD", sellers=[acme])
    url = f"{PRICE_LISTS}{price_list.pk}/"

    patch = operator_client.patch(url, {"sellers": [str(other.id), str(acme.id)]}, format="json")
    put = operator_client.put(
        url,
        {"name": "Euro list", "code": "mp-eur", "currency": "eu", "is_auto_sync": True},
        format="json",
    )
    cleared = operator_client.patch(url, {"sellers": []}, format="json")

    assert patch.status_code == 200
    assert sorted(patch.json()["sellers"]) == sorted([str(acme.id), str(other.id)])
    assert put.status_code == 200
    assert (put.json()["name"], put.json()["code"], put.json()["currency"]) == (
        "Euro list",
        "mp-eur",
        "eur",
    )
    assert put.json()["is_auto_sync"] is True
    assert sorted(put.json()["sellers"]) == sorted([str(acme.id), str(other.id)])
    assert cleared.status_code == 200
    assert cleared.json() == price_list_body(price_list)
    assert cleared.json()["sellers"] == []


def test_changing_to_a_taken_code_is_a_400(operator_client):
    PriceListFactory(code="taken")
    price_list = PriceListFactory(code="mine")

    response = operator_client.patch(
        f"{PRICE_LISTS}{price_list.pk}/", {"code": "taken"}, format="json"
    )
    same = operator_client.patch(f"{PRICE_LISTS}{price_list.pk}/", {"code": "mine"}, format="json")

    assert response.status_code == 400
    assert response.json() == {"code": ['A price list with the code "taken" already exists.']}
    assert same.status_code == 200


def test_the_currency_of_a_list_that_holds_prices_cannot_change(operator_client):
    price = ProductPriceFactory(price_list=PriceListFactory(currency="USD"))
    url = f"{PRICE_LISTS}{price.price_list.pk}/"

    changed = operator_client.patch(url, {"currency": "eur"}, format="json")
    same = operator_client.patch(url, {"currency": "USD"}, format="json")

    assert changed.status_code == 400
    assert changed.json() == {
        "currency": ["The currency of a price list that holds prices cannot change."]
    }
    assert same.status_code == 200


def test_deleting_a_price_list_deletes_its_prices(operator_client):
    price = ProductPriceFactory()

    response = operator_client.delete(f"{PRICE_LISTS}{price.price_list.pk}/")

    assert response.status_code == 204
    assert not PriceList.objects.exists()
    assert not ProductPrice.objects.exists()


def test_an_unknown_price_list_is_a_404(operator_client):
    response = operator_client.get(f"{PRICE_LISTS}12345/")

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found.", "code": "not_found"}
