"""`create_orders/`: a sales channel's order, its stock and its sellers' packages."""

import re
from decimal import Decimal

import pytest

from pazar.fulfilment.models import Package, PackageItem
from pazar.orders.models import Order, OrderItem, OrderItemEvent
from tests.customers.factories import AddressFactory

pytestmark = pytest.mark.django_db


def test_an_order_takes_its_stock_and_goes_into_the_sellers_package(operator_client, shop):
    response = operator_client.post(shop.url("create_orders/"), shop.body(), format="json")

    assert response.status_code == 201, response.content
    body = response.json()
    order = Order.objects.get()
    assert (body["pk"], body["number"], body["extra_field"]) == (order.pk, "MP-1", {"id": "MP-1"})
    assert (body["amount"], body["oversold_items"], body["status"]) == ("249.90", 0, "400")
    item = OrderItem.objects.get()
    assert (item.quantity, item.stock_taken, item.oversold, item.price) == (
        1, 1, False, Decimal("249.90"),
    )  # fmt: skip
    assert item.stock_list == shop.channel.catalog.stock_list
    assert item.price_list == shop.channel.catalog.price_list
    assert shop.stock(shop.offer) == (9, 1)
    package = Package.objects.get()
    assert re.fullmatch(r"[1-9]\d{15}", package.number)
    assert (package.seller_id, package.status, package.order_id) == (
        shop.offer.seller_id,
        2,
        order.pk,
    )
    assert list(PackageItem.objects.values_list("number", "order_item")) == [
        (f"{package.number}-1", item.pk)
    ]
    assert list(package.history.values_list("from_status", "to_status")) == [(None, 2)]
    assert list(OrderItemEvent.objects.values_list("from_status", "to_status")) == [("", "400")]


def test_a_repeated_import_answers_with_the_stored_order_and_takes_nothing(operator_client, shop):
    first = operator_client.post(shop.url("create_orders/"), shop.body(), format="json")
    again = operator_client.post(shop.url("create_orders/"), shop.body(amount=1), format="json")

    assert again.status_code == 200
    assert again.json() == first.json()
    assert Order.objects.count() == 1 and OrderItem.objects.count() == 1
    assert Package.objects.count() == 1
    assert shop.stock(shop.offer) == (9, 1)


def test_the_same_number_on_another_channel_is_another_order(operator_client, shop):
    from tests.orders.conftest import make_shop

    other = make_shop()
    operator_client.post(shop.url("create_orders/"), shop.body(), format="json")
    response = operator_client.post(other.url("create_orders/"), other.body(), format="json")

    assert response.status_code == 201
    assert Order.objects.count() == 2


def test_quantity_defaults_to_one_and_amounts_arrive_as_numbers_or_strings(operator_client, shop):
    items = [
        shop.item(shop.offer, price="10.005"),
        shop.item(shop.offer, price=12, quantity=3, discount_amount="1.5"),
    ]

    response = operator_client.post(
        shop.url("create_orders/"), shop.body(items=items, amount=46.5), format="json"
    )

    assert response.status_code == 201, response.content
    assert response.json()["amount"] == "46.50"
    assert list(OrderItem.objects.values_list("quantity", "price", "discount_amount")) == [
        (1, Decimal("10.01"), Decimal("0.00")),
        (3, Decimal("12.00"), Decimal("1.50")),
    ]
    assert shop.stock(shop.offer) == (6, 4)


def test_an_item_that_finds_no_stock_is_recorded_as_oversold(operator_client, shop):
    stock = shop.offer.stocks.get()
    stock.stock = 2
    stock.save()
    items = [shop.item(shop.offer, quantity=2), shop.item(shop.offer), shop.item(shop.own_product)]

    response = operator_client.post(
        shop.url("create_orders/"), shop.body(items=items), format="json"
    )

    assert response.status_code == 201
    assert response.json()["oversold_items"] == 1
    assert list(OrderItem.objects.values_list("stock_taken", "oversold")) == [
        (2, False), (0, True), (1, False),
    ]  # fmt: skip
    assert shop.stock(shop.offer) == (0, 2)
    listed = operator_client.get("/omnitron/api/v1/orders/?oversold=true")
    assert [row["number"] for row in listed.json()["results"]] == ["MP-1"]


@pytest.mark.parametrize(
    ("stock", "quantities", "taken"),
    [
        (2, [3, 1, 1], [0, 1, 1]),  # a line too big takes nothing; the smaller ones after it do
        (5, [2, 3, 1], [2, 3, 0]),
        (6, [2, 3, 1], [2, 3, 1]),
    ],
)
def test_lines_of_one_stock_row_take_their_units_in_line_order_each_all_or_nothing(
    operator_client, shop, stock, quantities, taken
):
    row = shop.offer.stocks.get()
    row.stock = stock
    row.save()
    items = [shop.item(shop.offer, quantity=q) for q in quantities] + [shop.item(shop.own_product)]

    response = operator_client.post(
        shop.url("create_orders/"), shop.body(items=items), format="json"
    )

    assert response.status_code == 201, response.content
    assert list(OrderItem.objects.order_by("pk").values_list("stock_taken", "oversold")) == [
        *((units, units == 0) for units in taken), (1, False),
    ]  # fmt: skip
    assert shop.stock(shop.offer) == (stock - sum(taken), sum(taken))
    assert response.json()["oversold_items"] == taken.count(0)


def test_a_product_without_a_stock_row_in_the_list_is_oversold(operator_client, shop):
    from tests.factories import ProductFactory

    unstocked = ProductFactory(live=True)

    response = operator_client.post(
        shop.url("create_orders/"), shop.body(items=[shop.item(unstocked)]), format="json"
    )

    assert response.status_code == 201
    assert OrderItem.objects.get().oversold is True


def test_each_seller_gets_one_package_and_own_products_none(operator_client, shop):
    items = [
        shop.item(shop.offer), shop.item(shop.other_offer), shop.item(shop.offer),
        shop.item(shop.own_product),
    ]  # fmt: skip

    response = operator_client.post(
        shop.url("create_orders/"), shop.body(items=items), format="json"
    )

    assert response.status_code == 201
    packages = {p.seller_id: p for p in Package.objects.all()}
    assert set(packages) == {shop.offer.seller_id, shop.other_offer.seller_id}
    first = packages[shop.offer.seller_id]
    assert list(first.items.values_list("number", flat=True)) == [
        f"{first.number}-1", f"{first.number}-2",
    ]  # fmt: skip
    assert packages[shop.other_offer.seller_id].items.count() == 1


def test_an_item_may_name_its_stock_list(operator_client, shop):
    from tests.factories import ProductStockFactory, StockListFactory

    store = StockListFactory()
    ProductStockFactory(product=shop.offer, stock_list=store, stock=1)

    response = operator_client.post(
        shop.url("create_orders/"),
        shop.body(items=[shop.item(shop.offer, stock_list=store.pk)]),
        format="json",
    )

    assert response.status_code == 201
    assert shop.offer.stocks.get(stock_list=store).stock == 0
    assert shop.stock(shop.offer) == (10, 0)


def _bad(shop, case):
    if case == "unknown product":
        return shop.body(
            items=[shop.item(shop.offer), {**shop.item(shop.offer), "product": 999999}]
        )
    if case == "unknown stock list":
        return shop.body(items=[shop.item(shop.offer, stock_list=999999)])
    if case == "unknown price list":
        return shop.body(items=[shop.item(shop.offer, price_list=999999)])
    if case == "unknown customer":
        return shop.body(customer=999999)
    if case == "another channel's customer":
        from tests.customers.factories import CustomerFactory

        return shop.body(customer=CustomerFactory().pk)
    if case == "price is text":
        return shop.body(items=[shop.item(shop.offer, price="cheap")])
    if case == "quantity zero":
        return shop.body(items=[shop.item(shop.offer, quantity=0)])
    if case == "items not a list":
        return {**shop.body(), "order_item": {"product": shop.offer.pk}}
    if case == "no items":
        return shop.body(items=[])
    if case == "1001 items":
        return shop.body(items=[shop.item(shop.offer)] * 1001)
    if case == "no number":
        body = shop.body()
        del body["order"]["number"]
        return body
    if case == "bad status":
        return shop.body(status="999")
    if case == "bad date":
        return shop.body(date_placed="yesterday")
    if case == "extra_field a list":
        return shop.body(extra_field=[1])
    if case == "body a list":
        return [shop.body()]
    raise AssertionError(case)


BAD = {
    "unknown product": ["order_item"], "unknown stock list": ["order_item"],
    "unknown price list": ["order_item"], "unknown customer": ["order"],
    "another channel's customer": ["order"], "price is text": ["order_item"],
    "quantity zero": ["order_item"], "items not a list": ["order_item"],
    "no items": ["order_item"], "1001 items": ["order_item"], "no number": ["order"],
    "bad status": ["order"], "bad date": ["order"], "extra_field a list": ["order"],
    "body a list": ["non_field_errors"],
}  # fmt: skip


@pytest.mark.parametrize("case", BAD)
def test_bad_input_is_a_400_naming_the_field_and_writes_nothing(operator_client, shop, case):
    response = operator_client.post(shop.url("create_orders/"), _bad(shop, case), format="json")

    assert response.status_code == 400, response.content
    assert list(response.json()) == BAD[case]
    assert not Order.objects.exists() and not OrderItem.objects.exists()
    assert not Package.objects.exists()
    assert shop.stock(shop.offer) == (10, 0)


def test_an_unknown_product_is_named_at_its_item_index(operator_client, shop):
    response = operator_client.post(
        shop.url("create_orders/"), _bad(shop, "unknown product"), format="json"
    )

    assert response.json() == {
        "order_item": {"1": {"product": ['Invalid pk "999999" - object does not exist.']}}
    }


def test_an_unknown_channel_is_a_404(operator_client, shop):
    response = operator_client.post(
        "/omnitron/api/v1/channel/999999/create_orders/", shop.body(), format="json"
    )

    assert response.status_code == 404
    assert not Order.objects.exists()


def test_placing_orders_needs_the_add_order_permission(api_client, shop):
    from tests.factories import operator_token, staff_with_perms

    reader = staff_with_perms("orders.view_order")
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {operator_token(reader)}")

    response = api_client.post(shop.url("create_orders/"), shop.body(), format="json")

    assert response.status_code == 403


def test_the_two_addresses_are_read_together_and_each_is_checked_as_any_pk(operator_client, shop):
    billing = AddressFactory(customer=shop.customer)
    body = shop.body(number="MP-A", billing_address=billing.pk)
    placed = operator_client.post(shop.url("create_orders/"), body, format="json").json()
    assert (placed["shipping_address"], placed["billing_address"]) == (shop.address.pk, billing.pk)

    for value, message in [
        (999999, 'Invalid pk "999999" - object does not exist.'),
        (2**70, f'Invalid pk "{2**70}" - object does not exist.'),
        (str(billing.pk), None),
        ("x", "Incorrect type. Expected pk value, received str."),
        (True, "Incorrect type. Expected pk value, received bool."),
        ([1], "Incorrect type. Expected pk value, received list."),
    ]:
        body = shop.body(number=f"MP-{value}", shipping_address=value, notes="x" * 321)
        response = operator_client.post(shop.url("create_orders/"), body, format="json")
        errors = response.json()["order"]
        assert errors["notes"] == ["Ensure this field has no more than 320 characters."]
        assert errors.get("shipping_address") == (message and [message]), value
