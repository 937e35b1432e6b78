"""`PreparedLookup` (SQL compiled once) reads what the ORM reads, from the database each time."""

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
