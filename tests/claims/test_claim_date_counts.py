"""CLM001's `count` under its date filters comes from the per-seller counts of claims created and
last updated in each UTC month, day and hour, which the claims services keep with every claim
they create, change or delete; only the claims of the less than an hour left at each end of the
range are counted. The kept counts always equal the claims counted, and the count stays exact."""

from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Count
from django.db.models.functions import Trunc
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pazar.claims import services, spans
from pazar.claims.models import CancelledBy, Claim, ClaimDateCount, ClaimStatus
from tests.fulfilment.conftest import client_of

from .conftest import make_ordered
from .test_claim_counts import CLAIMS, apply, operation

FIELDS = ("created_at", "updated_at")


def kept(seller) -> dict[tuple, int]:
    return {
        (row.field, row.span, row.start, row.type, row.cancelled_by, row.status): row.count
        for row in ClaimDateCount.objects.filter(seller=seller)
        if row.count
    }


def counted(seller) -> dict[tuple, int]:
    """The same counts by the database's own truncation of the claims' times."""
    found = {}
    claims = Claim.objects.filter(seller=seller).order_by()
    for field in FIELDS:
        for span in spans.SPANS:
            for row in (
                claims.annotate(start=Trunc(field, span, tzinfo=UTC))
                .values("start", "type", "cancelled_by", "status")
                .annotate(n=Count("pk"))
            ):
                key = (row["start"], row["type"], row["cancelled_by"], row["status"])
                found[field, span, *key] = row["n"]
    return found


class Clock:
    """The time the services' writes see (`timezone.now`), moved on by the test."""

    def __init__(self, moment: datetime):
        self.moment = moment

    def __call__(self) -> datetime:
        return self.moment


@contextmanager
def clock_at(moment: datetime):
    clock = Clock(moment)
    with mock.patch.object(timezone, "now", clock):
        yield clock


# Steps across the ends of hours, days and months: a microsecond up to 40 days.
TICK = st.one_of(
    st.sampled_from([1, 3_599_999_999, 3_600_000_000, 86_400_000_000, 31 * 86_400_000_000]),
    st.integers(1, 40 * 86_400_000_000),
).map(lambda us: ("tick", us))
operations = st.lists(
    st.one_of(operation, TICK),
    max_size=16,
)
START = st.datetimes(
    min_value=datetime(2025, 1, 1), max_value=datetime(2026, 12, 31), timezones=st.just(UTC)
)


def run(ordered, clock: Clock, operation) -> None:
    if operation[0] == "tick":
        clock.moment += timedelta(microseconds=operation[1])
    else:
        apply(ordered, operation)


@pytest.mark.django_db
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(operations=operations, start=START)
def test_the_kept_date_counts_equal_the_claims_counted_after_any_writes(
    operator_client, operations, start
):
    with transaction.atomic():
        ordered = make_ordered(operator_client)
        sellers = [ordered.shop.offer.seller, ordered.shop.other_offer.seller]
        with clock_at(start) as clock:
            for operation in operations:
                run(ordered, clock, operation)
                for seller in sellers:
                    assert kept(seller) == counted(seller), operation
        before = [kept(seller) for seller in sellers]
        services.claim_counts_rebuild(seller_ids=[seller.pk for seller in sellers])
        assert [kept(seller) for seller in sellers] == before  # counted again: the same
        transaction.set_rollback(True)


def _filtered(field, since, until, combo) -> dict:
    """CLM001's query parameters for a range and a combination of the other filters."""
    query = dict(combo)
    if since is not None:
        query[f"{field}__gte"] = since.isoformat()
    if until is not None:
        query[f"{field}__lte"] = until.isoformat()
    return query


COMBOS = st.sampled_from(
    [{}, {"status": "completed"}, {"status__in": "open,waiting"}, {"type": "refund"},
     {"cancelled_by": "2", "type": "cancel"}]
)  # fmt: skip
# A bound: a claim's own time, or near it (either side of it, the ends of its hour, day, month).
OFFSETS = st.sampled_from(
    [None, 0, 1, -1, 3_600_000_000, -3_600_000_000, 86_400_000_000, -86_400_000_000,
     40 * 86_400_000_000, -40 * 86_400_000_000]
)  # fmt: skip
BOUND = st.tuples(OFFSETS, st.integers(0, 20), st.sampled_from([None, *spans.SPANS]))


def _bound(times: list[datetime], bound) -> datetime | None:
    offset, n, span = bound
    if offset is None or not times:
        return None
    moment = times[n % len(times)] + timedelta(microseconds=offset)
    return spans.start_of(span, moment) if span else moment


@pytest.mark.django_db
@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    operations=operations,
    start=START,
    queries=st.lists(
        st.tuples(st.sampled_from(FIELDS), BOUND, BOUND, COMBOS, st.booleans()),
        min_size=1,
        max_size=6,
    ),
)
def test_clm001_counts_any_date_range_exactly(operator_client, operations, start, queries):
    with transaction.atomic():
        ordered = make_ordered(operator_client)
        with clock_at(start) as clock:
            for operation in operations:
                run(ordered, clock, operation)
        seller = client_of(ordered.shop.offer.seller)
        mine = Claim.objects.filter(seller=seller.seller)
        for field, low, high, combo, exact in queries:
            times = sorted(mine.values_list(field, flat=True))
            since, until = _bound(times, low), _bound(times, high)
            query = _filtered(field, since, until, combo)
            if exact and since is not None:
                query = {**combo, field: since.isoformat()}
            response = seller.get(CLAIMS, query)
            assert response.status_code == 200, response.json()
            lookups = {k: v.split(",") if k == "status__in" else v for k, v in query.items()}
            assert response.json()["count"] == mine.filter(**lookups).count(), query
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_the_date_counts_move_with_a_claim_updated_in_another_hour(ordered):
    moment = datetime(2026, 3, 31, 23, 59, 59, 999_999, tzinfo=UTC)
    april = datetime(2026, 4, 1, tzinfo=UTC)
    seller = ordered.shop.offer.seller
    with clock_at(moment) as clock:
        claim = services.cancellation_request_create(
            order_item=ordered.single, reason=ordered.cancel_reason, quantity=1,
            cancelled_by=CancelledBy.CUSTOMER, cancellation_type="cancel",
        )  # fmt: skip
        assert claim.created_at == claim.updated_at == moment  # the writes follow the clock
        clock.moment += timedelta(microseconds=1)  # April, a new month, day and hour
        services.claim_reject(claim=claim, reason="no")
    claim.refresh_from_db()
    assert (claim.created_at, claim.updated_at) == (moment, april)
    updated = {key[1:3] for key in kept(seller) if key[0] == "updated_at"}
    assert updated == {("month", april), ("day", april), ("hour", april)}  # moved off March
    assert kept(seller) == counted(seller)
    with clock_at(april):
        services.claims_delete(claims=[claim])
    assert kept(seller) == counted(seller) == {}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("since", "until", "count_claims"),
    [
        ("2000-01-01T00:00:00Z", None, False),  # whole months only
        ("2000-01-01T00:00:00.5Z", None, True),  # the first hour of 2000 counted
        (None, "2100-01-01T00:00:00Z", True),  # up to and with that very time
    ],
)
def test_clm001_counts_whole_spans_from_the_kept_counts(ordered, since, until, count_claims):
    services.order_cancel(
        order=ordered.order,
        lines=[services.ClaimLine(order_item=ordered.single, reason=ordered.cancel_reason)],
    )
    seller = client_of(ordered.shop.offer.seller)
    query = {"created_at__gte": since, "created_at__lte": until, "status": "completed"}
    with CaptureQueriesContext(connection) as queries:
        response = seller.get(CLAIMS, {k: v for k, v in query.items() if v})

    assert response.json()["count"] == 1
    [counting] = [q["sql"] for q in queries.captured_queries if "SUM(n)" in q["sql"]]
    assert f'"{ClaimDateCount._meta.db_table}"' in counting
    assert (f'"{Claim._meta.db_table}"' in counting) == count_claims
    assert not [q for q in queries.captured_queries if "COUNT(" in q["sql"]]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "count"),
    [
        ({"created_at__gte": "9999-12-31T23:59:59.999999Z"}, 0),  # no span after it
        ({"created_at": "9999-12-31T23:59:59.999999Z"}, 0),
        ({"updated_at__gte": "9999-12-31T22:30:00Z"}, 0),
        ({"created_at__lte": "9999-12-31T23:59:59.999999Z"}, 1),
        ({"created_at__lte": "0001-01-01T00:00:00Z"}, 0),
        ({"created_at__gte": "0001-01-01T00:30:00+01:00"}, 1),  # before year 1 in UTC
        ({"created_at__gte": "2100-01-01T00:00:00Z", "created_at__lte": "2000-01-01T00:00:00Z"}, 0),
    ],
)
def test_clm001_counts_ranges_at_the_ends_of_time(ordered, query, count):
    services.order_cancel(
        order=ordered.order,
        lines=[services.ClaimLine(order_item=ordered.single, reason=ordered.cancel_reason)],
    )
    response = client_of(ordered.shop.offer.seller).get(CLAIMS, query)

    assert response.status_code == 200, response.json()
    assert response.json()["count"] == count


def test_claims_recount_repairs_counts_left_behind_by_a_write_outside_the_services(
    operator_client,
):
    ordered = make_ordered(operator_client)
    seller = ordered.shop.offer.seller
    with clock_at(datetime(2026, 3, 31, 23, 30, tzinfo=UTC)) as clock:
        run(ordered, clock, ("cancel", 0, 1, 1))
    right = kept(seller)
    assert right == counted(seller) and right
    ClaimDateCount.objects.filter(seller=seller).update(count=7)  # drifted
    Claim.objects.filter(seller=seller).update(status=ClaimStatus.REJECTED)  # not counted

    call_command("claims_recount", "--seller", str(seller.pk))

    assert kept(seller) == counted(seller) != right
    call_command("claims_recount")  # every seller: nothing to change
    assert kept(seller) == counted(seller)
