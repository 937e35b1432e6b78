"""Omnitron pre-products: the approval queue of sellers' products (omnitron.md §4)."""

import pytest
from rest_framework.test import APIClient

from pazar.catalog import services
from pazar.catalog.models import Product, ProductRevision
from tests.factories import (
    AttributeConfigFactory,
    AttributeFactory,
    AttributeSetFactory,
    CategoryFactory,
    ProductFactory,
    ProductRevisionFactory,
    SellerFactory,
    operator_token,
    staff_with_perms,
)

pytestmark = pytest.mark.django_db

PRE_PRODUCTS = "/omnitron/api/v1/pre_products/"


def iso(value) -> str:
    return value.isoformat().replace("+00:00", "Z")


def pre_product_body(product: Product, pending_changes=None) -> dict:
    product.refresh_from_db()
    return {
        "pk": product.pk,
        "id": product.pk,
        "uuid": str(product.uuid),
        "seller": (
            {"id": str(product.seller.id), "name": product.seller.name} if product.seller else None
        ),
        "sku": product.sku,
        "base_code": product.base_code,
        "name": product.name,
        "product_type": product.product_type,
        "attribute_set": product.attribute_set_id,
        "category": product.category_id,
        "attributes": product.attributes,
        "images": product.images,
        "videos": product.videos,
        "catalog_product": product.catalog_product_id,
        "restrict_for_others": product.restrict_for_others,
        "is_active": product.is_active,
        "approved": product.approved,
        "approval_status": product.approval_status,
        "rejection_reason": product.rejection_reason,
        "productization_date": product.productization_date and iso(product.productization_date),
        "pending_changes": pending_changes,
        "created_date": iso(product.created_at),
        "modified_date": iso(product.updated_at),
    }


def skus(response) -> list[str]:
    return [item["sku"] for item in response.json()["results"]]


def client_for(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {operator_token(user)}")
    return client


# --- the queue ----------------------------------------------------------------------------


def test_the_queue_lists_new_products_and_pending_changes_of_live_ones(operator_client):
    new = ProductFactory(sku="NEW-1", attributes={"COLOR": "Red"})
    revision = ProductRevisionFactory(product__sku="LIVE-1", product__name="Tee")
    revision.data = {**revision.data, "name": "Cotton Tee", "images": ["https://cdn.example/1.jpg"]}
    revision.save()
    ProductFactory(sku="DONE-1", live=True)
    ProductFactory(sku="NO-1", approval_status="rejected", rejection_reason="Blurry")
    Product.objects.create(sku="OPERATOR-1", base_code="OPERATOR", name="Own")  # no seller

    response = operator_client.get(PRE_PRODUCTS)

    assert response.status_code == 200
    assert response.json() == {
        "count": 2,
        "next": None,
        "previous": None,
        "results": [
            pre_product_body(new),
            pre_product_body(
                revision.product,
                pending_changes={"name": "Cotton Tee", "images": ["https://cdn.example/1.jpg"]},
            ),
        ],
    }


def test_the_queue_is_also_served_on_the_i1_path(operator_client):
    product = ProductFactory()

    response = operator_client.get("/omnitron/api/i1/pre_products/")

    assert response.status_code == 200
    assert response.json()["results"] == [pre_product_body(product)]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["A-1", "B-1"]),
        ({"approval_status": "rejected"}, ["C-1"]),
        ({"approval_status": "approved"}, ["D-1"]),
        ({"approval_status__in": "pending,rejected"}, ["A-1", "B-1", "C-1"]),
        ({"sku": "B-1"}, ["B-1"]),
        ({"sku__icontains": "a-"}, ["A-1"]),
        ({"sku__in": "A-1,C-1"}, ["A-1"]),
        ({"approved": "true"}, ["B-1"]),
    ],
)
def test_the_queue_filters_by_status_sku_and_approved(operator_client, params, expected):
    ProductFactory(sku="A-1")
    ProductRevisionFactory(product__sku="B-1")
    ProductFactory(sku="C-1", approval_status="rejected")
    ProductFactory(sku="D-1", live=True)

    response = operator_client.get(PRE_PRODUCTS, params)

    assert response.status_code == 200
    assert skus(response) == expected


def test_the_queue_filters_by_seller_and_dates(operator_client):
    acme, other = SellerFactory(), SellerFactory()
    old = ProductFactory(sku="OLD", seller=acme)
    ProductFactory(sku="NEW", seller=other)
    Product.objects.filter(pk=old.pk).update(
        created_at="2024-01-01T00:00:00Z", updated_at="2024-01-02T00:00:00Z"
    )

    assert skus(operator_client.get(PRE_PRODUCTS, {"seller": str(acme.id)})) == ["OLD"]
    assert skus(operator_client.get(PRE_PRODUCTS, {"seller__in": f"{acme.id},{other.id}"})) == [
        "OLD",
        "NEW",
    ]
    assert skus(
        operator_client.get(PRE_PRODUCTS, {"created_date__lt": "2025-01-01T00:00:00Z"})
    ) == ["OLD"]
    assert skus(
        operator_client.get(PRE_PRODUCTS, {"modified_date__gt": "2024-06-01T00:00:00Z"})
    ) == ["NEW"]


def test_an_unknown_seller_or_status_filter_is_a_400(operator_client):
    seller = operator_client.get(PRE_PRODUCTS, {"seller": "not-a-uuid"})
    status = operator_client.get(PRE_PRODUCTS, {"approval_status": "maybe"})

    assert seller.status_code == 400
    assert seller.json() == {"seller": ["Enter a valid UUID."]}
    assert status.status_code == 400
    assert status.json() == {
        "approval_status": ["Select a valid choice. maybe is not one of the available choices."]
    }


def test_one_pre_product_is_read_by_pk_whatever_its_status(operator_client):
    product = ProductFactory(live=True)

    response = operator_client.get(f"{PRE_PRODUCTS}{product.pk}/")
    operators_own = Product.objects.create(sku="OWN", base_code="OWN", name="Own")
    missing = operator_client.get(f"{PRE_PRODUCTS}{operators_own.pk}/")

    assert response.status_code == 200
    assert response.json() == pre_product_body(product)
    assert missing.status_code == 404
    assert missing.json() == {"detail": "Not found.", "code": "not_found"}


# --- approving ----------------------------------------------------------------------------


def test_patch_approved_true_productizes_a_new_product(operator_client, operator):
    product = ProductFactory()

    response = operator_client.patch(
        f"{PRE_PRODUCTS}{product.pk}/", {"approved": True}, format="json"
    )

    assert response.status_code == 200
    product.refresh_from_db()
    assert (product.approved, product.approval_status) == (True, "approved")
    assert response.json() == pre_product_body(product)


def test_approving_a_pending_change_applies_the_revision_data(operator_client, operator):
    men = CategoryFactory()
    revision = ProductRevisionFactory(product__name="Tee", product__attributes={"COLOR": "Red"})
    revision.data = {
        **revision.data,
        "name": "Cotton Tee",
        "category": men.pk,
        "attributes": {"COLOR": "Blue"},
        "restrict_for_others": True,
    }
    revision.save()

    response = operator_client.post(f"{PRE_PRODUCTS}{revision.product.pk}/approve/")

    assert response.status_code == 200
    product = revision.product
    product.refresh_from_db()
    assert (product.name, product.category, product.attributes) == (
        "Cotton Tee",
        men,
        {"COLOR": "Blue"},
    )
    assert product.restrict_for_others is True
    assert product.approval_status == "approved"
    assert response.json() == pre_product_body(product, pending_changes=None)
    revision.refresh_from_db()
    assert (revision.status, revision.decided_by) == ("approved", operator)


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({"approved": "perhaps"}, {"approved": ["Must be a valid boolean."]}),
        (
            {"approved": False},
            {
                "approved": [
                    "Only true is accepted; reject a product with POST …/reject/ and a reason."
                ]
            },
        ),
    ],
)
def test_patch_takes_approved_only_as_true(operator_client, body, errors):
    product = ProductFactory()

    response = operator_client.patch(f"{PRE_PRODUCTS}{product.pk}/", body, format="json")

    assert response.status_code == 400
    assert response.json() == errors
    product.refresh_from_db()
    assert product.approval_status == "pending"


@pytest.mark.parametrize("status", ["approved", "rejected"])
def test_approving_what_is_not_waiting_for_approval_is_a_400(operator_client, status):
    product = ProductFactory(approval_status=status, approved=status == "approved")

    post = operator_client.post(f"{PRE_PRODUCTS}{product.pk}/approve/")
    patch = operator_client.patch(f"{PRE_PRODUCTS}{product.pk}/", {"approved": True}, format="json")

    for response in (post, patch):
        assert response.status_code == 400
        assert response.json() == {
            "detail": f'Product {product.pk} is not waiting for approval; its status is "{status}".',
            "code": "not_pending",
        }


def test_deciding_on_an_unknown_pre_product_is_a_404(operator_client):
    responses = [
        operator_client.patch(f"{PRE_PRODUCTS}999999/", {}, format="json"),
        operator_client.post(f"{PRE_PRODUCTS}999999/approve/"),
        operator_client.post(f"{PRE_PRODUCTS}999999/reject/", {}, format="json"),
    ]

    assert [response.status_code for response in responses] == [404, 404, 404]
    assert responses[0].json() == {"detail": "Not found.", "code": "not_found"}


# --- rejecting ----------------------------------------------------------------------------


def test_rejecting_a_new_product_records_the_reason(operator_client):
    product = ProductFactory()

    response = operator_client.post(
        f"{PRE_PRODUCTS}{product.pk}/reject/", {"reason": "Images are missing."}, format="json"
    )

    assert response.status_code == 200
    product.refresh_from_db()
    assert (product.approved, product.approval_status, product.rejection_reason) == (
        False,
        "rejected",
        "Images are missing.",
    )
    assert response.json() == pre_product_body(product)


def test_rejecting_a_pending_change_keeps_the_approved_data(operator_client, operator):
    revision = ProductRevisionFactory(product__name="Tee")
    revision.data = {**revision.data, "name": "Spam Tee"}
    revision.save()

    response = operator_client.post(
        f"{PRE_PRODUCTS}{revision.product.pk}/reject/", {"reason": "Spam."}, format="json"
    )

    assert response.status_code == 200
    body = response.json()
    assert (body["name"], body["approved"], body["approval_status"]) == ("Tee", True, "rejected")
    assert body["pending_changes"] is None
    revision.refresh_from_db()
    assert (revision.status, revision.reason, revision.decided_by) == (
        "rejected",
        "Spam.",
        operator,
    )


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({}, {"reason": ["This field is required."]}),
        ({"reason": "   "}, {"reason": ["This field may not be blank."]}),
    ],
)
def test_a_rejection_needs_a_reason(operator_client, body, errors):
    product = ProductFactory()

    response = operator_client.post(f"{PRE_PRODUCTS}{product.pk}/reject/", body, format="json")

    assert response.status_code == 400
    assert response.json() == errors
    product.refresh_from_db()
    assert product.approval_status == "pending"


# --- the operator's own pre-products --------------------------------------------------------


@pytest.mark.parametrize("url", [PRE_PRODUCTS, "/omnitron/api/i1/pre_products/"])
def test_an_operator_pre_product_waits_in_the_queue_until_it_is_productized(
    operator_client, operator, url
):
    created = operator_client.post(
        url, {"name": "Tote bag", "sku": "BAG-1", "product_type": "6"}, format="json"
    )
    product = Product.objects.get(sku="BAG-1")
    queued = operator_client.get(url)
    not_yet = operator_client.get("/omnitron/api/i1/products/", {"sku": "BAG-1"})

    approved = operator_client.patch(
        f"{PRE_PRODUCTS}{product.pk}/",
        {"name": "Canvas tote bag", "approved": True, "run_product_mapping": True},
        format="json",
    )

    assert created.status_code == 201
    assert queued.json()["results"] == [created.json()]
    assert created.json()["seller"] is None
    assert (created.json()["product_type"], created.json()["approval_status"]) == ("6", "pending")
    assert not_yet.json()["count"] == 0
    assert approved.status_code == 200
    assert approved.json() == pre_product_body(product)
    assert (product.name, product.product_type, product.approved) == ("Canvas tote bag", "4", True)
    assert product.productization_date is not None
    assert operator_client.get(url).json()["count"] == 0
    live = operator_client.get("/omnitron/api/i1/products/", {"sku": "BAG-1"}).json()
    assert [item["pk"] for item in live["results"]] == [product.pk]


def test_a_pre_product_is_of_type_pre_product_unless_pre_miscellaneous(operator_client):
    default = operator_client.post(PRE_PRODUCTS, {"name": "A", "sku": "A"}, format="json")
    simple = operator_client.post(
        PRE_PRODUCTS, {"name": "B", "sku": "B", "product_type": "0"}, format="json"
    )

    assert default.status_code == 201
    assert default.json()["product_type"] == "5"
    assert simple.status_code == 400
    assert simple.json() == {
        "product_type": ['A pre-product\'s type is "5" (pre_product) or "6" (pre_miscellaneous).']
    }


def test_pre_attributes_are_accepted_and_required_ones_wait_for_productization(operator_client):
    attribute_set = AttributeSetFactory()
    AttributeConfigFactory(
        attribute_set=attribute_set, attribute=AttributeFactory(key="SIZE"), is_required=True
    )
    AttributeFactory(key="ERP_COLOR", pre_attribute=True)
    AttributeFactory(key="COLOR")

    raw = operator_client.post(
        PRE_PRODUCTS,
        {
            "name": "A",
            "sku": "A",
            "attribute_set": attribute_set.pk,
            "attributes": {"ERP_COLOR": "kırmızı"},
        },
        format="json",
    )
    not_pre = operator_client.post(
        PRE_PRODUCTS,
        {
            "name": "B",
            "sku": "B",
            "attribute_set": attribute_set.pk,
            "attributes": {"COLOR": "red"},
        },
        format="json",
    )

    assert raw.status_code == 201
    assert raw.json()["attributes"] == {"ERP_COLOR": "kırmızı"}
    assert not_pre.status_code == 400
    assert not_pre.json() == {
        "attributes": {"COLOR": ["Not an attribute of this product's attribute set."]}
    }


def test_changes_and_approval_are_one_write(operator_client):
    product = ProductFactory(name="Old", approval_status="rejected")

    response = operator_client.patch(
        f"{PRE_PRODUCTS}{product.pk}/", {"name": "New", "approved": True}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["code"] == "not_pending"
    product.refresh_from_db()
    assert product.name == "Old"


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({}, 200),
        ({"run_product_mapping": None}, 200),
        ({"run_product_mapping": "maybe"}, 400),
    ],
)
def test_run_product_mapping_is_an_optional_flag(operator_client, body, status):
    product = ProductFactory()

    response = operator_client.patch(f"{PRE_PRODUCTS}{product.pk}/", body, format="json")

    assert response.status_code == status
    if status == 400:
        assert response.json() == {"run_product_mapping": ["Must be a valid boolean."]}
    product.refresh_from_db()
    assert product.approval_status == "pending"


def test_approving_a_sellers_product_dates_its_productization(operator_client):
    product = ProductFactory()

    response = operator_client.post(f"{PRE_PRODUCTS}{product.pk}/approve/")

    product.refresh_from_db()
    assert response.json()["productization_date"] == iso(product.productization_date)
    assert product.product_type == "0"


def test_bulk_approval_productizes_operator_pre_products_too(operator_client):
    pre = services.pre_product_create(sku="PRE-1", name="Raw")
    sellers = ProductFactory()

    response = operator_client.post(
        f"{PRE_PRODUCTS}approve/", {"ids": [pre.pk, sellers.pk]}, format="json"
    )

    assert response.json() == {"approved": 2, "not_pending": []}
    pre.refresh_from_db()
    assert (pre.product_type, pre.approved) == ("0", True)


# --- in bulk ------------------------------------------------------------------------------


def test_bulk_approval_approves_what_waits_and_reports_the_rest(operator_client):
    new = ProductFactory()
    revision = ProductRevisionFactory()
    revision.data = {**revision.data, "base_code": "NEW-BASE"}
    revision.save()
    live = ProductFactory(live=True)

    response = operator_client.post(
        f"{PRE_PRODUCTS}approve/",
        {"ids": [new.pk, revision.product.pk, live.pk, new.pk]},
        format="json",
    )

    assert response.status_code == 200
    assert response.json() == {"approved": 2, "not_pending": [live.pk]}
    assert set(Product.objects.values_list("approval_status", flat=True)) == {"approved"}
    revision.product.refresh_from_db()
    assert revision.product.base_code == "NEW-BASE"


def test_bulk_rejection_rejects_what_waits(operator_client):
    first, second = ProductFactory(), ProductFactory()
    rejected = ProductFactory(approval_status="rejected", rejection_reason="Old reason")

    response = operator_client.post(
        f"{PRE_PRODUCTS}reject/",
        {"ids": [first.pk, second.pk, rejected.pk], "reason": "Counterfeit."},
        format="json",
    )

    assert response.status_code == 200
    assert response.json() == {"rejected": 2, "not_pending": [rejected.pk]}
    assert dict(Product.objects.values_list("pk", "rejection_reason")) == {
        first.pk: "Counterfeit.",
        second.pk: "Counterfeit.",
        rejected.pk: "Old reason",
    }


@pytest.mark.parametrize("action", ["approve", "reject"])
def test_unknown_ids_are_a_400_naming_them_and_nothing_is_decided(operator_client, action):
    product = ProductFactory()
    operators_own = Product.objects.create(sku="OWN", base_code="OWN", name="Own")

    response = operator_client.post(
        f"{PRE_PRODUCTS}{action}/",
        {"ids": [product.pk, 999_999, operators_own.pk], "reason": "No."},
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {"ids": [f"Unknown pre-product ids: {operators_own.pk}, 999999."]}
    product.refresh_from_db()
    assert product.approval_status == "pending"


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({}, {"ids": ["This field is required."], "reason": ["This field is required."]}),
        ({"ids": [], "reason": "x"}, {"ids": ["This list may not be empty."]}),
        (
            {"ids": [1, 2, 3], "reason": "x"},
            {"ids": ["Ensure this field has no more than 2 elements."]},
        ),
        ({"ids": ["one"], "reason": "x"}, {"ids": {"0": ["A valid integer is required."]}}),
        (
            {"ids": [1, 2**63], "reason": "x"},
            {"ids": {"1": [f"Ensure this value is less than or equal to {2**63 - 1}."]}},
        ),
        ({"ids": [1], "reason": ""}, {"reason": ["This field may not be blank."]}),
    ],
)
def test_bulk_bodies_are_checked_before_anything_is_decided(
    operator_client, settings, body, errors
):
    settings.PAZAR_BULK_MAX_ITEMS = 2

    response = operator_client.post(f"{PRE_PRODUCTS}reject/", body, format="json")

    assert response.status_code == 400
    assert response.json() == errors


def test_bulk_approval_takes_up_to_a_thousand_ids(operator_client):
    products = ProductFactory.create_batch(3)
    ids = [product.pk for product in products] + list(range(10**6, 10**6 + 997))

    at_limit = operator_client.post(f"{PRE_PRODUCTS}approve/", {"ids": ids}, format="json")
    over = operator_client.post(f"{PRE_PRODUCTS}approve/", {"ids": [*ids, 10**7]}, format="json")

    assert at_limit.status_code == 400  # within the limit: the unknown ids are what is wrong
    assert at_limit.json()["ids"][0].startswith("Unknown pre-product ids: 1000000, 1000001,")
    assert over.status_code == 400
    assert over.json() == {"ids": ["Ensure this field has no more than 1000 elements."]}


# --- permissions --------------------------------------------------------------------------


def test_viewing_the_queue_needs_view_product_and_deciding_needs_change_product():
    product = ProductFactory()
    viewer = client_for(staff_with_perms("catalog.view_product"))
    approver = client_for(staff_with_perms("catalog.view_product", "catalog.change_product"))
    detail = f"{PRE_PRODUCTS}{product.pk}/"

    assert viewer.get(PRE_PRODUCTS).status_code == 200
    assert viewer.get(detail).status_code == 200
    denied = [
        viewer.patch(detail, {"approved": True}, format="json"),
        viewer.post(f"{detail}approve/"),
        viewer.post(f"{detail}reject/", {"reason": "x"}, format="json"),
        viewer.post(f"{PRE_PRODUCTS}approve/", {"ids": [product.pk]}, format="json"),
        viewer.post(f"{PRE_PRODUCTS}reject/", {"ids": [product.pk], "reason": "x"}, format="json"),
    ]
    assert [response.status_code for response in denied] == [403] * 5
    assert denied[0].json() == {
        "detail": "You do not have permission to perform this action.",
        "code": "permission_denied",
    }
    assert approver.post(f"{detail}approve/").status_code == 200
    assert ProductRevision.objects.count() == 0


def test_creating_a_pre_product_needs_add_product():
    viewer = client_for(staff_with_perms("catalog.view_product"))
    creator = client_for(staff_with_perms("catalog.view_product", "catalog.add_product"))

    denied = viewer.post(PRE_PRODUCTS, {}, format="json")
    allowed = creator.post(PRE_PRODUCTS, {}, format="json")

    assert denied.status_code == 403
    assert allowed.status_code == 400  # past the permission check, on to validation
