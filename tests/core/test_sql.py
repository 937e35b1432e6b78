"""`pazar.core.sql.bulk_insert`: the rows `bulk_create` would store, in one logged statement."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from pazar.callbacks.models import Callback
from pazar.claims.models import Claim, ClaimEvent
from pazar.core import sql
from pazar.core.sql import bulk_insert
from tests.claims.conftest import make_ordered

pytestmark = pytest.mark.django_db

GENERATED = {"id", "uuid", "created_at", "updated_at"}


def _claims(ordered, user, marker: str) -> list[Claim]:
    items = [ordered.single, ordered.triple, ordered.other]
    return [
        Claim(
            order=ordered.order, order_item=item, source_item=item, seller_id=item.product.seller_id,
            type="cancel", status="completed", cancelled_by=2, reason=ordered.cancel_reason,
            description=f"{marker} ş {n}", quantity=n + 1, refund_amount=Decimal("12.35") * n,
            forced_refund_amount=Decimal("1.10") if n == 1 else None, is_cargo_refund=n == 2,
            iban="TR00" if n else "", received_at=datetime(2026, 1, 2, 3, 4, 5, 6, tzinfo=UTC)
            if n == 2 else None, created_by=user if n != 1 else None,
        )
        for n, item in enumerate(items)
    ]  # fmt: skip


def _stored(claims: list[Claim]) -> list[dict]:
    rows = Claim.objects.filter(pk__in=[claim.pk for claim in claims]).order_by("pk").values()
    return [{k: v for k, v in row.items() if k not in GENERATED} for row in rows]


def test_bulk_insert_stores_what_bulk_create_stores_and_gives_the_keys(operator_client, operator):
    # given the same claims built twice (every kind of column: keys, a UUID default, decimals,
    # booleans, nullable keys, a set and an unset datetime, automatic timestamps)
    ordered = make_ordered(operator_client)
    by_django = Claim.objects.bulk_create(_claims(ordered, operator, "same"))
    before = timezone.now()

    # when
    with CaptureQueriesContext(connection) as queries:
        inserted = bulk_insert(Claim, built := _claims(ordered, operator, "same"))

    # then: one logged statement, the instances saved with their keys in order
    assert inserted is not built and inserted == built
    assert len(queries) == 1 and queries[0]["sql"].startswith('INSERT INTO "claims_claim"')
    assert all(claim.pk and not claim._state.adding for claim in inserted)
    assert {claim._state.db for claim in inserted} == {"default"}
    stored = Claim.objects.in_bulk([claim.pk for claim in inserted])
    assert [stored[claim.pk].description for claim in inserted] == [
        "same ş 0",
        "same ş 1",
        "same ş 2",
    ]
    # the same values as bulk_create's rows, and the instances' generated values stored
    assert _stored(inserted) == _stored(by_django)
    for claim in inserted:
        row = stored[claim.pk]
        assert (row.uuid, row.created_at, row.updated_at) == (
            claim.uuid,
            claim.created_at,
            claim.updated_at,
        )
        assert before <= claim.created_at <= timezone.now()
    assert len({claim.uuid for claim in inserted}) == 3
    assert stored[inserted[0].pk].refund_amount == Decimal("0.00")
    assert stored[inserted[1].pk].forced_refund_amount == Decimal("1.10")


def test_bulk_insert_splits_rows_past_the_parameter_limit_where_it_binds_each_value_and_keeps_their_order(
    operator_client, operator, monkeypatch
):
    ordered = make_ordered(operator_client)
    [claim, *_] = bulk_insert(Claim, _claims(ordered, operator, "x"))
    events = [
        ClaimEvent(claim=claim, from_status="", to_status="open", by=1, reason=f"event {n}")
        for n in range(7)
    ]
    monkeypatch.setattr(sql, "MAX_PARAMS", 14)  # 7 columns: 2 rows a statement

    with CaptureQueriesContext(connection) as queries:
        bulk_insert(ClaimEvent, events)

    # PostgreSQL sends one array per column, whatever the rows' number: one statement
    assert len(queries) == (1 if connection.vendor == "postgresql" else 4)
    stored = dict(ClaimEvent.objects.filter(claim=claim).values_list("pk", "reason"))
    assert [stored[event.pk] for event in events] == [f"event {n}" for n in range(7)]
    assert [event.pk for event in events] == sorted(event.pk for event in events)


def test_bulk_insert_of_nothing_runs_nothing():
    with CaptureQueriesContext(connection) as queries:
        assert bulk_insert(Callback, []) == []
    assert len(queries) == 0


def test_bulk_insert_refuses_rows_that_have_their_key(operator_client, operator):
    ordered = make_ordered(operator_client)
    [claim, *_] = _claims(ordered, operator, "x")
    claim.pk = 10**9
    with pytest.raises(ValueError, match="without their key"):
        bulk_insert(Claim, [claim])
    assert not Claim.objects.filter(pk=10**9).exists()


def test_upsert_with_columns_the_same_in_every_row_stores_what_rows_of_them_store():
    from django.contrib.contenttypes.models import ContentType

    from pazar.channels.models import IntegrationAction
    from tests.channels.factories import ChannelFactory

    # given: two channels, one written with `same`, one with the values in every row
    one, other = ChannelFactory(), ChannelFactory()
    content_type = ContentType.objects.get(app_label="catalog", model="product")
    now = timezone.now()
    columns = ["object_id", "remote_id"]
    rows = [(7, "R-7"), (3, None), (9, "R-ş")]
    same = {"content_type": content_type.pk, "status": "processing", "state": {"a": [1]},
            "version_date": None, "created_at": now, "updated_at": now}  # fmt: skip
    conflict, update = ["channel", "content_type", "object_id"], ["status", "updated_at"]

    # when
    for channel in (one, other):
        if channel is one:
            written = sql.upsert(
                IntegrationAction, columns=columns, rows=rows, same={"channel": channel.pk, **same},
                conflict=conflict, update=update, returning=["object_id"],
            )  # fmt: skip
        else:
            written = sql.upsert(
                IntegrationAction, columns=[*columns, "channel", *same],
                rows=[(*row, channel.pk, *same.values()) for row in rows],
                conflict=conflict, update=update, returning=["object_id"],
            )  # fmt: skip
        assert sorted(written) == [(3,), (7,), (9,)]
    # and again, each row now a conflict: only `update` moves
    later = {**same, "status": "success", "remote_id": "X", "updated_at": timezone.now()}
    sql.upsert(
        IntegrationAction, columns=["object_id"], rows=[(3,), (9,)],
        same={"channel": one.pk, **later}, conflict=conflict, update=update,
    )  # fmt: skip

    # then
    def stored(channel):
        fields = ["object_id", "content_type_id", "status", "remote_id", "state", "version_date",
                  "created_at"]  # fmt: skip
        return list(
            IntegrationAction.objects.filter(channel=channel).order_by("object_id")
            .values_list(*fields)
        )  # fmt: skip

    assert [row for row in stored(one) if row[0] == 7] == [
        row for row in stored(other) if row[0] == 7
    ]
    assert [row[2:4] for row in stored(one)] == [
        ("success", None), ("processing", "R-7"), ("success", "R-ş")
    ]  # fmt: skip
    assert [row[2:4] for row in stored(other)] == [
        ("processing", None), ("processing", "R-7"), ("processing", "R-ş")
    ]  # fmt: skip
    assert all(row[4] == {"a": [1]} and row[6] == now for row in stored(one) + stored(other))


def test_upsert_binds_a_column_of_one_object_once_and_equal_objects_row_by_row():
    from django.contrib.contenttypes.models import ContentType

    from pazar.channels.models import IntegrationAction
    from tests.channels.factories import ChannelFactory

    # given: one channel's rows sharing one remote-id object, another's equal texts apart
    shared_channel, apart_channel = ChannelFactory(), ChannelFactory()
    content_type = ContentType.objects.get(app_label="catalog", model="product")
    now = timezone.now()
    remote = "R-ş"
    columns = ["channel", "content_type", "object_id", "remote_id", "state", "created_at",
               "updated_at"]  # fmt: skip
    conflict, update = ["channel", "content_type", "object_id"], ["remote_id"]

    def rows(channel, copies: bool):
        return [
            (
                channel.pk,
                content_type.pk,
                n,
                "".join(["R-", "ş"]) if copies else remote,
                {},
                now,
                now,
            )
            for n in (5, 1, 3)
        ]

    # when
    shared = sql.upsert(
        IntegrationAction, columns=columns, rows=rows(shared_channel, copies=False),
        conflict=conflict, update=update, returning=["object_id", "remote_id"],
    )  # fmt: skip
    apart = sql.upsert(
        IntegrationAction, columns=columns, rows=rows(apart_channel, copies=True),
        conflict=conflict, update=update, returning=["object_id", "remote_id"],
    )  # fmt: skip

    # then: the same rows stored and given back
    assert sorted(shared) == sorted(apart) == [(1, "R-ş"), (3, "R-ş"), (5, "R-ş")]

    def stored(channel):
        return list(
            IntegrationAction.objects.filter(channel=channel).order_by("object_id")
            .values_list("content_type_id", "object_id", "remote_id", "created_at")
        )  # fmt: skip

    assert stored(shared_channel) == stored(apart_channel)
    assert [row[2] for row in stored(shared_channel)] == ["R-ş"] * 3
    # and: the shared objects (channel, type, remote id, state, timestamps) bound once; equal
    # texts that are not one object still bound row by row
    from pazar.channels.models import IntegrationAction as Model

    fields = [Model._meta.get_field(name) for name in columns]
    converters = [sql._converter(field) for field in fields]

    def shape(channel, copies: bool) -> tuple[str, list]:
        converted = sql._converted(converters, rows(channel, copies=copies))
        return sql._rows_sql(fields, converted)

    (shared_sql, shared_params), (apart_sql, apart_params) = (
        shape(shared_channel, copies=False), shape(apart_channel, copies=True)
    )  # fmt: skip
    if connection.vendor == "postgresql":
        assert shared_params[-1] == [5, 1, 3] and len(shared_params) == 7
        assert apart_params[-2:] == [[5, 1, 3], ["R-ş"] * 3] and len(apart_params) == 7
    else:
        assert "WHERE true" in shared_sql and shared_sql.count("column") == 1
        assert apart_sql.count("column") == 2
        assert len(shared_params) == 6 + 3 and len(apart_params) == 5 + 6


def test_statements_sent_together_write_what_each_writes_alone_in_one_round_trip_on_postgresql(
    operator_client, operator
):
    from pazar.core.sql import counts_add, counts_add_statement, execute_together, update_statement
    from pazar.fulfilment.models import PackageStatusCount
    from pazar.orders.models import OrderItem

    # given
    ordered = make_ordered(operator_client)
    items = [ordered.single, ordered.triple]
    seller = ordered.single.product.seller_id
    counts_add(
        PackageStatusCount, keys=["seller", "status"], count="count", deltas={(seller, 9): 2}
    )
    moment = datetime(2026, 3, 4, 5, 6, 7, 8, tzinfo=UTC)

    built = _claims(ordered, operator, "together")[:1]

    # when: an update, an upsert and an insert that returns its keys
    with CaptureQueriesContext(connection) as queries:
        [claim] = bulk_insert(
            Claim,
            built,
            before=[
                update_statement(
                    OrderItem, pks=[item.pk for item in items],
                    values={"cancel_status": "waiting", "updated_at": moment},
                ),
                None,  # nothing to write
                counts_add_statement(
                    PackageStatusCount, keys=["seller", "status"], count="count",
                    deltas={(seller, 9): -1, (seller, 10): 4},
                ),
            ],
        )  # fmt: skip

    # then
    postgres = connection.vendor == "postgresql"
    assert len(queries) == (1 if postgres else 3), [q["sql"][:60] for q in queries]
    assert claim.pk and Claim.objects.get(pk=claim.pk).description == "together ş 0"
    assert set(
        OrderItem.objects.filter(pk__in=[item.pk for item in items]).values_list(
            "cancel_status", "updated_at"
        )
    ) == {("waiting", moment)}
    counts = dict(
        PackageStatusCount.objects.filter(seller_id=seller).values_list("status", "count")
    )
    assert counts[9] == 1 and counts[10] == 4
    assert execute_together([None]) == []
    assert bulk_insert(Claim, [], before=[None]) == []
