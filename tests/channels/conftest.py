import pytest

from tests.channels.factories import ChannelFactory


@pytest.fixture
def channel(db):
    return ChannelFactory(channel_type="sales_channel")


@pytest.fixture
def base(channel):
    return f"/omnitron/api/v1/channel/{channel.pk}/"
