"""Cargo companies: operators manage them, sales channels list them and match on `erp_code`."""

import pytest

from pazar.orders.models import CargoCompany
from tests.channels.factories import ChannelFactory
from tests.orders.factories import CargoCompanyFactory

pytestmark = pytest.mark.django_db

V1 = "/omnitron/api/v1/"


def test_an_operator_creates_changes_and_deletes_a_cargo_company(operator_client):
    created = operator_client.post(
        f"{V1}cargo_companies/",
        {"name": "Yurtiçi Kargo", "erp_code": "YK", "shipping_company": "yurtici"},
        format="json",
    )
    pk = created.json()["pk"]
    changed = operator_client.patch(f"{V1}cargo_companies/{pk}/", {"is_active": False})
    deleted = operator_client.delete(f"{V1}cargo_companies/{pk}/")

    assert created.status_code == 201
    assert {k: created.json()[k] for k in ("name", "erp_code", "shipping_company", "is_active")} == {
        "name": "Yurtiçi Kargo", "erp_code": "YK", "shipping_company": "yurtici", "is_active": True,
    }  # fmt: skip
    assert changed.json()["is_active"] is False
    assert deleted.status_code == 204
    assert not CargoCompany.objects.exists()


def test_an_erp_code_is_unique(operator_client):
    CargoCompanyFactory(erp_code="YK")

    response = operator_client.post(
        f"{V1}cargo_companies/", {"name": "Other", "erp_code": "YK"}, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()) == ["erp_code"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [("code__exact=x", None), ("name__exact=Aras", "aras"), ("erp_code=YK", "yk")],
)
def test_cargo_companies_filter_by_name_and_erp_code(operator_client, query, expected):
    companies = {"yk": CargoCompanyFactory(name="Yurtiçi", erp_code="YK"),
                 "aras": CargoCompanyFactory(name="Aras", erp_code="ARAS")}  # fmt: skip

    response = operator_client.get(f"{V1}cargo_companies/?{query}")

    found = [row["pk"] for row in response.json()["results"]]
    if expected is None:  # an unknown filter is ignored, as Omnitron does
        assert len(found) == 2
    else:
        assert found == [companies[expected].pk]


def test_a_channel_lists_and_reads_cargos(operator_client):
    channel = ChannelFactory()
    company = CargoCompanyFactory(erp_code="YK")

    listed = operator_client.get(f"{V1}channel/{channel.pk}/cargos/")
    read = operator_client.get(f"{V1}channel/{channel.pk}/cargos/{company.pk}/")

    assert [row["erp_code"] for row in listed.json()["results"]] == ["YK"]
    assert read.json()["pk"] == company.pk
