"""The approval queue in the admin: side-by-side changes, decisions one by one or many at once,
and the catalog's product permissions deciding who sees and who decides."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.http import urlencode

from pazar.catalog.models import Product, ProductRevision, ProductType
from tests.backoffice.conftest import client_for
from tests.factories import (
    CategoryFactory,
    OperatorFactory,
    ProductFactory,
    ProductRevisionFactory,
    SellerFactory,
    UserFactory,
    staff_with_perms,
)

pytestmark = pytest.mark.django_db

QUEUE = "/admin/backoffice/pendingproduct/"


def review_url(product) -> str:
    return f"{QUEUE}{product.pk}/change/"


def a_change(*, sku="TEE-RED", name="Red tee", proposed_name="Organic red tee", **kwargs):
    revision = ProductRevisionFactory(product__sku=sku, product__name=name, **kwargs)
    revision.data = {**revision.data, "name": proposed_name}
    revision.save()
    return revision


def rows_of(response) -> list[str]:
    return [product.sku for product in response.context["cl"].result_list]


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def test_the_queue_lists_what_waits_with_its_changes_next_to_the_live_data(superuser_client):
    a_change()
    ProductFactory(sku="MUG-1", name="Mug", category=CategoryFactory(name="Kitchen"))
    ProductFactory(sku="LIVE-1", live=True)
    ProductFactory(sku="NO-1", approval_status="rejected")
    ProductFactory(seller=None, sku="OWN-1", live=True)  # the operator's own product

    response = superuser_client.get(QUEUE)

    assert response.status_code == 200
    assert sorted(rows_of(response)) == ["MUG-1", "TEE-RED"]
    html = response.content.decode()
    assert '<td class="current po-pre">Red tee</td>' in html
    assert '<td class="proposed po-pre">Organic red tee</td>' in html
    assert "Kitchen" in html  # a new product's summary


@pytest.mark.parametrize(
    ("request_kind", "expected"), [("new", ["MUG-1"]), ("change", ["TEE-RED"])]
)
def test_the_queue_filters_new_products_and_changes(superuser_client, request_kind, expected):
    a_change()
    ProductFactory(sku="MUG-1")

    response = superuser_client.get(QUEUE, {"request": request_kind})

    assert rows_of(response) == expected


def test_the_queue_filters_by_seller_and_searches_skus(superuser_client):
    acme, other = SellerFactory(name="Acme"), SellerFactory(name="Other")
    ProductFactory(seller=acme, sku="A-1")
    ProductFactory(seller=other, sku="B-1")

    by_seller = superuser_client.get(QUEUE, {"seller__id__exact": str(acme.pk)})
    searched = superuser_client.get(QUEUE, {"q": "b-1"})

    assert rows_of(by_seller) == ["A-1"]
    assert rows_of(searched) == ["B-1"]


def test_the_review_page_shows_every_field_side_by_side(superuser_client):
    revision = a_change()

    response = superuser_client.get(review_url(revision.product))

    assert response.status_code == 200
    lines = {line.label: line for line in response.context["review"].lines}
    assert (lines["Name"].current, lines["Name"].proposed, lines["Name"].changed) == (
        "Red tee",
        "Organic red tee",
        True,
    )
    assert lines["Base code"].changed is False
    assert b'name="approve"' in response.content
    assert b'name="reason"' in response.content


def test_approving_on_the_review_page_applies_the_change_and_opens_the_next(superuser_client):
    revision = a_change()
    following = ProductFactory(sku="MUG-1")

    response = superuser_client.post(review_url(revision.product), {"approve": "1"})

    assert response.status_code == 302
    assert response.url == review_url(following)
    product = Product.objects.get(pk=revision.product.pk)
    assert (product.name, product.approval_status) == ("Organic red tee", "approved")
    assert messages_of(superuser_client.get(response.url)) == ["Approved 1 product."]


def test_the_list_and_next_go_longest_waiting_first_and_next_keeps_the_filters(superuser_client):
    now = timezone.now()
    oldest_change = a_change(sku="CHANGE-OLD")
    newer_change = a_change(sku="CHANGE-NEW")
    new_product = ProductFactory(sku="NEW-1")
    # a change waits since it was proposed, whenever its product was created
    ProductRevision.objects.filter(pk=oldest_change.pk).update(created_at=now - timedelta(days=3))
    ProductRevision.objects.filter(pk=newer_change.pk).update(created_at=now - timedelta(days=1))
    Product.objects.filter(pk=newer_change.product.pk).update(created_at=now - timedelta(days=9))
    Product.objects.filter(pk=new_product.pk).update(created_at=now - timedelta(days=2))

    assert rows_of(superuser_client.get(QUEUE)) == ["CHANGE-OLD", "NEW-1", "CHANGE-NEW"]

    filters = urlencode({"_changelist_filters": "request=change"})
    response = superuser_client.post(
        f"{review_url(oldest_change.product)}?{filters}", {"approve": "1"}
    )

    # the next change, not the new product that waits longer, and still under the filter
    assert response.url == f"{review_url(newer_change.product)}?{filters}"
    last = superuser_client.post(response.url, {"approve": "1"})
    assert last.url == f"{QUEUE}?request=change"


def test_deciding_the_last_product_goes_back_to_the_empty_queue(superuser_client):
    product = ProductFactory()

    response = superuser_client.post(review_url(product), {"reject": "1", "reason": "Blurry."})

    assert response.status_code == 302
    assert response.url == QUEUE
    product.refresh_from_db()
    assert (product.approval_status, product.rejection_reason) == ("rejected", "Blurry.")


def test_rejecting_on_the_review_page_needs_a_reason(superuser_client):
    product = ProductFactory()

    response = superuser_client.post(review_url(product), {"reject": "1", "reason": " "})

    assert response.status_code == 200
    assert response.context["form"].errors == {"reason": ["This field is required."]}
    product.refresh_from_db()
    assert product.approval_status == "pending"


def test_a_product_that_waits_for_nothing_has_no_review_page(superuser_client):
    live = ProductFactory(live=True)
    own = ProductFactory(seller=None, product_type=ProductType.SIMPLE, live=True)

    for product in (live, own):
        response = superuser_client.get(review_url(product))
        assert response.status_code == 404
        assert response["Content-Type"].startswith("text/html")


def test_the_bulk_reject_action_asks_for_a_reason_then_rejects(superuser_client):
    first, second = ProductFactory(sku="A-1"), ProductFactory(sku="B-1")
    selected = {"action": "reject_selected", "_selected_action": [first.pk, second.pk]}

    asked = superuser_client.post(QUEUE, selected)
    done = superuser_client.post(QUEUE, {**selected, "apply": "1", "reason": "No photos."})

    assert asked.status_code == 200
    assert asked.templates[0].name == "backoffice/approval/reject.html"
    assert done.status_code == 302
    assert set(Product.objects.values_list("approval_status", "rejection_reason")) == {
        ("rejected", "No photos.")
    }
    assert messages_of(superuser_client.get(done.url)) == ["Rejected 2 products."]


def test_the_bulk_approve_action_says_what_was_no_longer_waiting(superuser_client):
    revision = a_change()
    new = ProductFactory()
    decided_meanwhile = ProductFactory()
    selected = [revision.product.pk, new.pk, decided_meanwhile.pk]
    Product.objects.filter(pk=decided_meanwhile.pk).update(approval_status="rejected")

    response = superuser_client.post(
        QUEUE, {"action": "approve_selected", "_selected_action": selected}
    )

    assert response.status_code == 302
    assert ProductRevision.objects.get(pk=revision.pk).status == "approved"
    assert Product.objects.get(pk=new.pk).approval_status == "approved"
    assert messages_of(superuser_client.get(response.url)) == ["Approved 2 products."]


# --- permissions -----------------------------------------------------------------------------


def test_the_queue_needs_the_view_product_permission():
    product = ProductFactory()
    without = client_for(OperatorFactory())
    reader = client_for(staff_with_perms("catalog.view_product"))

    assert without.get(QUEUE).status_code == 403
    assert without.get(review_url(product)).status_code == 403
    assert reader.get(QUEUE).status_code == 200
    assert reader.get(review_url(product)).status_code == 200


def test_deciding_needs_the_change_product_permission():
    product = ProductFactory()
    reader = client_for(staff_with_perms("catalog.view_product"))

    page = reader.get(review_url(product))
    approve = reader.post(review_url(product), {"approve": "1"})
    action = reader.post(QUEUE, {"action": "approve_selected", "_selected_action": [product.pk]})

    assert b'name="approve"' not in page.content
    assert b"Approve selected products" not in reader.get(QUEUE).content
    assert approve.status_code == 403
    assert action.status_code == 200  # the list again: the admin offers no such action here
    product.refresh_from_db()
    assert product.approval_status == "pending"


def test_sellers_and_anonymous_visitors_are_sent_to_the_admin_login(client):
    product = ProductFactory()
    seller_user = UserFactory()

    for visitor in (client, client_for(seller_user)):
        response = visitor.get(review_url(product))
        assert response.status_code == 302
        assert response.url.startswith("/admin/login/")


def test_the_queue_page_costs_as_many_queries_for_forty_products_as_for_two(superuser_client):
    def queries_for_page() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert superuser_client.get(QUEUE).status_code == 200
        return len(captured)

    category = CategoryFactory()
    for n in range(2):
        a_change(sku=f"A-{n}", product__category=category)
    few = queries_for_page()
    for n in range(38):
        a_change(sku=f"B-{n}", product__category=category)

    assert queries_for_page() == few
