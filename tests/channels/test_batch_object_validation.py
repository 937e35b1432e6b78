"""The objects of a batch PATCH are read without DRF's fields when their values are the usual
kinds (`BatchObjectSerializer._plain`): the result is DRF's, and anything else still goes through
DRF's fields (their checks, their messages)."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rest_framework import serializers

from pazar.channels.api.sales.serializers import (
    FAILED_REASONS,
    BatchObjectSerializer,
    BatchRequestSerializer,
)
from pazar.channels.models import BatchRequest

odd_texts = st.text(max_size=8) | st.sampled_from(["", " ", " x", "x ", "a\x00", "\ud800", "\t"])
dates = st.datetimes().map(lambda d: d.isoformat()) | st.sampled_from(
    ["2026-01-02T10:00:00Z", "2026-01-02T10:00:00.123456+03:00", "2026-01-02 10:00:00",
     "2026-13-02T10:00:00Z", "2026-01-02", "yesterday", ""]
)  # fmt: skip
values = {
    "pk": st.integers(min_value=-2, max_value=10**12) | st.just("7") | st.just(True) | st.none(),
    "content_type": st.sampled_from(["product", "productprice", "x" * 101, "Product"])
    | odd_texts
    | st.none()
    | st.integers(),
    "version_date": dates | st.none() | st.integers(),
    "remote_id": odd_texts | st.just("R-1") | st.just("r" * 256) | st.none() | st.integers(),
    "failed_reason_type": st.sampled_from([*FAILED_REASONS, "other", ""]) | st.none(),
    "extra": st.integers(),
}
objects = st.fixed_dictionaries({}, optional=values) | st.lists(st.integers()) | st.none()


def _outcome(read, data):
    try:
        return "valid", read(data)
    except serializers.ValidationError as error:
        return "invalid", error.detail


@settings(max_examples=600, deadline=None)
@given(data=objects)
def test_the_plain_reading_is_drf_reading(data):
    serializer = BatchObjectSerializer()
    plain = _outcome(serializer.to_internal_value, data)
    reference = _outcome(
        lambda item: serializer._cleaned(
            super(BatchObjectSerializer, serializer).to_internal_value(item)
        ),
        data,
    )
    assert plain == reference
    if plain[0] == "valid":
        assert list(plain[1]) == list(reference[1])  # the same keys in the same order


def test_the_usual_object_is_read_plainly():
    serializer = BatchObjectSerializer()
    data = {"pk": 3, "content_type": "product", "version_date": "2026-01-02T10:00:00.5Z",
            "remote_id": None, "failed_reason_type": None}  # fmt: skip
    assert serializer._plain(data) is not None
    assert serializer.to_internal_value(data) == {
        "pk": 3, "content_type": "product", "version_date": "2026-01-02T10:00:00.500000+00:00",
        "remote_id": None, "failed_reason_type": None,
    }  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize(
    "fields",
    [
        {},
        {"remote_batch_id": "RB-1", "content_type": "product", "status": "commit"},
        {
            "items": [
                {
                    "pk": 1,
                    "content_type": "product",
                    "version_date": None,
                    "failed_reason_type": None,
                }
            ],
            "status": "done",
        },
    ],
)
def test_the_batch_written_plainly_is_drf_output(channel, fields):
    batch = BatchRequest.objects.create(channel=channel, **fields)
    for each in (batch, BatchRequest.objects.get(pk=batch.pk)):
        serializer = BatchRequestSerializer()
        reference = super(BatchRequestSerializer, serializer).to_representation(each)
        reference["objects"] = each.items  # DRF's field walked them to give them back
        plain = serializer.to_representation(each)
        assert plain == reference
        assert list(plain) == list(reference)  # the same keys in the same order
