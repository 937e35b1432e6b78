"""Countries, cities, townships and districts: operators write them, sales channels read them."""

import pytest

from pazar.geography.models import City, Country, Mapping, Township
from tests.channels.factories import ChannelFactory
from tests.factories import staff_with_perms
from tests.geography.factories import (
    CityFactory,
    CountryFactory,
    DistrictFactory,
    TownshipFactory,
    mapping,
)

pytestmark = pytest.mark.django_db

V1 = "/omnitron/api/v1/"


def pks(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["pk"] for row in response.json()["results"]]


def test_an_operator_creates_a_country_with_a_channel_code_and_reads_it_back(operator_client):
    created = operator_client.post(
        f"{V1}countries/",
        {"name": "Türkiye", "code": "TR", "mappings": [{"code": "3_TUR"}]},
        format="json",
    )

    assert created.status_code == 201, created.content
    body = created.json()
    country = Country.objects.get()
    assert body["pk"] == body["id"] == country.pk
    assert (body["name"], body["code"], body["is_active"]) == ("Türkiye", "TR", True)
    assert body["mappings"] == [{"integration_type": "sales_channel", "code": "3_TUR"}]
    assert set(body) == {
        "pk", "id", "name", "code", "is_active", "mappings", "created_date", "modified_date",
    }  # fmt: skip
    assert operator_client.get(f"{V1}countries/{country.pk}/").json() == body


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("code__exact=TR", ["tr"]),
        ("code=TR", ["tr"]),
        ("name__exact=Türkiye", ["tr"]),
        ("name__exact=türkiye", []),
        ("name__iexact=türkiye", ["tr"]),
        ("is_active=false", ["old"]),
        ("is_active=True", ["tr", "de"]),
    ],
)
def test_countries_filter_by_code_name_and_activity(operator_client, query, expected):
    countries = {
        "tr": CountryFactory(name="Türkiye", code="TR"),
        "de": CountryFactory(name="Deutschland", code="DE"),
        "old": CountryFactory(name="Old", code="OLD", is_active=False),
    }

    found = pks(operator_client.get(f"{V1}countries/?{query}"))

    assert found == [countries[key].pk for key in expected]


def test_a_city_in_another_country_than_its_township_says_is_refused(operator_client):
    city = CityFactory()
    other = CountryFactory()

    response = operator_client.post(
        f"{V1}townships/",
        {"name": "Kadıköy", "city": city.pk, "country": other.pk},
        format="json",
    )

    assert response.status_code == 400
    assert list(response.json()) == ["city"]
    assert not Township.objects.exists()


def test_a_city_name_is_unique_within_its_country(operator_client):
    city = CityFactory(name="İstanbul")

    again = operator_client.post(
        f"{V1}cities/", {"name": "İstanbul", "country": city.country_id}, format="json"
    )
    elsewhere = operator_client.post(
        f"{V1}cities/", {"name": "İstanbul", "country": CountryFactory().pk}, format="json"
    )

    assert again.status_code == 400
    assert list(again.json()) == ["name"]
    assert elsewhere.status_code == 201


def test_a_place_in_use_is_not_deleted(operator_client):
    township = TownshipFactory()

    response = operator_client.delete(f"{V1}cities/{township.city_id}/")

    assert response.status_code == 400
    assert response.json()["code"] == "place_in_use"
    assert City.objects.filter(pk=township.city_id).exists()
    assert operator_client.delete(f"{V1}townships/{township.pk}/").status_code == 204


def test_mappings_are_replaced_whole_and_a_code_names_one_place(operator_client):
    first, second = CityFactory(), CityFactory()
    mapping(first, "3_IST")

    replaced = operator_client.patch(
        f"{V1}cities/{first.pk}/", {"mappings": [{"code": "3_ISTANBUL"}]}, format="json"
    )
    clash = operator_client.patch(
        f"{V1}cities/{second.pk}/", {"mappings": [{"code": "3_ISTANBUL"}]}, format="json"
    )

    assert replaced.status_code == 200
    assert replaced.json()["mappings"] == [
        {"integration_type": "sales_channel", "code": "3_ISTANBUL"}
    ]
    assert clash.status_code == 400
    assert list(clash.json()) == ["mappings"]
    assert list(Mapping.objects.values_list("object_id", "code")) == [(first.pk, "3_ISTANBUL")]


def test_reads_and_writes_need_the_models_permissions(api_client):
    from tests.factories import operator_token

    reader = staff_with_perms("geography.view_country")
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {operator_token(reader)}")

    assert api_client.get(f"{V1}countries/").status_code == 200
    assert api_client.get(f"{V1}cities/").status_code == 403
    assert api_client.post(f"{V1}countries/", {"name": "X"}, format="json").status_code == 403
    assert api_client.get(f"{V1}cargo_companies/").status_code == 403


# --- the sales channel's view -----------------------------------------------------------------


def channel_url(channel, path: str) -> str:
    return f"{V1}channel/{channel.pk}/{path}"


@pytest.mark.parametrize(
    ("kind", "query", "expected"),
    [
        ("cities", "name__iexact=İSTANBUL&country={country}&is_active=True", "city"),
        ("cities", "mapping__code__exact={cid}_34&mapping__integration_type=sales_channel", "city"),
        ("cities", "mapping__code__exact={cid}_34&mapping__integration_type=web", None),
        ("townships", "name__iexact=kadıköy&country={country}&city={city}", "township"),
        ("townships", "mapping__code__exact={cid}_KDK&city={city}&is_active=True", "township"),
        ("townships", "city={other_city}", None),
        (
            "districts",
            "name__exact=Moda&country={country}&city={city}&township={township}",
            "district",
        ),
        ("districts", "mapping__code__exact={cid}_MODA&township={township}", "district"),
        ("countries", "code__exact=TR&is_active=True", "country"),
        ("countries", "name__exact=Türkiye", "country"),
        (
            "countries",
            "mapping__code__exact={cid}_TUR&mapping__integration_type=sales_channel",
            "country",
        ),
    ],
)
def test_a_channel_finds_places_by_name_code_parent_and_its_own_codes(
    operator_client, kind, query, expected
):
    channel = ChannelFactory()
    district = DistrictFactory(
        name="Moda",
        township__name="Kadıköy",
        township__city__name="İstanbul",
        township__city__country__name="Türkiye",
        township__city__country__code="TR",
    )
    places = {
        "district": district,
        "township": district.township,
        "city": district.city,
        "country": district.country,
    }
    other_city = CityFactory(country=district.country)
    TownshipFactory(city=other_city, name="Kadıköy")  # same name, another city
    for place, code in [
        (district.country, "TUR"), (district.city, "34"), (district.township, "KDK"),
        (district, "MODA"),
    ]:  # fmt: skip
        mapping(place, f"{channel.pk}_{code}")
    mapping(district.city, "34", integration_type="web")
    query = query.format(
        cid=channel.pk,
        country=district.country_id,
        city=district.city_id,
        township=district.township_id,
        other_city=other_city.pk,
    )

    response = operator_client.get(channel_url(channel, f"{kind}/?{query}"))

    found = pks(response)
    if expected is None:
        assert found == [] or (kind == "townships" and district.township.pk not in found)
    else:
        assert found == [places[expected].pk]


def test_a_channel_reads_one_place_and_an_unknown_channel_is_a_404(operator_client):
    channel = ChannelFactory()
    city = CityFactory()

    one = operator_client.get(channel_url(channel, f"cities/{city.pk}/"))
    unknown = operator_client.get(f"{V1}channel/999999/cities/")

    assert one.status_code == 200
    assert one.json()["country"] == city.country_id
    assert unknown.status_code == 404


def test_the_channel_api_is_read_only_for_places(operator_client):
    channel = ChannelFactory()

    response = operator_client.post(
        channel_url(channel, "countries/"), {"name": "X"}, format="json"
    )

    assert response.status_code == 405
    assert not Country.objects.exists()
