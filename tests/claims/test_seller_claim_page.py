"""CLM001's page, built from its rows' values, against each claim's object as it was built from
the claim's model instance with its relations (`claim_object` below, as CLM001 and the actions
built it before): every field of every kind of claim."""

import pytest

from pazar.claims import transitions
from pazar.claims.models import Claim
from pazar.core.dates import utc_text
from pazar.fulfilment.models import PackageItem
from pazar.marketplace.api.packages import history_entry
from tests.fulfilment.conftest import client_of

from .variety import claims_of_every_kind

pytestmark = pytest.mark.django_db

CLAIMS = "/seller-center/api/i2/claims/"


def _translations(reason) -> dict[str, str]:
    stored = reason.translations or {}
    return {
        code: entry["subject"]
        for code, entry in stored.items()
        if isinstance(entry, dict) and isinstance(entry.get("subject"), str)
    }


def claim_object(claim: Claim, package_item: str | None) -> dict:
    return {
        "id": str(claim.uuid),
        "package_item": package_item,
        "product": claim.order_item.product.sku,
        "reason": (
            {
                "id": str(claim.reason.uuid),
                "subject": claim.reason.subject,
                "translations": _translations(claim.reason),
            }
            if claim.reason is not None
            else None
        ),
        "detail": claim.description,
        "return_code": claim.return_code,
        "return_tracking_number": claim.return_tracking_number,
        "return_tracking_url": claim.return_tracking_url,
        "type": claim.type,
        "status": claim.status,
        "cancelled_by": claim.cancelled_by,
        "quantity": claim.quantity,
        "refund_amount": float(claim.refund_amount),
        "escalated": claim.escalated,
        "received_at": utc_text(claim.received_at) if claim.received_at else None,
        "restocked": claim.restocked,
        "allowed_actions": [
            action
            for action in transitions.claim_allowed_actions(claim, operator=False)
            if action in ("approve", "reject")
        ],
        "history": [history_entry(event, claim.seller_id) for event in claim.history.all()],
        "created_at": utc_text(claim.created_at),
        "updated_at": utc_text(claim.updated_at),
    }


@pytest.fixture
def variety(operator_client):
    return claims_of_every_kind(operator_client)


def _objects(seller) -> list[dict]:
    """Each of the seller's claims as `claim_object` shows it, newest first."""
    claims = list(
        Claim.objects.filter(seller=seller)
        .select_related("reason", "order_item__product")
        .prefetch_related("history__user__seller_membership")
        .order_by("-created_at", "-pk")
    )
    numbers = dict(
        PackageItem.objects.filter(order_item__in=[c.order_item_id for c in claims]).values_list(
            "order_item", "number"
        )
    )
    return [claim_object(claim, numbers.get(claim.order_item_id)) for claim in claims]


def test_the_variety_holds_every_kind_of_claim(variety):
    claims = variety.claims
    assert {(c.type, c.status) for c in claims} == {
        ("cancel", "completed"), ("cancel", "rejected"), ("cancel", "open"),
        ("refund", "open"), ("refund", "waiting"), ("refund", "approved"),
        ("refund", "completed"), ("refund", "rejected"),
    }  # fmt: skip
    assert {c.cancelled_by for c in claims} == {1, 2}
    assert any(c.reason_id is None for c in claims)
    assert any(c.escalated for c in claims)
    assert any(c.received_at for c in claims)
    assert any(c.return_tracking_url for c in claims)


def test_every_page_row_is_the_claims_object(variety):
    expected = _objects(variety.seller)
    client = client_of(variety.seller)

    whole = client.get(CLAIMS, {"limit": 50}).json()
    paged = [
        row
        for page in (1, 2, 3)
        for row in client.get(CLAIMS, {"limit": 8, "page": page}).json()["results"]
    ]

    assert whole["count"] == len(expected) == 23
    assert whole["results"] == expected
    assert paged == expected[:24]
    histories = [row["history"] for row in expected]
    assert {entry["by"] for history in histories for entry in history} == {
        "seller", "marketplace", "system",
    }  # fmt: skip
    assert any(row["reason"] and row["reason"]["translations"] for row in expected)
    assert any(row["allowed_actions"] == ["approve", "reject"] for row in expected)


QUERIES = [
    {"type": "refund"},
    {"status__in": "open,waiting,rejected"},
    {"cancelled_by": "2", "type": "cancel"},
    {"status": "approved"},
    {"updated_at__gte": "2000-01-01T00:00:00Z", "status": "completed"},
]


def test_filtered_pages_are_the_claims_objects(variety):
    client = client_of(variety.seller)
    expected = _objects(variety.seller)

    for query in QUERIES:
        lookups = {k: v.split(",") if k.endswith("__in") else v for k, v in query.items()}
        chosen = Claim.objects.filter(seller=variety.seller, **lookups)
        uuids = {str(u) for u in chosen.values_list("uuid", flat=True)}

        answer = client.get(CLAIMS, {**query, "limit": 50}).json()

        assert answer["results"] == [row for row in expected if row["id"] in uuids], query
        assert answer["count"] == len(uuids) > 0, query


def test_another_sellers_page_is_its_own(variety):
    client = client_of(variety.other_seller)

    assert client.get(CLAIMS).json() == {"count": 0, "next": None, "previous": None,
                                         "results": []}  # fmt: skip


def test_an_actions_answer_is_the_claims_object(variety):
    client = client_of(variety.seller)
    waiting = next(c for c in variety.claims if (c.type, c.status) == ("refund", "waiting"))
    opened = next(c for c in variety.claims if (c.type, c.status) == ("refund", "open"))

    rejected = client.post(f"{CLAIMS}{waiting.uuid}/reject/", {"reason": "Used"}, format="json")
    approved = client.post(f"{CLAIMS}{opened.uuid}/approve/", {}, format="json")

    assert rejected.status_code == approved.status_code == 200
    objects = {row["id"]: row for row in _objects(variety.seller)}
    assert rejected.json() == objects[str(waiting.uuid)]
    assert approved.json() == objects[str(opened.uuid)]
    assert rejected.json()["history"][-1]["by"] == "seller"
