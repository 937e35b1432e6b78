"""The Django admin of products: approval actions (through the services) and read-only revisions."""

import pytest
from django.test import Client

from pazar.catalog.models import Product
from tests.factories import (
    AttributeConfigFactory,
    OperatorFactory,
    ProductFactory,
    ProductPriceFactory,
    ProductRevisionFactory,
    ProductStockFactory,
    staff_with_perms,
)

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/catalog/product/"


@pytest.fixture
def admin_client():
    client = Client()
    client.force_login(OperatorFactory(is_superuser=True))
    return client


def post_action(client, action: str, products, **extra):
    return client.post(
        CHANGELIST,
        {"action": action, "_selected_action": [product.pk for product in products], **extra},
    )


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def test_the_product_list_filters_by_approval_and_searches_sku_and_name(admin_client):
    ProductFactory(sku="RED-TEE", name="Red tee")
    ProductFactory(sku="BLUE-TEE", name="Blue tee", live=True)

    pending = admin_client.get(CHANGELIST, {"approval_status__exact": "pending"})
    searched = admin_client.get(CHANGELIST, {"q": "blue"})

    assert pending.status_code == 200
    assert [p.sku for p in pending.context["cl"].result_list] == ["RED-TEE"]
    assert [p.sku for p in searched.context["cl"].result_list] == ["BLUE-TEE"]
    assert b"Approve selected products" in pending.content
    assert b"Reject selected products" in pending.content


def test_a_product_page_shows_its_prices_stocks_and_revisions(admin_client):
    revision = ProductRevisionFactory()
    ProductPriceFactory(product=revision.product)
    ProductStockFactory(product=revision.product)

    response = admin_client.get(f"{CHANGELIST}{revision.product.pk}/change/")

    assert response.status_code == 200
    for prefix in (b"prices-TOTAL_FORMS", b"stocks-TOTAL_FORMS", b"revisions-TOTAL_FORMS"):
        assert prefix in response.content
    assert b'name="prices-0-price"' in response.content
    assert b'name="revisions-0-data"' not in response.content  # read-only


def test_the_approve_action_approves_through_the_service(admin_client):
    new = ProductFactory()
    revision = ProductRevisionFactory(product__name="Tee")
    revision.data = {**revision.data, "name": "Cotton Tee"}
    revision.save()
    live = ProductFactory(live=True)

    response = post_action(admin_client, "approve_selected", [new, revision.product, live])

    assert response.status_code == 302
    assert set(Product.objects.values_list("approval_status", flat=True)) == {"approved"}
    revision.refresh_from_db()
    assert revision.status == "approved"
    assert Product.objects.get(pk=revision.product.pk).name == "Cotton Tee"
    followed = admin_client.get(response.url)
    assert messages_of(followed) == [
        "Approved 2 products. 1 product was not waiting for approval any more."
    ]


def test_the_reject_action_asks_for_a_reason_first(admin_client):
    first, second = ProductFactory(sku="A-1"), ProductFactory(sku="B-1")

    response = post_action(admin_client, "reject_selected", [first, second])

    assert response.status_code == 200
    assert response.templates[0].name == "admin/catalog/product/reject_selected.html"
    assert b'name="reason"' in response.content
    assert b"A-1" in response.content
    assert b"B-1" in response.content
    assert set(Product.objects.values_list("approval_status", flat=True)) == {"pending"}


def test_the_reject_action_rejects_with_the_reason_given(admin_client):
    first, second = ProductFactory(), ProductFactory()

    response = post_action(
        admin_client, "reject_selected", [first, second], apply="1", reason="Blurry images."
    )

    assert response.status_code == 302
    assert set(Product.objects.values_list("approval_status", "rejection_reason")) == {
        ("rejected", "Blurry images.")
    }
    assert messages_of(admin_client.get(response.url)) == ["Rejected 2 products."]


def test_the_reject_action_without_a_reason_shows_the_form_again(admin_client):
    product = ProductFactory()

    response = post_action(admin_client, "reject_selected", [product], apply="1", reason="  ")

    assert response.status_code == 200
    assert b"This field is required." in response.content
    product.refresh_from_db()
    assert product.approval_status == "pending"


def test_staff_without_the_change_permission_cannot_run_the_actions():
    client = Client()
    client.force_login(staff_with_perms("catalog.view_product"))
    product = ProductFactory()

    listed = client.get(CHANGELIST)
    response = post_action(client, "approve_selected", [product])

    assert listed.status_code == 200
    assert b"Approve selected products" not in listed.content
    assert response.status_code == 200  # the changelist again: no such action for this user
    product.refresh_from_db()
    assert product.approval_status == "pending"


def test_revisions_are_read_only_in_the_admin(admin_client):
    revision = ProductRevisionFactory()
    url = f"/admin/catalog/productrevision/{revision.pk}/change/"

    listed = admin_client.get("/admin/catalog/productrevision/")
    page = admin_client.get(url)
    add = admin_client.get("/admin/catalog/productrevision/add/")
    post = admin_client.post(url, {"status": "approved"})
    delete = admin_client.get(f"/admin/catalog/productrevision/{revision.pk}/delete/")

    assert listed.status_code == 200
    assert page.status_code == 200
    assert b'name="status"' not in page.content
    assert (add.status_code, post.status_code, delete.status_code) == (403, 403, 403)
    revision.refresh_from_db()
    assert revision.status == "pending"


def test_an_attribute_set_is_edited_with_its_configs(admin_client):
    config = AttributeConfigFactory(is_required=True)

    listed = admin_client.get("/admin/catalog/attributeset/")
    page = admin_client.get(f"/admin/catalog/attributeset/{config.attribute_set_id}/change/")

    assert listed.status_code == 200
    assert [s.pk for s in listed.context["cl"].result_list] == [config.attribute_set_id]
    assert page.status_code == 200
    assert page.context["inline_admin_formsets"][0].formset.queryset.get() == config
