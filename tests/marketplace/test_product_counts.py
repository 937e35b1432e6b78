"""PRD102's kept counts (`SellerProductCount`) equal the real counts after any mix of inserts,
updates, deletes and approval changes, and PRD102 answers every counted filter exactly.

The writes go through paths no service controls (bulk inserts, queryset updates and deletes)
as well as the approval service: the database's triggers must follow them all.
"""

import itertools
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Count
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pazar.catalog.models import Product
from pazar.catalog.services import products_approve
from pazar.marketplace import dbobjects, selectors
from pazar.marketplace.models import SellerProductCount
from tests.factories import CategoryFactory, SellerFactory

pytestmark = pytest.mark.django_db

PRODUCTS = "/seller-center/api/i2/products/"
KEYS = ["COLOR", "SIZE", "fit"]
# Values of every JSON type, as sellers send them: each database reads them as text its own way.
VALUES = st.one_of(
    st.sampled_from(["Mavi", "Kırmızı", "", "M", "1"]),
    st.integers(-2, 2),
    st.sampled_from([1.5, 2.0, True, False, None, [], ["a", 1], {"x": 1}]),
)
ATTRIBUTES = st.one_of(
    st.dictionaries(st.sampled_from(KEYS), VALUES, max_size=3),
    st.sampled_from([[], ["COLOR"], "COLOR", 5, {"": "empty key"}]),  # not an object
)
ROW = st.fixed_dictionaries(
    {
        "seller": st.integers(0, 1),
        "category": st.integers(0, 2),  # 2: no category
        "approved": st.booleans(),
        "attributes": ATTRIBUTES,
    }
)
OPERATION = st.one_of(
    st.tuples(st.just("insert"), st.lists(ROW, min_size=1, max_size=4)),
    st.tuples(st.just("update"), st.lists(st.integers(0, 50), max_size=3), ROW),
    st.tuples(st.just("approve"), st.lists(st.integers(0, 50), max_size=3), st.booleans()),
    st.tuples(st.just("approve_service"), st.lists(st.integers(0, 50), max_size=3)),
    st.tuples(st.just("delete"), st.lists(st.integers(0, 50), max_size=2)),
)


@pytest.fixture
def world(seller_client):
    sellers = [seller_client.seller, SellerFactory()]
    categories = [CategoryFactory(), CategoryFactory(), None]
    actor = get_user_model().objects.create_user("operator")
    return sellers, categories, actor


def fields(row, sellers, categories) -> dict:
    return {
        "seller": sellers[row["seller"]],
        "category": categories[row["category"]],
        "approved": row["approved"],
        "approval_status": "approved" if row["approved"] else "pending",
        "attributes": row["attributes"],
    }


SKUS = (f"C-{n}" for n in itertools.count())


def apply(operation, world) -> None:
    sellers, categories, actor = world
    kind, *args = operation
    pks = list(Product.objects.order_by("pk").values_list("pk", flat=True))
    chosen = sorted({pks[i % len(pks)] for i in args[0]}) if pks and kind != "insert" else []
    if kind == "insert":
        products = []
        for row in args[0]:
            sku = next(SKUS)
            products.append(
                Product(sku=sku, base_code=sku, name=sku, **fields(row, sellers, categories))
            )
        Product.objects.bulk_create(products)
    elif kind == "update":
        changed = fields(args[1], sellers, categories)
        Product.objects.filter(pk__in=chosen).update(**changed)
    elif kind == "approve":
        Product.objects.filter(pk__in=chosen).update(approved=args[1])
    elif kind == "approve_service":
        Product.objects.filter(pk__in=chosen).update(approval_status="pending")
        products_approve(products=list(Product.objects.filter(pk__in=chosen)), actor=actor)
    elif kind == "delete":
        Product.objects.filter(pk__in=chosen).delete()


def real_counts() -> dict[tuple, int]:
    """What every kept count should say, counted from the products the way PRD102 filters them."""
    products = Product.objects.filter(seller__isnull=False)
    expected = {}
    for row in products.values("seller_id", "approved", "category_id").annotate(n=Count("pk")):
        key = (row["seller_id"], row["approved"], row["category_id"] or 0, "", "")
        expected[key] = row["n"]
    keys = {
        key
        for attributes in products.values_list("attributes", flat=True)
        if isinstance(attributes, dict)
        for key in attributes
        if key
    }
    for key in keys:
        rows = (
            products.annotate(text=selectors.attribute_text(key))
            .filter(text__isnull=False)
            .values("seller_id", "approved", "category_id", "text")
            .annotate(n=Count("pk"))
        )
        for row in rows:
            counted = (row["seller_id"], row["approved"], row["category_id"] or 0, key, row["text"])
            expected[counted] = row["n"]
    return expected


def kept_counts() -> dict[tuple, int]:
    return {
        (row.seller_id, row.approved, row.category_id, row.attribute, row.value): row.count
        for row in SellerProductCount.objects.exclude(count=0)
    }


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(operations=st.lists(OPERATION, min_size=1, max_size=8))
def test_every_kept_count_equals_the_real_count(world, operations):
    Product.objects.all().delete()
    for operation in operations:
        apply(operation, world)
        assert kept_counts() == real_counts(), operation


# Values compared in filters: each JSON type's text on one database or the other.
COMPARED = ["Mavi", "", "1", "1.5", "2.0", "true", "false", "null", "[]", '["a",1]', '{"x":1}']
FILTERS = st.fixed_dictionaries(
    {},
    optional={
        "approved": st.sampled_from(["true", "false", "1", "0"]),
        "category": st.sampled_from([0, 1, "missing"]),
        "category__in": st.lists(st.sampled_from([0, 1, "missing"]), min_size=1, max_size=2),
        "attribute": st.tuples(st.sampled_from(KEYS), st.sampled_from(COMPARED)),
        "updated_at__gte": st.integers(-2, 2),
        "created_at__lt": st.integers(-2, 2),
    },
)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(rows=st.lists(ROW, min_size=1, max_size=12), filters=FILTERS)
def test_prd102_counts_from_the_kept_counts_are_exact(
    seller_client, world, rows, filters, monkeypatch, settings
):
    settings.PAZAR_RATE_LIMITS = None
    sellers, categories, _ = world
    Product.objects.all().delete()
    now = timezone.now()
    Product.objects.bulk_create(
        Product(sku=f"F-{i}", base_code="F", name="F", **fields(row, sellers, categories))
        for i, row in enumerate(rows)
    )
    for i, pk in enumerate(Product.objects.order_by("pk").values_list("pk", flat=True)):
        moment = now + timedelta(hours=i - len(rows) // 2)
        Product.objects.filter(pk=pk).update(created_at=moment, updated_at=moment)
    # A low limit, so that dates are counted on both sides of the date and as a whole too.
    monkeypatch.setattr(selectors, "DATE_COUNT_LIMIT", 2)

    def uuid_of(index):
        return (
            "0" * 8 + "-0000-4000-8000-" + "0" * 12
            if index == "missing"
            else categories[index].uuid
        )

    params = {}
    for name, value in filters.items():
        if name == "category":
            params[name] = str(uuid_of(value))
        elif name == "category__in":
            params[name] = ",".join(str(uuid_of(index)) for index in value)
        elif name == "attribute":
            params[f"attribute__{value[0]}"] = value[1]
        elif name.endswith(("__gte", "__lt")):
            params[name] = (now + timedelta(hours=value, minutes=30)).isoformat()
        else:
            params[name] = value
    response = seller_client.get(PRODUCTS, {**params, "limit": 1})
    assert response.status_code == 200, response.content

    # The same filter counted by the database, without the kept counts.
    plain = {**params, "name__contains": "F"}
    expected = seller_client.get(PRODUCTS, {**plain, "limit": 1}).json()["count"]
    assert response.json()["count"] == expected, params


def test_the_migration_counts_products_written_without_the_triggers(seller_client):
    category = CategoryFactory()
    with connection.cursor() as cursor:
        dbobjects.uninstall_counts(connection, cursor)
    Product.objects.bulk_create(
        Product(
            seller=seller_client.seller,
            sku=f"M-{i}",
            base_code="M",
            name="M",
            category=category,
            approved=True,
            attributes={"COLOR": "Mavi"},
        )
        for i in range(3)
    )
    assert kept_counts() != real_counts()
    if connection.vendor == "postgresql":  # no index is created with foreign key checks pending
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    dbobjects.install(connection)  # what migrate does: the triggers were missing, so it counts
    assert kept_counts() == real_counts()
    response = seller_client.get(PRODUCTS, {"attribute__COLOR": "Mavi"})
    assert response.json()["count"] == 3
