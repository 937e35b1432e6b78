import io
import re

import pytest
from django.core.management import CommandError, call_command

from pazar.accounts.models import Seller, SellerMembership
from pazar.catalog.models import Attribute, Category, CategoryAttribute
from pazar.fulfilment.models import Package
from pazar.geography.models import City, Country, Township
from pazar.inventory.models import StockList
from pazar.languages.models import Language
from pazar.orders.models import CargoCompany, Order, OrderItem
from pazar.pricing.models import PriceList

pytestmark = pytest.mark.django_db


def run(*args, **kwargs) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, **kwargs)
    return out.getvalue()


def test_createseller_creates_a_seller_with_an_admin_user():
    output = run(
        "createseller",
        "--name",
        "Acme",
        "--username",
        "acme",
        "--password",
        "s3cret-Pass!",
        "--email",
        "Ops@Acme.test",
    )

    membership = SellerMembership.objects.get(user__username="acme")
    assert membership.seller.name == "Acme"
    assert membership.is_admin
    assert membership.user.email == "ops@acme.test"
    assert membership.user.check_password("s3cret-Pass!")
    assert f'Created seller "Acme" (id {membership.seller.id})' in output


def test_createseller_refuses_an_existing_seller_or_username():
    run("createseller", "--name", "Acme", "--username", "acme", "--password", "s3cret-Pass!")

    with pytest.raises(
        CommandError, match=re.escape('name: A seller named "acme" already exists.')
    ):
        run("createseller", "--name", "acme", "--username", "other", "--password", "s3cret-Pass!")
    with pytest.raises(CommandError, match=re.escape('username: The username "acme" is taken.')):
        run("createseller", "--name", "Other", "--username", "acme", "--password", "s3cret-Pass!")
    assert Seller.objects.count() == 1


def test_createseller_applies_the_password_validators():
    with pytest.raises(CommandError, match="password: This password is too short"):
        run("createseller", "--name", "Acme", "--username", "acme", "--password", "abc")
    assert not Seller.objects.exists()


def test_passwords_are_hashed_with_argon2(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]

    run("createseller", "--name", "Acme", "--username", "acme", "--password", "s3cret-Pass!")

    assert SellerMembership.objects.get().user.password.startswith("argon2$")


def counts():
    return {
        model.__name__: model.objects.count()
        for model in [
            Language,
            Category,
            Attribute,
            CategoryAttribute,
            PriceList,
            StockList,
            Seller,
            Order,
            Package,
        ]
    }


def test_demo_loads_the_demo_marketplace_and_is_idempotent(api_client):
    first = run("demo")
    after_first = counts()
    second = run("demo")

    assert counts() == after_first
    assert first == second
    assert after_first["Seller"] == 1
    assert list(Language.objects.values_list("code", "is_default")) == [
        ("en-us", True),
        ("tr-tr", False),
    ]
    assert set(Attribute.objects.values_list("key", "data_type")) == {
        ("COLOR", "dropdown"),
        ("SIZE", "dropdown"),
        ("ESTIMATED_SHIPPING_DURATION", "number"),
    }
    color = CategoryAttribute.objects.filter(attribute__key="COLOR").first()
    shipping = CategoryAttribute.objects.filter(
        attribute__key="ESTIMATED_SHIPPING_DURATION"
    ).first()
    assert (color.is_required, color.is_variant, color.is_offer) == (True, True, False)
    assert (shipping.is_required, shipping.is_variant, shipping.is_offer) == (False, False, True)
    assert PriceList.objects.get().currency == "USD"
    assert "seller user: username=demo password=demo email=demo@example.com" in first
    assert Country.objects.get().code == "TR"
    assert City.objects.count() >= 3 and Township.objects.count() >= 6
    assert CargoCompany.objects.count() == 2
    # a few orders whose packages stand in each state a seller meets
    assert sorted(Package.objects.values_list("order__number", "status")) == [
        ("DEMO-1001", 2), ("DEMO-1002", 3), ("DEMO-1003", 4), ("DEMO-1004", 5),
    ]  # fmt: skip
    assert set(
        OrderItem.objects.filter(order__number="DEMO-1003").values_list("status", flat=True)
    ) == {"500"}
    assert "orders: DEMO-1001 (preparing), DEMO-1002 (ready), DEMO-1003 (shipped)" in first
    login = api_client.post(
        "/seller-center/api/i1/token/obtain/",
        {"email": "demo@example.com", "password": "demo"},
        format="json",
    )
    assert login.status_code == 200
