"""`PreparedLookup` (SQL compiled once) reads what the ORM reads, from the database each time."""

import uuid

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token

from pazar.accounts.models import SellerAccessToken
from pazar.accounts.selectors import seller_token_for_key, user_token_for_key
from pazar.channels import selectors as channel_selectors
from pazar.channels.models import BatchRequest
from pazar.channels.services.integration import _LOCKED_BATCH, batch_request_create
from pazar.core.prepared import PreparedLookup
from tests.channels.factories import ChannelFactory
from tests.factories import (
    OperatorFactory,
    SellerMembershipFactory,
    operator_token,
    seller_token,
)

pytestmark = pytest.mark.django_db


def _fields(instance) -> dict:
    return {field.attname: getattr(instance, field.attname) for field in instance._meta.fields}


def _orm_token(key):
    return Token.objects.select_related("user", "user__seller_membership").filter(key=key).first()


def test_a_token_is_read_as_the_orm_reads_it_user_and_membership_included():
    # given an operator's token and a seller user's token
    operator = OperatorFactory()
    seller_user = SellerMembershipFactory().user
    keys = [operator_token(operator), Token.objects.create(user=seller_user).key]

    for key in keys:
        # when
        with CaptureQueriesContext(connection) as captured:
            token = user_token_for_key(key)
            membership = getattr(token.user, "seller_membership", None)
        expected = _orm_token(key)

        # then: the same rows, the same related objects, in one statement
        assert len(captured.captured_queries) == 1
        assert _fields(token) == _fields(expected)
        assert _fields(token.user) == _fields(expected.user)
        assert token.created == expected.created and token.created.tzinfo is not None
        assert membership == getattr(expected.user, "seller_membership", None)
        assert hasattr(token.user, "seller_membership") is (token.user == seller_user)
        assert token._state.adding is False and token._state.db == "default"


def test_a_deleted_token_is_unknown_at_once_and_an_unknown_key_is_none():
    key = operator_token(OperatorFactory())
    assert user_token_for_key(key) is not None

    Token.objects.filter(key=key).delete()

    assert user_token_for_key(key) is None
    assert user_token_for_key("0" * 40) is None


def test_a_seller_token_is_read_as_the_orm_reads_it_seller_user_and_membership_included():
    # given a seller's access token
    membership = SellerMembershipFactory()
    stored, key = seller_token(membership)

    # when
    with CaptureQueriesContext(connection) as captured:
        token = seller_token_for_key(key)
        read = (token.seller, token.user, token.user.seller_membership)
    expected = SellerAccessToken.objects.select_related(
        "seller", "user", "user__seller_membership"
    ).get(pk=stored.pk)

    # then: the same rows, the same related objects, in one statement
    assert len(captured.captured_queries) == 1
    assert _fields(token) == _fields(expected)
    assert [_fields(obj) for obj in read] == [
        _fields(obj) for obj in (expected.seller, expected.user, expected.user.seller_membership)
    ]
    assert token.valid_until == expected.valid_until and token.valid_until.tzinfo is not None
    assert token._state.adding is False and token._state.db == "default"
    assert seller_token_for_key(key + "x") is None


def test_a_revoked_seller_token_is_refused_on_the_next_request(api_client):
    stored, key = seller_token(SellerMembershipFactory())
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    url = "/seller-center/api/i1/languages/"
    assert api_client.get(url).status_code == 200

    SellerAccessToken.objects.filter(pk=stored.pk).delete()
    refused = api_client.get(url)

    assert refused.status_code == 401
    assert refused.json()["detail"] == "Invalid token."


def test_a_revoked_token_is_refused_on_the_next_request(api_client):
    operator = OperatorFactory(is_superuser=True)
    key = operator_token(operator)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    channel = ChannelFactory(channel_type="sales_channel")
    url = f"/omnitron/api/v1/channel/{channel.pk}/batch_requests/"
    assert api_client.get(url).status_code == 200

    Token.objects.filter(key=key).delete()
    refused = api_client.get(url)

    assert refused.status_code == 401
    assert refused.json()["code"] == "authentication_failed"


def test_a_deactivated_user_is_refused_on_the_next_request(api_client):
    operator = OperatorFactory(is_superuser=True)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {operator_token(operator)}")
    channel = ChannelFactory(channel_type="sales_channel")
    url = f"/omnitron/api/v1/channel/{channel.pk}/batch_requests/"
    assert api_client.get(url).status_code == 200

    type(operator).objects.filter(pk=operator.pk).update(is_active=False)
    refused = api_client.get(url)

    assert refused.status_code == 401
    assert refused.json()["detail"] == "User inactive or deleted."


def test_a_channel_and_its_batch_are_read_as_the_orm_reads_them():
    channel = ChannelFactory(channel_type="sales_channel")
    other = ChannelFactory(channel_type="sales_channel")
    batch = batch_request_create(channel=channel)

    found = channel_selectors.channel_with_catalog(channel.pk)
    expected = type(channel).objects.select_related("catalog").get(pk=channel.pk)
    assert _fields(found) == _fields(expected)
    with CaptureQueriesContext(connection) as captured:
        assert _fields(found.catalog) == _fields(expected.catalog)
    assert captured.captured_queries == []  # the catalog came with the channel

    read = channel_selectors.channel_batch_request(channel=channel, pk=batch.pk)
    assert _fields(read) == _fields(BatchRequest.objects.get(pk=batch.pk))
    assert channel_selectors.channel_batch_request(channel=other, pk=batch.pk) is None
    assert channel_selectors.channel_with_catalog(other.pk + 1000) is None


def test_the_lock_read_takes_the_row_for_update_where_the_database_can():
    batch = batch_request_create(channel=ChannelFactory(channel_type="sales_channel"))

    with transaction.atomic(), CaptureQueriesContext(connection) as captured:
        locked = _LOCKED_BATCH.get(batch.pk)

    assert _fields(locked) == _fields(batch)
    (sql,) = [q["sql"] for q in captured.captured_queries if q["sql"].startswith("SELECT")]
    assert sql.endswith("FOR UPDATE") is connection.features.has_select_for_update


def test_a_value_of_another_type_goes_through_the_orm_as_before():
    channel = ChannelFactory(channel_type="sales_channel")
    lookup = PreparedLookup(lambda pk: type(channel).objects.filter(pk=pk), int)

    assert lookup.get(str(channel.pk)).pk == channel.pk  # the ORM converts "12" as it always did
    with pytest.raises(ValueError):
        lookup.get("twelve")  # and refuses what it always refused


def test_a_marker_bound_twice_is_refused_when_compiled():
    lookup = PreparedLookup(
        lambda pk: BatchRequest.objects.filter(pk=pk).exclude(channel_id=pk), int
    )
    with pytest.raises(ValueError, match="bound 2 times"):
        lookup.get(1)


def test_a_uuid_key_is_bound_as_the_database_keeps_it_and_read_as_the_orm_reads_it(
    seller_membership,
):
    from pazar.batches.models import BatchKind
    from pazar.batches.models import BatchRequest as SellerBatch
    from pazar.batches.services import batch_accept

    seller = seller_membership.seller
    batch = batch_accept(seller=seller, kind=BatchKind.STOCK_UPSERT, body=None, rows=[{}])
    lookup = PreparedLookup(
        lambda pk, kind: SellerBatch.objects.select_related("seller").filter(pk=pk, kind=kind),
        uuid.UUID,
        str,
    )

    found = lookup.get(batch.pk, BatchKind.STOCK_UPSERT.value)

    expected = SellerBatch.objects.select_related("seller").get(pk=batch.pk)
    assert _fields(found) == _fields(expected)
    assert _fields(found.seller) == _fields(expected.seller)
    assert lookup.get(uuid.uuid4(), BatchKind.STOCK_UPSERT.value) is None
    assert lookup.get(batch.pk, BatchKind.PRODUCT_UPSERT.value) is None
    assert lookup.get(str(batch.pk), BatchKind.STOCK_UPSERT.value).pk == batch.pk  # the ORM's way


def test_a_prepared_query_reads_the_rows_and_related_rows_the_orm_reads_for_each_list_length():
    from pazar.core.prepared import PreparedQuery

    channels = [ChannelFactory(channel_type="sales_channel") for _ in range(3)]
    batches = [batch_request_create(channel=channel) for channel in channels for _ in range(2)]

    def build(channel_ids, number):
        return (
            BatchRequest.objects.filter(channel_id__in=channel_ids)
            .exclude(pk=number)
            .select_related("channel")
            .order_by("-pk")
        )

    query = PreparedQuery(build, list, int)

    for ids in ([channels[0].pk], [channels[0].pk, channels[2].pk], [c.pk for c in channels]):
        for _ in range(2):  # compiled on the first call of a length, reused on the second
            with CaptureQueriesContext(connection) as captured:
                found = query.all(ids, batches[0].pk)
            expected = list(build(ids, batches[0].pk))
            assert [_fields(b) for b in found] == [_fields(b) for b in expected]
            assert [_fields(b.channel) for b in found] == [_fields(b.channel) for b in expected]
            assert len(captured.captured_queries) == 1
    assert query.all([], 0) == []  # the ORM's answer to an empty list, no statement
    assert [b.pk for b in query.all([str(channels[1].pk)], 0)] == [  # another type: the ORM
        b.pk for b in batches[::-1] if b.channel_id == channels[1].pk
    ]


def test_a_prepared_query_of_values_gives_tuples_as_values_list_does():
    from django.db.models import Count

    from pazar.core.prepared import PreparedQuery

    channels = [ChannelFactory(channel_type="sales_channel") for _ in range(2)]
    for channel, n in zip(channels, (1, 3), strict=True):
        for _ in range(n):
            batch_request_create(channel=channel)

    def build(ids):
        return (
            BatchRequest.objects.filter(channel_id__in=ids)
            .values("channel")
            .annotate(n=Count("pk"))
            .order_by("channel")
            .values_list("channel", "n")
        )

    found = PreparedQuery(build, list).all([c.pk for c in channels])

    assert (
        found == list(build([c.pk for c in channels])) == [(channels[0].pk, 1), (channels[1].pk, 3)]
    )


def test_an_int_beyond_64_bits_goes_through_the_orm_and_finds_nothing():
    from pazar.core.prepared import PreparedQuery

    channel = ChannelFactory(channel_type="sales_channel")
    lookup = PreparedLookup(lambda pk: type(channel).objects.filter(pk=pk), int)
    query = PreparedQuery(lambda pks: type(channel).objects.filter(pk__in=pks), list)

    for value in (2**63, -(2**63) - 1):
        assert lookup.get(value) is None
        assert query.all([value]) == []
        assert [c.pk for c in query.all([channel.pk, value])] == [channel.pk]
    assert lookup.get(2**63 - 1) is None and lookup.get(channel.pk).pk == channel.pk


def test_a_prepared_instance_is_what_from_db_builds():
    """Rows of a model of Django's own `__init__` are built without it: the same values, saved
    state and deferred-field behaviour as `from_db`'s instance, and it saves as one."""
    from pazar.core.prepared import PreparedQuery

    channel = ChannelFactory(channel_type="sales_channel")
    [found] = PreparedQuery(lambda pks: type(channel).objects.filter(pk__in=pks), list).all(
        [channel.pk]
    )
    expected = type(channel).objects.get(pk=channel.pk)

    assert _fields(found) == _fields(expected)
    assert (found._state.adding, found._state.db) == (False, "default")
    assert found.get_deferred_fields() == set() and found.catalog == expected.catalog
    found.name = "renamed"
    found.save(update_fields=["name"])
    assert type(channel).objects.get(pk=channel.pk).name == "renamed"
